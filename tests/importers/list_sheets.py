"""Builders for the enterprise lists and the workspace the import tests use."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import EnterpriseRow, LocalSetting, MemberRow, SquadRow
from app.domain.money import Money
from app.domain.uscc import make_uscc
from app.services.enterprise_import import EnterpriseImportService
from app.services.workspace import CURRENT_MEMBER, Workspace


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, ME = uid(1), uid(11)
EXISTING = uid(21)
EXISTING_NAME = "苏州恒瑞锂电科技有限公司"
EXISTING_USCC = make_uscc("9", "1", "320506", "13572468")
USCC_A = make_uscc("9", "1", "320506", "24681357")
USCC_B = make_uscc("9", "1", "320583", "11223344")
USCC_C = make_uscc("9", "1", "110108", "55667788")


def full_width(text: str) -> str:
    """ASCII digits and letters as a Chinese input method types them in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def bad_check_digit(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "企业名单"
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    workbook.save(path)
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A squad, me in it (the current member), and one enterprise already in the library."""
    data_dir = tmp_path / "data"
    database = open_local_database(data_dir)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新能源小分队"))
        s.flush()
        s.add(MemberRow(id=ME, name="李明", squad_id=SQUAD))
        s.flush()
        s.add(
            EnterpriseRow(
                id=EXISTING,
                name=EXISTING_NAME,
                name_key=EXISTING_NAME,
                uscc=EXISTING_USCC,
                region_code="320506",
                legal_representative="王建国",
                registered_capital=Money.from_wan(5000),
                tags="重点",
                squad_id=SQUAD,
            )
        )
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, data_dir)
    database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> EnterpriseImportService:
    return EnterpriseImportService(workspace)
