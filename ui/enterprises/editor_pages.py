"""The dossier editor's pages: identity, intent and needs, contacts, honours and links, files.

``EditorPages`` fills them from an ``EditContext``, says what changed since (as an
``EnterpriseEdit``), takes the user to a field a ``ValidationError`` names, and snapshots or
restores everything typed (for the kept typing of ``editor_draft``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.domain.contact import ContactDraft
from app.domain.enterprise import EnterpriseEdit, HonourDraft
from app.domain.errors import ValidationError
from app.i18n import tr
from app.services.enterprise_views import Dossier, EditContext
from ui.enterprises.contacts_editor import ContactsEditor
from ui.enterprises.enterprise_fields import EnterpriseFields
from ui.enterprises.honours_editor import HonoursEditor, LinksEditor
from ui.task_runner import TaskRunner
from ui.widgets.attachment_strip import AttachmentStrip

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService

OWNER_TABLE = "enterprises"
IDENTITY_TAB, NEEDS_TAB, CONTACTS_TAB, LISTS_TAB, FILES_TAB = range(5)
PAGE_COUNT = 5


class EditorPages(QTabWidget):
    """The editor's tabs; ``edited`` whenever anything in them was typed or changed."""

    edited = Signal()

    def __init__(
        self, attachments: AttachmentService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._context: EditContext | None = None
        self._initial: tuple[object, ...] = ()
        self.fields = EnterpriseFields(self)
        self.contacts = ContactsEditor(self)
        self.honours = HonoursEditor(self)
        self.links = LinksEditor(self)
        self.strip = AttachmentStrip(attachments, runner, self)
        for signal in (
            self.fields.edited,
            self.contacts.changed,
            self.contacts.typed,
            self.honours.changed,
            self.links.changed,
        ):
            signal.connect(self.edited)
        self.contacts.changed.connect(self._update_contacts_tab)

        self.addTab(_scrolled(self.fields.identity_page), tr("基本信息"))
        self.addTab(_scrolled(self.fields.needs_page), tr("投资意向与要素需求"))
        self.addTab(self.contacts, tr("联系人"))
        lists = QWidget(self)
        lists_layout = QHBoxLayout(lists)
        lists_layout.setContentsMargins(4, 4, 4, 4)
        lists_layout.addWidget(self.honours, 1)
        lists_layout.addWidget(self.links, 1)
        self.addTab(lists, tr("荣誉与产业链"))
        files = QWidget(self)
        files_layout = QVBoxLayout(files)
        files_layout.addWidget(self.strip)
        files_layout.addStretch(1)
        self.addTab(files, tr("附件"))
        for number in range(self.count()):
            self.setTabToolTip(number, tr("Alt+{number}", number=number + 1))

    # -- filling ---------------------------------------------------------------------------------

    def load(self, context: EditContext, enterprise_id: str | None) -> None:
        self._context = context
        dossier = context.dossier
        self.fields.load(dossier.enterprise if dossier is not None else None, context.choices)
        self.links.set_choices(context.choices.links)
        self.contacts.set_contacts(_contacts_of(dossier))
        self.honours.set_honours(
            ()
            if dossier is None
            else tuple(HonourDraft(h.kind, h.year, h.batch, h.entry_id) for h in dossier.honours)
        )
        self.links.set_links(dossier.links if dossier is not None else ())
        self.strip.set_owner(OWNER_TABLE, enterprise_id)
        self._initial = self._lists()
        self._update_contacts_tab()

    def show_page(self, number: int) -> None:
        """Switch to a page and put the cursor in its first field (Alt+1…Alt+5)."""
        self.setCurrentIndex(number)
        if number == CONTACTS_TAB:
            self.contacts.focus_first()
            return
        first = {
            IDENTITY_TAB: self.fields.input("name"),
            NEEDS_TAB: self.fields.input("intent_level"),
            LISTS_TAB: self.honours.kind,
            FILES_TAB: self.strip,
        }[number]
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- reading ---------------------------------------------------------------------------------

    def has_changes(self) -> bool:
        if self._context is None:
            return False
        return (
            self.fields.changed() or self._lists() != self._initial or self.contacts.has_pending()
        )

    def edit(self, enterprise_id: str | None) -> EnterpriseEdit | None:
        """What to save (None: nothing changed); ``ValidationError`` names a bad field."""
        fields = self.fields.changed_values()
        contacts, honours, links = now = self._lists()
        initial = self._initial
        if enterprise_id is not None and not fields and now == initial:
            return None
        return EnterpriseEdit(
            enterprise_id=enterprise_id,
            fields=fields,
            contacts=self.contacts.contacts() if contacts != initial[0] else None,
            honours=self.honours.honours() if honours != initial[1] else None,
            link_ids=self.links.link_ids() if links != initial[2] else None,
        )

    def show_problem(self, error: ValidationError) -> bool:
        """Show the message next to the field it names and go there; False if none is named."""
        field = error.field
        if self.fields.show_error(field, error.message):
            on_identity = self.fields.grid_of(field) is self.fields.identity_page
            self.setCurrentIndex(IDENTITY_TAB if on_identity else NEEDS_TAB)
            self.fields.input(field).setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == "contacts":
            self.setCurrentIndex(CONTACTS_TAB)
            self.contacts.show_list_error(error.message)
        elif field in ("honours", "links"):
            self.setCurrentIndex(LISTS_TAB)
            (self.honours if field == "honours" else self.links).show_error(error.message)
        else:
            return False
        return True

    # -- kept typing -----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "fields": self.fields.raw_texts(),
            "contacts": [asdict(contact) for contact in self.contacts.contacts()],
            "honours": [asdict(honour) for honour in self.honours.honours()],
            "link_ids": list(self.links.link_ids()),
        }

    def restore(self, kept: dict[str, Any]) -> None:
        if self._context is None:
            return
        self.fields.set_raw_texts(dict(kept.get("fields", {})))
        self.contacts.set_contacts(tuple(ContactDraft(**c) for c in kept.get("contacts", [])))
        self.honours.set_honours(tuple(HonourDraft(**h) for h in kept.get("honours", [])))
        links = {link.link_id: link for link in self._context.choices.links}
        self.links.set_links(tuple(links[i] for i in kept.get("link_ids", []) if i in links))
        self._update_contacts_tab()

    # -- internals -------------------------------------------------------------------------------

    def _lists(self) -> tuple[object, ...]:
        return (self.contacts.contacts(), self.honours.honours(), self.links.link_ids())

    def _update_contacts_tab(self) -> None:
        count = len(self.contacts.contacts())
        self.setTabText(CONTACTS_TAB, tr("联系人 {count}", count=count))


def _contacts_of(dossier: Dossier | None) -> tuple[ContactDraft, ...]:
    if dossier is None:
        return ()
    return tuple(
        ContactDraft(
            name=c.name,
            title=c.title,
            mobile=c.mobile,
            phone=c.phone,
            email=c.email,
            wechat=c.wechat,
            notes=c.notes,
            is_primary=c.is_primary,
            id=c.id,
        )
        for c in dossier.contacts
    )


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll
