"""The dossier's own fields as input widgets: identity on one page, intent and needs on another.

Values are read from the widgets' text and turned into typed values by the domain
(``parse_form_value``); a field counts as changed when its text differs from what was loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.domain.enterprise import parse_form_value, validate_enterprise_changes
from app.domain.errors import ValidationError
from app.domain.industries import industries
from app.domain.regions import current_regions
from app.domain.uscc import region_of_uscc, validate_uscc
from app.domain.vocabulary import IntentLevel
from app.i18n import tr
from app.services.enterprise_views import EditorChoices, EnterpriseDetail
from ui.enterprises.code_picker import CodePicker
from ui.enterprises.field_grid import FieldGrid
from ui.formatting import format_decimal

_Input = QLineEdit | QPlainTextEdit | QComboBox


@cache
def region_entries() -> tuple[tuple[str, str], ...]:
    return tuple((region.code, region.name) for region in current_regions())


@cache
def industry_entries() -> tuple[tuple[str, str], ...]:
    return tuple((entry.code, entry.name) for entry in industries())


class EnterpriseFields(QObject):
    """Builds and reads the field widgets; ``identity_page`` and ``needs_page`` go in tabs."""

    edited = Signal()
    identity_edited = Signal()  # name or USCC typed: time to look for duplicates

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._inputs: dict[str, _Input] = {}
        self._loaded: dict[str, str] = {}
        self.identity_page = FieldGrid(2, parent)
        self.needs_page = FieldGrid(2, parent)
        self._build_identity()
        self._build_needs()

    # -- public ----------------------------------------------------------------------------------

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._inputs)

    def input(self, field: str) -> QWidget:
        return self._inputs[field]

    def grid_of(self, field: str) -> FieldGrid | None:
        for grid in (self.identity_page, self.needs_page):
            if grid.has_field(field):
                return grid
        return None

    def load(self, detail: EnterpriseDetail | None, choices: EditorChoices) -> None:
        """Fill the widgets from ``detail`` (or a new enterprise's defaults)."""
        self._fill_combo("squad_id", [(c.id, c.text) for c in choices.squads])
        self._fill_combo("owner_id", [(c.id, c.text) for c in choices.members])
        if detail is None:
            self._set_combo("squad_id", choices.my_squad_id)
            self._set_combo("owner_id", choices.my_member_id)
            self._set_combo("intent_level", IntentLevel.UNKNOWN.value)
        else:
            self._load_detail(detail)
        self._loaded = self.raw_texts()
        if detail is None:  # a new enterprise: only what the user types counts as entered
            self._loaded = {field: "" for field in self._inputs}
        self.clear_errors()

    def raw_texts(self) -> dict[str, str]:
        return {field: self._raw(field) for field in self._inputs}

    def set_raw_texts(self, texts: dict[str, str]) -> None:
        """Put back texts taken by ``raw_texts`` (kept typing being restored)."""
        for field, text in texts.items():
            widget = self._inputs.get(field)
            if isinstance(widget, QComboBox):
                self._set_combo(field, text)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            elif isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setCursorPosition(0)
        self.edited.emit()

    def changed(self) -> bool:
        return self.raw_texts() != self._loaded

    def changed_values(self) -> dict[str, Any]:
        """Typed values of the fields whose text changed; ``ValidationError`` names a bad one."""
        now = self.raw_texts()
        return {
            field: self._value(field)
            for field in self._inputs
            if now[field] != self._loaded.get(field, "")
        }

    def show_error(self, field: str, message: str) -> bool:
        grid = self.grid_of(field)
        if grid is None:
            return False
        grid.show_error(field, message)
        return True

    def error(self, field: str) -> str:
        grid = self.grid_of(field)
        return grid.error(field) if grid is not None else ""

    def clear_errors(self) -> None:
        self.identity_page.clear_errors()
        self.needs_page.clear_errors()

    def check_field(self, field: str) -> None:
        """Check one field as the user leaves it; show its problem or clear it."""
        grid = self.grid_of(field)
        if grid is None:
            return
        try:
            value = self._value(field)
            if field not in ("squad_id", "owner_id"):
                validate_enterprise_changes({field: value}, creating=False)
        except ValidationError as error:
            grid.show_error(field, error.message)
        else:
            grid.clear_error(field)

    # -- building --------------------------------------------------------------------------------

    def _line(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._on_input_edited)
        edit.editingFinished.connect(lambda: self.check_field(field))
        self._inputs[field] = edit
        return edit

    def _text(self, field: str, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumHeight(64)
        edit.textChanged.connect(self._on_input_edited)
        self._inputs[field] = edit
        return edit

    def _picker(self, field: str, entries: tuple[tuple[str, str], ...], hint: str) -> CodePicker:
        picker = CodePicker(entries)
        picker.setPlaceholderText(hint)
        picker.textEdited.connect(self._on_input_edited)
        picker.code_chosen.connect(lambda _code: self._on_picker_chosen(field))
        picker.editingFinished.connect(lambda: self._on_picker_finished(field))
        self._inputs[field] = picker
        return picker

    def _combo(self, field: str) -> QComboBox:
        combo = QComboBox()
        combo.currentIndexChanged.connect(self._on_input_edited)
        self._inputs[field] = combo
        return combo

    def _build_identity(self) -> None:
        grid = self.identity_page
        name = self._line("name", tr("按营业执照填写全称"))
        name.textEdited.connect(self._on_identity_text_edited)
        grid.add_field("name", tr("企业名称"), name, span=True)
        uscc = self._line("uscc", tr("18 位，如 91620102MA7KX3Q28Y"))
        uscc.textEdited.connect(self._on_identity_text_edited)
        uscc.editingFinished.connect(self._on_uscc_editing_finished)
        add: Callable[..., None] = grid.add_field
        add("uscc", tr("统一社会信用代码"), uscc)
        region_hint = tr("输入两个字或代码，如 城关 或 6201")
        add(
            "region_code",
            tr("行政区划"),
            self._picker("region_code", region_entries(), region_hint),
        )
        industry_hint = tr("输入两个字或代码，如 电池 或 3841")
        add(
            "industry_code",
            tr("行业"),
            self._picker("industry_code", industry_entries(), industry_hint),
        )
        add(
            "registered_capital",
            tr("注册资本（万元）"),
            self._line("registered_capital", tr("如 5000 或 1.2亿")),
        )
        add("legal_representative", tr("法定代表人"), self._line("legal_representative"))
        add("founded_on", tr("成立日期"), self._line("founded_on", tr("如 2015-06-30")))
        add("headquarters", tr("总部所在地"), self._line("headquarters"), column=1)
        add("address", tr("地址"), self._line("address"), column=1)
        add("website", tr("网站"), self._line("website"), column=1)
        add("squad_id", tr("所属小分队"), self._combo("squad_id"), column=1)
        add("owner_id", tr("包抓责任人"), self._combo("owner_id"), column=1)
        add(
            "tags",
            tr("标签"),
            self._line("tags", tr("用逗号或顿号分隔，如 重点目标、链主企业")),
            column=1,
        )
        grid.add_stretch()

    def _build_needs(self) -> None:
        grid = self.needs_page
        add: Callable[..., None] = grid.add_field
        add("intent_level", tr("意向强度"), self._combo("intent_level"))
        add("land_mu", tr("用地（亩）"), self._line("land_mu", tr("如 120 或 85.5")), column=1)
        add("water_need", tr("用水"), self._line("water_need", tr("如 日用水 500 吨")))
        power_hint = tr("如 10kV 双回路，年用电 2000 万度")
        add("power_need", tr("用电"), self._line("power_need", power_hint), column=1)
        add("workforce_need", tr("用工（人）"), self._line("workforce_need", tr("如 300")))
        intent_hint = tr("想投什么、投多少、何时投，对方的顾虑")
        add(
            "investment_intent",
            tr("投资意向"),
            self._text("investment_intent", intent_hint),
            span=True,
        )
        site_hint = tr("区位、园区、交通、配套等要求")
        add("site_preference", tr("选址偏好"), self._text("site_preference", site_hint), span=True)
        add("profile", tr("企业简介"), self._text("profile"), span=True)
        self._fill_combo(
            "intent_level", [(level.value, level.label) for level in IntentLevel], blank=False
        )
        grid.add_stretch()

    # -- values ----------------------------------------------------------------------------------

    def _raw(self, field: str) -> str:
        widget = self._inputs[field]
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            return str(data) if data else ""
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def _value(self, field: str) -> Any:
        widget = self._inputs[field]
        if isinstance(widget, QComboBox):
            return widget.currentData() or None
        if isinstance(widget, CodePicker):
            return parse_form_value(field, widget.code())
        return parse_form_value(field, self._raw(field))

    def _load_detail(self, detail: EnterpriseDetail) -> None:
        texts = {
            "name": detail.name,
            "uscc": detail.uscc or "",
            "registered_capital": "" if detail.registered_capital is None else _wan(detail),
            "legal_representative": detail.legal_representative,
            "founded_on": detail.founded_on.isoformat() if detail.founded_on else "",
            "headquarters": detail.headquarters,
            "address": detail.address,
            "website": detail.website,
            "tags": tr("、").join(detail.tags),
            "land_mu": format_decimal(detail.land_mu),
            "water_need": detail.water_need,
            "power_need": detail.power_need,
            "workforce_need": "" if detail.workforce_need is None else str(detail.workforce_need),
            "investment_intent": detail.investment_intent,
            "site_preference": detail.site_preference,
            "profile": detail.profile,
        }
        for field, text in texts.items():
            widget = self._inputs[field]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            elif isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setCursorPosition(0)
        for field, code in (
            ("region_code", detail.region_code),
            ("industry_code", detail.industry_code),
        ):
            picker = self._inputs[field]
            assert isinstance(picker, CodePicker)
            picker.set_code(code)
        self._set_combo("squad_id", detail.squad_id)
        self._set_combo("owner_id", detail.owner_id)
        self._set_combo("intent_level", detail.intent_level or IntentLevel.UNKNOWN.value)

    def _fill_combo(self, field: str, items: list[tuple[str, str]], *, blank: bool = True) -> None:
        combo = self._inputs[field]
        assert isinstance(combo, QComboBox)
        combo.blockSignals(True)
        combo.clear()
        if blank:
            combo.addItem(tr("（未指定）"), "")
        for value, text in items:
            combo.addItem(text, value)
        combo.blockSignals(False)

    def _set_combo(self, field: str, value: str | None) -> None:
        combo = self._inputs[field]
        assert isinstance(combo, QComboBox)
        index = combo.findData(value or "")
        combo.blockSignals(True)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    # -- handlers --------------------------------------------------------------------------------

    def _on_input_edited(self, *_args: object) -> None:
        self.edited.emit()

    def _on_identity_text_edited(self, _text: str) -> None:
        self.identity_edited.emit()

    def _on_picker_chosen(self, field: str) -> None:
        self.edited.emit()
        self.check_field(field)

    def _on_picker_finished(self, field: str) -> None:
        picker = self._inputs[field]
        assert isinstance(picker, CodePicker)
        if not picker.completer_popup_visible:
            self.check_field(field)

    def _on_uscc_editing_finished(self) -> None:
        """A valid code names its registration district: offer it when no region is set yet."""
        region = self._inputs["region_code"]
        assert isinstance(region, CodePicker)
        if region.code():
            return
        try:
            code = validate_uscc(self._raw("uscc"))
        except ValidationError:
            return
        region.set_code(region_of_uscc(code))
        self.edited.emit()


def _wan(detail: EnterpriseDetail) -> str:
    assert detail.registered_capital is not None
    return format_decimal(detail.registered_capital.wan)
