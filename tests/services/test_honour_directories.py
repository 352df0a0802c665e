"""Honour directories on hand-built data: matching by USCC and by exact registered name only,
importing a sheet (bad rows rejected with reasons, nothing half-written), re-matching after new
dossiers arrive, tags, tombstones, the outbox, and who may change the lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    DirectoryEntryRow,
    EnterpriseRow,
    HonourDirectoryRow,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    SquadRow,
)
from app.domain.errors import ImportProblem, ValidationError
from app.domain.names import name_key
from app.domain.uscc import make_uscc
from app.services import honour_import
from app.services.enterprises import EnterpriseService
from app.services.honour_directories import HonourDirectoryService
from app.services.honour_directory_views import DirectoryDraft, EntryDraft
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 9, 1)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD = uid(1)
LEADER, MEMBER = uid(11), uid(12)
JIA, YI, BING, DING = uid(21), uid(22), uid(23), uid(24)
JIA_CODE = make_uscc("9", "1", "110108", "MA01ABCD")
DING_CODE = make_uscc("9", "1", "440300", "87654321")
NEW_CODE = make_uscc("9", "1", "320500", "12345678")
BAD_CODE = JIA_CODE[:-1] + ("0" if JIA_CODE[-1] != "0" else "1")  # wrong check character


def _enterprise(eid: str, name: str, uscc: str | None) -> EnterpriseRow:
    return EnterpriseRow(id=eid, name=name, name_key=name_key(name), uscc=uscc, squad_id=SQUAD)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.flush()
        s.add(MemberRow(id=LEADER, name="李明", squad_id=SQUAD, role="leader"))
        s.add(MemberRow(id=MEMBER, name="王芳", squad_id=SQUAD, role="member"))
        s.flush()
        s.add(_enterprise(JIA, "甲新材料股份有限公司", JIA_CODE))
        s.add(_enterprise(YI, "乙电子有限责任公司", None))
        s.add(_enterprise(BING, "丙（苏州）科技有限公司", None))
        s.add(_enterprise(DING, "丁精密机械有限公司", DING_CODE))
        s.add(LocalSetting(key=CURRENT_MEMBER, value=LEADER))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> HonourDirectoryService:
    return HonourDirectoryService(workspace, lambda: TODAY)


@pytest.fixture
def giants(service: HonourDirectoryService) -> str:
    return service.create_directory(DirectoryDraft("little_giant", 2025, "第七批"))


def _set_member(workspace: Workspace, member_id: str | None) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        row = s.get(LocalSetting, CURRENT_MEMBER)
        assert row is not None
        if member_id is None:
            s.delete(row)
        else:
            row.value = member_id


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _outbox(workspace: Workspace, table: str) -> list[OutboxEntry]:
    with workspace.database.read() as s:
        return list(s.scalars(select(OutboxEntry).where(OutboxEntry.table_name == table)))


# -- matching ------------------------------------------------------------------------------------


def test_an_entry_matches_by_uscc_whatever_name_the_list_prints(
    service: HonourDirectoryService, giants: str
) -> None:
    entry = service.add_entry(giants, EntryDraft("甲新材料", JIA_CODE.lower(), 3))

    assert (entry.enterprise_id, entry.enterprise_name) == (JIA, "甲新材料股份有限公司")
    assert entry.uscc == JIA_CODE


def test_without_uscc_an_entry_matches_the_exact_registered_name_across_widths_and_spaces(
    service: HonourDirectoryService, giants: str
) -> None:
    spaced = service.add_entry(giants, EntryDraft(" 乙电子　有限责任公司 "))
    half_width = service.add_entry(giants, EntryDraft("丙(苏州)科技有限公司"))

    assert spaced.enterprise_id == YI
    assert half_width.enterprise_id == BING


def test_a_near_name_is_not_a_match(service: HonourDirectoryService, giants: str) -> None:
    # 有限公司 vs 有限责任公司: two different registered names, though the duplicate finder
    # would call them alike.
    entry = service.add_entry(giants, EntryDraft("乙电子有限公司"))

    assert entry.enterprise_id is None
    assert service.entries(giants)[0].enterprise_name == ""


def test_a_listed_uscc_matches_by_name_only_a_dossier_without_a_code(
    service: HonourDirectoryService, giants: str
) -> None:
    no_code_on_file = service.add_entry(giants, EntryDraft("乙电子有限责任公司", NEW_CODE))
    other_code = make_uscc("9", "1", "440300", "11112222")
    other_code_on_file = service.add_entry(giants, EntryDraft("丁精密机械有限公司", other_code))

    assert no_code_on_file.enterprise_id == YI
    assert other_code_on_file.enterprise_id is None


def test_counts_per_directory(service: HonourDirectoryService, giants: str) -> None:
    service.add_entry(giants, EntryDraft("甲新材料股份有限公司", JIA_CODE))
    service.add_entry(giants, EntryDraft("不在库中的企业有限公司"))

    (view,) = service.directories()
    assert (view.title, view.entry_count, view.matched_count) == (
        "2025年专精特新“小巨人”名单（第七批）",
        2,
        1,
    )


def test_the_same_enterprise_twice_on_one_list_is_refused(
    service: HonourDirectoryService, giants: str
) -> None:
    service.add_entry(giants, EntryDraft("甲新材料股份有限公司", JIA_CODE))

    with pytest.raises(ValidationError) as by_code:
        service.add_entry(giants, EntryDraft("另一个名字", JIA_CODE))
    with pytest.raises(ValidationError) as by_name:
        service.add_entry(giants, EntryDraft("甲新材料股份有限公司"))
    assert by_code.value.field == "uscc"
    assert by_name.value.field == "name"


def test_an_invalid_uscc_is_refused_with_the_reason(
    service: HonourDirectoryService, giants: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.add_entry(giants, EntryDraft("甲", BAD_CODE))
    assert error.value.field == "uscc"
    assert "校验码" in error.value.message


# -- import --------------------------------------------------------------------------------------


def test_import_adds_valid_rows_and_rejects_a_bad_uscc_with_its_reason(
    workspace: Workspace, service: HonourDirectoryService, giants: str, tmp_path: Path
) -> None:
    sheet = _csv(
        tmp_path,
        "统一社会信用代码,序号,企业名称\n"
        f"{JIA_CODE},１,甲新材料股份有限公司\n"
        f"{BAD_CODE},2,坏代码有限公司\n"
        ",,\n"
        ",３,乙电子有限责任公司\n"
        f"{NEW_CODE},4,外地新企业有限公司\n",
    )

    report = service.import_entries(giants, sheet)

    assert (report.added, report.matched, report.blank) == (3, 2, 1)
    (rejected,) = report.rejected
    assert (rejected.row_number, rejected.name) == (3, "坏代码有限公司")
    assert "校验码" in rejected.reason
    entries = service.entries(giants)
    assert [(e.rank, e.name, e.enterprise_id) for e in entries] == [
        (1, "甲新材料股份有限公司", JIA),
        (3, "乙电子有限责任公司", YI),
        (4, "外地新企业有限公司", None),
    ]
    # The rejected row left no trace: no entry, no outbox insert.
    assert len(_outbox(workspace, "directory_entries")) == 3


def test_import_reads_english_headers_below_a_title_row_from_xlsx(
    service: HonourDirectoryService, giants: str, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025年第七批专精特新“小巨人”企业名单"])
    sheet.append(["Rank", "Company Name", "USCC"])
    sheet.append([1, "丁精密机械有限公司", DING_CODE])
    sheet.append([2.0, "丙（苏州）科技有限公司", None])
    sheet.append(["第3名", "重复的丁", DING_CODE])
    path = tmp_path / "list.xlsx"
    book.save(path)

    report = service.import_entries(giants, path)

    assert (report.added, report.matched) == (2, 2)
    assert [(r.row_number, r.reason) for r in report.rejected] == [
        (5, "与第 3 行的统一社会信用代码重复")
    ]
    assert {e.enterprise_id for e in service.entries(giants)} == {DING, BING}


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    service: HonourDirectoryService, giants: str, tmp_path: Path
) -> None:
    sheet = _csv(tmp_path, "名称,排名\n甲新材料股份有限公司,1\n乙电子有限责任公司,2\n", "gb18030")
    service.import_entries(giants, sheet)

    again = service.import_entries(giants, sheet)

    assert (again.added, again.already_listed, again.rejected) == (0, 2, ())
    assert len(service.entries(giants)) == 2


def test_a_failure_part_way_through_an_import_writes_nothing(
    workspace: Workspace,
    service: HonourDirectoryService,
    giants: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[DirectoryEntryRow] = []

    real_new_entry = honour_import.new_entry

    def entry_that_fails_third(*args: Any) -> DirectoryEntryRow:
        if len(made) == 2:
            raise RuntimeError("disk full")
        made.append(real_new_entry(*args))
        return made[-1]

    monkeypatch.setattr(honour_import, "new_entry", entry_that_fails_third)
    sheet = _csv(tmp_path, "企业名称\n甲一有限公司\n甲二有限公司\n甲三有限公司\n")

    with pytest.raises(RuntimeError):
        service.import_entries(giants, sheet)

    assert len(made) == 2  # two rows were already added to the unit of work …
    assert service.entries(giants) == ()  # … and none of them was written
    assert _outbox(workspace, "directory_entries") == []


def test_a_sheet_without_a_name_column_is_refused_as_a_whole(
    service: HonourDirectoryService, giants: str, tmp_path: Path
) -> None:
    sheet = _csv(tmp_path, "代码,备注\n" + f"{JIA_CODE},x\n")

    with pytest.raises(ImportProblem) as error:
        service.import_entries(giants, sheet)
    assert "企业名称" in error.value.message
    assert service.entries(giants) == ()


# -- rematch, tags, delete, outbox ---------------------------------------------------------------


def test_rematch_finds_a_dossier_created_after_the_list(
    workspace: Workspace, service: HonourDirectoryService, giants: str
) -> None:
    listed = service.add_entry(giants, EntryDraft("外地新企业有限公司", NEW_CODE))
    service.add_entry(giants, EntryDraft("无名企业有限公司"))
    assert listed.enterprise_id is None

    new_id = EnterpriseService(workspace).create({"name": "外地新企业有限公司", "uscc": NEW_CODE})
    report = service.rematch_all()

    assert (report.checked, report.newly_matched, report.still_unmatched) == (2, 1, 1)
    assert [e.enterprise_id for e in service.entries(giants) if e.id == listed.id] == [new_id]
    assert service.rematch_all().newly_matched == 0


def test_rematch_moves_an_entry_off_a_deleted_dossier(
    workspace: Workspace, service: HonourDirectoryService, giants: str
) -> None:
    entry = service.add_entry(giants, EntryDraft("乙电子有限责任公司"))
    enterprises = EnterpriseService(workspace)
    enterprises.delete(YI)
    assert service.entries(giants)[0].enterprise_id is None  # a deleted dossier is no match
    again = enterprises.create({"name": "乙电子有限责任公司"})

    assert service.rematch_all().newly_matched == 1
    assert service.entries(giants)[0].id == entry.id
    assert service.entries(giants)[0].enterprise_id == again


def test_tags_name_year_kind_and_batch_newest_first(
    service: HonourDirectoryService, giants: str
) -> None:
    service.add_entry(giants, EntryDraft("甲新材料股份有限公司", JIA_CODE))
    listed = service.create_directory(DirectoryDraft("listed", 2026, title="A股上市公司"))
    service.add_entry(listed, EntryDraft("甲新材料股份有限公司", JIA_CODE))

    tags = service.honour_tags([JIA, YI])

    assert tags == {JIA: ("2026 上市公司", "2025 专精特新“小巨人”（第七批）"), YI: ()}


def test_the_dossier_shows_a_list_matched_by_import(
    workspace: Workspace, service: HonourDirectoryService, giants: str, tmp_path: Path
) -> None:
    service.import_entries(giants, _csv(tmp_path, f"企业名称,统一社会信用代码\n甲,{JIA_CODE}\n"))

    honours = EnterpriseService(workspace).dossier(JIA).honours
    assert [(h.kind, h.year, h.batch) for h in honours] == [("little_giant", 2025, "第七批")]


def test_deleting_a_directory_tombstones_it_with_its_entries(
    workspace: Workspace, service: HonourDirectoryService, giants: str
) -> None:
    service.add_entry(giants, EntryDraft("甲新材料股份有限公司", JIA_CODE))
    service.add_entry(giants, EntryDraft("乙电子有限责任公司"))

    assert service.delete_directory(giants) == 2

    assert service.directories() == ()
    assert service.honour_tags([JIA]) == {JIA: ()}
    with workspace.database.read() as s:
        assert s.get(HonourDirectoryRow, giants).deleted  # type: ignore[union-attr]
        entries = s.scalars(select(DirectoryEntryRow)).all()
    assert [e.deleted for e in entries] == [True, True]  # kept as tombstones for sync
    ops = [o.op for o in _outbox(workspace, "directory_entries")]
    assert ops.count("delete") == 2


def test_writes_go_to_the_outbox_for_sync(
    workspace: Workspace, service: HonourDirectoryService, giants: str
) -> None:
    entry = service.add_entry(giants, EntryDraft("乙电子有限责任公司", rank=5))
    service.update_directory(giants, DirectoryDraft("little_giant", 2025, "第七批", "改名"))
    service.update_entry(entry.id, EntryDraft("乙电子有限责任公司", rank=6))

    directories = _outbox(workspace, "honour_directories")
    entries = _outbox(workspace, "directory_entries")
    assert [(o.op, o.row_id) for o in directories] == [("insert", giants), ("patch", giants)]
    assert directories[1].fields == {"title": "改名"}
    assert [o.op for o in entries] == ["insert", "patch"]
    assert entries[0].fields["enterprise_id"] == YI
    assert entries[1].fields == {"rank": 6}


def test_one_directory_per_kind_year_and_batch(
    service: HonourDirectoryService, giants: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_directory(DirectoryDraft("专精特新“小巨人”", 2025, " 第七批 "))
    assert error.value.field == "batch"
    assert service.create_directory(DirectoryDraft("little_giant", 2025, "第八批"))


# -- who may change the lists --------------------------------------------------------------------


def test_a_plain_member_sees_the_lists_read_only(
    workspace: Workspace, service: HonourDirectoryService, giants: str
) -> None:
    _set_member(workspace, MEMBER)

    access = service.access()
    assert not access.editable
    assert "王芳" in access.reason and "队长或管理员" in access.reason
    with pytest.raises(ValidationError):
        service.add_entry(giants, EntryDraft("乙电子有限责任公司"))
    with pytest.raises(ValidationError):
        service.rematch_all()
    assert len(service.directories()) == 1  # reading is fine


def test_a_standalone_laptop_without_a_member_may_edit(
    workspace: Workspace, service: HonourDirectoryService
) -> None:
    _set_member(workspace, None)

    assert service.access().editable
    assert service.create_directory(DirectoryDraft("gazelle", 2026))
