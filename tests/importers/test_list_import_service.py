"""Importing an enterprise list into a real workspace: what goes in, what is refused and why,
update vs skip, one unit of work, sync entries, and undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import list_sheets
import pytest
from list_sheets import (
    EXISTING,
    EXISTING_NAME,
    EXISTING_USCC,
    ME,
    SQUAD,
    USCC_A,
    USCC_B,
    USCC_C,
    bad_check_digit,
    full_width,
    write_xlsx,
)
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.database.tables import ContactRow, EnterpriseRow, HistoryEntry, OutboxEntry
from app.domain.errors import ImportProblem, NotFoundError
from app.domain.money import Money
from app.domain.uscc import make_uscc
from app.services.enterprise_import import EnterpriseImportService
from app.services.enterprise_import_views import OnDuplicate, RowStatus
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace

workspace = list_sheets.workspace  # fixtures, shared with the CLI tests
service = list_sheets.service

HEADERS = [
    "注册资本（万元）",
    "统一社会信用代码",
    "所属行业",
    "企业名称",
    "成立日期",
    "联系人",
    "联系电话",
]


def issue_sheet(path: Path) -> Path:
    """The sheet of issue #5: Chinese headers in another order, full-width digits, a duplicate
    of an existing enterprise, an invalid USCC, an empty row and a merged cell."""
    return write_xlsx(
        path,
        [
            ["2026年第一季度重点招商企业名单"],  # row 1: a title above the header
            HEADERS,  # row 2
            ["1.5亿元", USCC_A, "C3841", "苏州新锂能源科技有限公司", dt.datetime(2018, 3, 9),
             "张伟", "13912345678"],  # row 3
            [full_width("800"), full_width(USCC_B), "3985", "昆山精测电子有限公司", "2019/1/5",
             "", ""],  # row 4: full-width digits
            ["3000", EXISTING_USCC, "", "苏州恒瑞锂电科技有限责任公司", "", "", ""],  # row 5
            ["200", bad_check_digit(USCC_C), "", "北京坏码科技有限公司", "", "", ""],  # row 6
            [None, None, None, None, None, None, None],  # row 7: empty
            ["500", "", "C3841", "无锡远航动力有限公司", "2020年6月1日", "", ""],  # row 8
            ["600", "", "C3841", None, "2021-02-03", "", ""],  # row 9: name merged from row 8
        ],
        merges=["A1:G1", "D8:D9"],
    )  # fmt: skip


def test_the_issue_sheet_imports_valid_rows_and_reports_the_rest(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    path = issue_sheet(tmp_path / "名单.xlsx")

    preview = service.preview(path)

    assert preview.header_row == 2
    assert preview.mapping.column_of("name") == 3
    assert preview.mapping.column_of("registered_capital") == 0
    assert (preview.counts.new, preview.counts.existing) == (3, 1)
    assert (preview.counts.rejected, preview.counts.empty) == (2, 1)
    assert any("D8:D9" in note for note in preview.notes)
    statuses = {row.number: row.status for row in preview.rows}
    assert statuses[5] is RowStatus.EXISTING and statuses[6] is RowStatus.REJECTED
    bad = next(row for row in preview.rows if row.number == 6)
    assert "校验码" in bad.problem_in(1)  # the USCC cell is the one marked

    result = service.run(path)

    assert (result.created, result.updated, result.skipped) == (3, 0, 1)
    assert result.empty == 1
    reasons = {row.number: row.reason for row in result.rejected}
    assert set(reasons) == {6, 9}
    assert reasons[6].startswith("统一社会信用代码：") and "校验码" in reasons[6]
    assert "企业名称" in reasons[9] and "D8:D9" in reasons[9] and "第 8 行" in reasons[9]
    with workspace.database.read() as session:
        rows = {r.name: r for r in session.scalars(select(EnterpriseRow))}
    assert set(rows) == {
        EXISTING_NAME,
        "苏州新锂能源科技有限公司",
        "昆山精测电子有限公司",
        "无锡远航动力有限公司",
    }
    first = rows["苏州新锂能源科技有限公司"]
    assert first.registered_capital == Money.from_wan(15000)
    assert first.founded_on == dt.date(2018, 3, 9)
    assert first.region_code == "320506"  # from the USCC
    assert (first.squad_id, first.owner_id) == (SQUAD, ME)
    assert first.name_initials == "szxlnykjyxgs"
    wide = rows["昆山精测电子有限公司"]
    assert wide.uscc == USCC_B and wide.registered_capital == Money.from_wan(800)
    assert wide.founded_on == dt.date(2019, 1, 5)
    assert rows["无锡远航动力有限公司"].founded_on == dt.date(2020, 6, 1)
    assert rows[EXISTING_NAME].registered_capital == Money.from_wan(5000)  # skipped: untouched


def test_undo_removes_exactly_what_was_imported(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    result = service.run(issue_sheet(tmp_path / "名单.xlsx"), on_duplicate=OnDuplicate.UPDATE)
    assert (result.created, result.updated) == (3, 1)
    assert result.receipt_id is not None
    assert [r.file_name for r in service.recent_imports()] == ["名单.xlsx"]

    undone = service.undo(result.receipt_id)

    assert (undone.removed, undone.restored, undone.kept) == (3, 1, ())
    with workspace.database.read() as session:
        live = session.scalars(select(EnterpriseRow).where(EnterpriseRow.deleted.is_(False)))
        assert [row.id for row in live] == [EXISTING]
        existing = session.get(EnterpriseRow, EXISTING)
        assert existing is not None
        assert existing.registered_capital == Money.from_wan(5000)  # the value before import
        contacts = session.scalars(select(ContactRow).where(ContactRow.deleted.is_(False)))
        assert list(contacts) == []
    assert service.recent_imports() == ()
    with pytest.raises(NotFoundError):
        service.undo(result.receipt_id)


def test_update_fills_and_overwrites_mapped_fields_and_keeps_the_name(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "更新.xlsx",
        [
            ["企业名称", "法定代表人", "注册资本", "地址", "标签"],
            ["苏州恒瑞锂电科技有限责任公司", "", "8000", "苏州市吴中区东吴北路1号", "链主,重点"],
            ["苏州恒瑞锂电科技 有限公司", "李四", "", "", ""],
        ],
    )  # fmt: skip

    result = service.run(path, on_duplicate=OnDuplicate.UPDATE)

    assert (result.created, result.updated) == (0, 1)
    assert [row.number for row in result.rejected] == [3]
    assert "第 2 行" in result.rejected[0].reason  # the same enterprise twice: the first wins
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, EXISTING)
        assert row is not None
        assert row.name == EXISTING_NAME
        assert row.address == "苏州市吴中区东吴北路1号"
        assert row.registered_capital == Money.from_wan(8000)
        assert row.legal_representative == "王建国"  # blank in the file: left alone
        assert row.tags == "重点,链主"


def test_skip_leaves_existing_enterprises_alone(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "跳过.xlsx",
        [["单位名称", "信用代码", "法人"], ["另一个名字有限公司", EXISTING_USCC, "赵六"]],
    )
    result = service.run(path, on_duplicate=OnDuplicate.SKIP)
    assert (result.created, result.updated, result.skipped) == (0, 0, 1)
    assert result.receipt_id is None
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, EXISTING)
        assert row is not None and row.legal_representative == "王建国"


def test_a_name_match_with_another_uscc_is_refused(
    service: EnterpriseImportService, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "冲突.xlsx", [["企业名称", "统一社会信用代码"], [EXISTING_NAME, USCC_A]]
    )
    result = service.run(path, on_duplicate=OnDuplicate.UPDATE)
    assert result.created == result.updated == 0
    assert "统一社会信用代码不同" in result.rejected[0].reason


def test_duplicates_inside_the_file_name_the_first_row(
    service: EnterpriseImportService, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "重复.xlsx",
        [
            ["企业名称", "统一社会信用代码"],
            ["甲科技有限公司", USCC_A],
            ["乙科技有限公司", USCC_A],
            ["甲科技有限责任公司", ""],
        ],
    )
    result = service.run(path)
    assert result.created == 1
    reasons = {row.number: row.reason for row in result.rejected}
    assert "与第 2 行重复（统一社会信用代码相同）" in reasons[3]
    assert "与第 2 行重复（企业名称相同）" in reasons[4]


def test_imported_rows_are_queued_for_sync_and_kept_in_history(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    result = service.run(issue_sheet(tmp_path / "名单.xlsx"))
    with workspace.database.read() as session:
        created = session.scalars(select(EnterpriseRow).where(EnterpriseRow.id != EXISTING)).all()
        contact = session.scalars(select(ContactRow)).one()
        entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.device_seq)).all()
        sources = set(session.scalars(select(HistoryEntry.source)))
    assert len(created) == result.created == 3
    queued = {(e.table_name, e.row_id, e.op) for e in entries}
    assert {("enterprises", row.id, "insert") for row in created} <= queued
    assert ("contacts", contact.id, "insert") in queued
    assert contact.is_primary and contact.mobile == "13912345678" and contact.name == "张伟"
    seqs = [e.device_seq for e in entries]
    assert len(set(seqs)) == len(seqs)
    assert sources == {"import"}


def test_the_outbox_entry_of_an_imported_row_is_the_one_an_edit_writes(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    """The bulk path writes what change tracking would: compare with EnterpriseService."""
    same_region = make_uscc("9", "1", "320506", "98765432")
    fields = {
        "name": "对照组科技有限公司",
        "uscc": same_region,
        "registered_capital": Money.from_wan(300),
    }
    typed_id = EnterpriseService(workspace).create(fields | {"squad_id": SQUAD, "owner_id": ME})
    path = write_xlsx(
        tmp_path / "对照.xlsx", [["企业名称", "统一社会信用代码", "注册资本"],
                                ["导入组科技有限公司", USCC_A, "300"]]
    )  # fmt: skip
    service.run(path)
    with workspace.database.read() as session:
        typed = session.scalars(select(OutboxEntry).where(OutboxEntry.row_id == typed_id)).one()
        imported_id = session.scalars(
            select(EnterpriseRow.id).where(EnterpriseRow.name == "导入组科技有限公司")
        ).one()
        imported = session.scalars(
            select(OutboxEntry).where(OutboxEntry.row_id == imported_id)
        ).one()
    assert set(imported.fields) == set(typed.fields)
    differing = {k for k in typed.fields if typed.fields[k] != imported.fields[k]}
    assert differing == {"name", "name_key", "name_initials", "uscc"}
    assert imported.base == typed.base == {}
    assert imported.schema_version == typed.schema_version


def test_nothing_is_written_when_the_write_fails_midway(
    service: EnterpriseImportService,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.services.enterprise_import_writer as writer

    rows = [["企业名称"], *([f"第{n}号科技有限公司"] for n in range(2500))]
    path = write_xlsx(tmp_path / "大表.xlsx", rows)
    real_insert = writer.ImportWriter._insert
    calls = {"n": 0}

    def failing_insert(
        self: writer.ImportWriter, model: type, values: list[dict[str, object]]
    ) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the second batch of enterprises, after the first went in
            raise OSError("disk full")
        real_insert(self, model, values)

    monkeypatch.setattr(writer.ImportWriter, "_insert", failing_insert)
    before = _counts(workspace)
    with pytest.raises(OSError):
        service.run(path)
    assert calls["n"] == 3
    assert _counts(workspace) == before
    assert service.recent_imports() == ()


def test_undo_keeps_enterprises_edited_or_used_since(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [["企业名称"], ["甲新材料有限公司"], ["乙新材料有限公司"], ["丙新材料有限公司"]],
    )
    result = service.run(path)
    assert result.receipt_id is not None
    enterprises = EnterpriseService(workspace)
    ids = {row.name: row.id for row in enterprises.page().rows}
    enterprises.update(ids["甲新材料有限公司"], {"legal_representative": "周七"})

    undone = service.undo(result.receipt_id)

    assert undone.removed == 2
    assert undone.kept == ("甲新材料有限公司",)
    assert "甲新材料有限公司" in undone.message and "保留未撤销" in undone.message
    assert {row.name for row in enterprises.page().rows} == {"甲新材料有限公司", EXISTING_NAME}


def test_a_file_without_a_name_column_is_refused_whole(
    service: EnterpriseImportService, workspace: Workspace, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "无名.xlsx", [["编号", "金额"], [1, 2]])
    assert not service.preview(path).can_import
    before = _counts(workspace)
    with pytest.raises(ImportProblem, match="找不到企业名称列"):
        service.run(path)
    assert _counts(workspace) == before


def test_an_edited_mapping_is_used(service: EnterpriseImportService, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "自定义.xlsx", [["客户", "备注"], ["丁智能装备有限公司", "x"]])
    preview = service.preview(path)
    assert not preview.mapping.has_name
    mapping = preview.mapping.with_field(0, "name")
    assert service.preview(path, mapping).counts.new == 1
    assert service.run(path, mapping).created == 1


def test_rejected_rows_export_as_a_readable_workbook(
    service: EnterpriseImportService, tmp_path: Path
) -> None:
    result = service.run(issue_sheet(tmp_path / "名单.xlsx"))
    out = service.export_rejected(result, tmp_path / "out" / "未导入")
    assert out.suffix == ".xlsx"
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "原表行号" and rows[0][-1] == "原因"
    assert list(rows[0][1:-1]) == HEADERS
    assert [r[0] for r in rows[1:]] == [6, 9]
    assert "校验码" in str(rows[1][-1])
    assert rows[1][4] == "北京坏码科技有限公司"


def _counts(workspace: Workspace) -> tuple[int, ...]:
    with workspace.database.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (EnterpriseRow, ContactRow, OutboxEntry, HistoryEntry)
        )
