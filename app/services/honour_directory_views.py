"""Honour directories (荣誉名录) as the UI sees them: frozen rows, drafts and their checks.

A directory is one published list (2025 专精特新“小巨人” 第七批); an entry is one enterprise on
it. Drafts are checked here (kind, year, lengths, the entry's USCC) so a form can point at the
field a ``ValidationError`` names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.enterprise import FIRST_HONOUR_YEAR
from app.domain.errors import ValidationError
from app.domain.uscc import validate_uscc
from app.domain.vocabulary import HonourKind
from app.i18n import tr

TITLE_LIMIT = 200
SOURCE_LIMIT = 300
BATCH_LIMIT = 50
NAME_LIMIT = 200
RANK_LIMIT = 1_000_000


@dataclass(frozen=True, slots=True)
class DirectoryDraft:
    """What the 新建名录 / 编辑名录 dialog saves; an empty title takes ``suggested_title``."""

    kind: str
    year: int
    batch: str = ""
    title: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """One enterprise on a list as typed: its name, USCC (may be empty) and rank."""

    name: str
    uscc: str = ""
    rank: int | None = None


@dataclass(frozen=True, slots=True)
class DirectoryView:
    id: str
    kind: str
    year: int
    batch: str
    title: str
    source: str
    entry_count: int
    matched_count: int
    """Entries matched to a live enterprise dossier."""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def unmatched_count(self) -> int:
        return self.entry_count - self.matched_count


@dataclass(frozen=True, slots=True)
class EntryView:
    id: str
    directory_id: str
    rank: int | None
    name: str
    uscc: str | None
    enterprise_id: str | None
    """The matched live enterprise, None when 未匹配."""
    enterprise_name: str


@dataclass(frozen=True, slots=True)
class HonourAccess:
    """Whether the current member may change the directories, and why not when not."""

    editable: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row_number: int
    """The row as the spreadsheet numbers it (header row included)."""
    name: str
    uscc: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    file_name: str
    added: int
    matched: int
    """Of the rows added, those matched to a dossier."""
    already_listed: int
    """Rows naming an enterprise already on the list: left as they were."""
    blank: int
    rejected: tuple[RejectedRow, ...]


@dataclass(frozen=True, slots=True)
class RematchReport:
    checked: int
    """Unmatched entries (or matched to a deleted dossier) that were looked up again."""
    newly_matched: int
    still_unmatched: int


def kind_label(kind: str) -> str:
    """The Chinese name of a list kind; an unknown key (from a newer version) as it is."""
    try:
        return HonourKind(kind).label
    except ValueError:
        return kind


def kind_order(kind: str) -> int:
    """Position of the kind in ``HonourKind`` (unknown kinds last): how lists are grouped."""
    kinds = [member.value for member in HonourKind]
    return kinds.index(kind) if kind in kinds else len(kinds)


def honour_tag(kind: str, year: int, batch: str) -> str:
    """The tag shown for an enterprise on a list: ``2025 专精特新“小巨人”（第七批）``."""
    if batch:
        return tr("{year} {honour}（{batch}）", year=year, honour=kind_label(kind), batch=batch)
    return tr("{year} {honour}", year=year, honour=kind_label(kind))


def suggested_title(kind: str, year: int, batch: str = "") -> str:
    """A title for a new list: ``2025年专精特新“小巨人”名单（第七批）``."""
    if batch.strip():
        return tr(
            "{year}年{honour}名单（{batch}）",
            year=year,
            honour=kind_label(kind),
            batch=batch.strip(),
        )
    return tr("{year}年{honour}名单", year=year, honour=kind_label(kind))


def validate_directory(draft: DirectoryDraft, today: dt.date | None = None) -> DirectoryDraft:
    """The draft with a known kind, a plausible year, trimmed text and a title."""
    try:
        kind = HonourKind.parse(draft.kind).value
    except ValueError:
        raise ValidationError("kind", tr("请选择名录类别")) from None
    last_year = (today or dt.date.today()).year + 1
    if not FIRST_HONOUR_YEAR <= draft.year <= last_year:
        raise ValidationError(
            "year",
            tr("年份应在 {first} 到 {last} 之间", first=FIRST_HONOUR_YEAR, last=last_year),
        )
    batch, title, source = draft.batch.strip(), draft.title.strip(), draft.source.strip()
    for field, text, limit in (
        ("batch", batch, BATCH_LIMIT),
        ("title", title, TITLE_LIMIT),
        ("source", source, SOURCE_LIMIT),
    ):
        if len(text) > limit:
            raise ValidationError(field, tr("不能超过 {limit} 个字", limit=limit))
    return DirectoryDraft(
        kind=kind,
        year=draft.year,
        batch=batch,
        title=title or suggested_title(kind, draft.year, batch),
        source=source,
    )


def validate_entry(draft: EntryDraft) -> EntryDraft:
    """Trimmed name (required), canonical USCC (empty when none) and a positive rank."""
    name = draft.name.strip()
    if not name:
        raise ValidationError("name", tr("请填写企业名称"))
    if len(name) > NAME_LIMIT:
        raise ValidationError("name", tr("企业名称不能超过 {limit} 个字", limit=NAME_LIMIT))
    uscc = validate_uscc(draft.uscc) if draft.uscc.strip() else ""
    if draft.rank is not None and not 1 <= draft.rank <= RANK_LIMIT:
        raise ValidationError("rank", tr("排名应为 1 到 {limit} 的整数", limit=RANK_LIMIT))
    return EntryDraft(name=name, uscc=uscc, rank=draft.rank)
