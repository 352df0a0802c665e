"""Importing a 10,000-row enterprise list (.xlsx), beside a bare baseline from the same run.

The sheet is built here: realistic names (region + brand + industry word + legal form, from the
demo's vocabulary), valid USCCs made with ``make_uscc``, capital in 万元/亿元, dates, a
contact on half the rows, plus 2 % rows with a broken USCC and 1 % repeated rows (refused).
It is imported with the real ``EnterpriseImportService`` (``preview``, then ``run``: one unit
of work with outbox and history entries) into a fresh database and into a copy of the small
demo (where the duplicate lookups meet existing enterprises). The baseline is the least any
import must do: openpyxl reading the same sheet read-only, and bare sqlite3 ``executemany``
inserting the same rows (enterprise columns only) into the same schema, in one transaction.

Run alone: ``python -m bench enterprise_import``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.database.opening import database_path, open_local_database
from app.demo.naming import Namer, places_by_province
from app.domain.uscc import ALPHABET, make_uscc
from app.services.enterprise_import import EnterpriseImportService
from app.services.workspace import Workspace
from bench.harness import OUT, Figure, report, run_python

ROWS = 10_000
SEED = 5
WORDS = ("锂电", "新材料", "智能装备", "生物医药", "半导体", "光伏", "汽车零部件", "精密机械")
HEADERS = ("序号", "企业名称", "统一社会信用代码", "所属行业", "注册资本（万元）",
           "成立日期", "法定代表人", "地址", "联系人", "联系电话")  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def build_sheet(path: Path, rows: int = ROWS, seed: int = SEED) -> None:
    rng = random.Random(seed)
    namer = Namer()
    places = [place for group in places_by_province() for place in group]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(["2026年度招商引资目标企业名单"])
    sheet.append(list(HEADERS))
    made: list[list[object]] = []
    for number in range(1, rows + 1):
        if made and rng.random() < 0.01:
            made.append([number, *made[rng.randrange(len(made))][1:]])  # entered twice
            sheet.append(made[-1])
            continue
        place = rng.choice(places)
        name, _brand, _initials = namer.make(rng, place, WORDS)
        body = "".join(rng.choice(ALPHABET[:10]) for _ in range(8))
        uscc = make_uscc("9", "1", place.code, body)
        if rng.random() < 0.02:
            uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")  # a typo in the code
        capital = rng.randrange(100, 500_000)
        person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        contact = rng.random() < 0.5
        row: list[object] = [
            number, name, uscc, rng.choice(("C3841", "C3985", "C3562", "C2710", "C3825")),
            f"{capital / 10_000:g}亿元" if capital >= 10_000 else capital,
            dt.datetime(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28)),
            person, place.full_name + f"{rng.randint(1, 999)}号",
            rng.choice(SURNAMES) + rng.choice(GIVEN) if contact else "",
            f"139{rng.randrange(10**8):08d}" if contact else "",
        ]  # fmt: skip
        made.append(row)
        sheet.append(row)
    workbook.save(path)


def bare_baseline(sheet_path: Path, data_dir: Path) -> tuple[float, float, int]:
    """Seconds to read the sheet with openpyxl and to insert its rows with sqlite3."""
    start = time.perf_counter()
    workbook = load_workbook(sheet_path, read_only=True, data_only=True)
    rows = [row for row in workbook.active.iter_rows(min_row=3, values_only=True) if row[1]]
    workbook.close()
    read = time.perf_counter() - start
    now = dt.datetime.now(dt.UTC).isoformat()
    values = [
        (str(uuid.uuid4()), now, now, row[1], row[1], row[2], str(row[4]), row[6] or "",
         row[7] or "")
        for row in rows
    ]  # fmt: skip
    connection = sqlite3.connect(database_path(data_dir), isolation_level=None)
    try:
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO enterprises (id, created_at, updated_at, row_version, deleted, name,"
            " name_key, name_initials, uscc, registered_capital, legal_representative, address,"
            " headquarters, website, profile, investment_intent, intent_level, water_need,"
            " power_need, site_preference, tags)"
            " VALUES (?, ?, ?, 0, 0, ?, ?, '', ?, ?, ?, ?, '', '', '', '', 'unknown', '', '',"
            " '', '')",
            values,
        )
        connection.execute("ROLLBACK")  # measured, not kept: the app's import goes in next
    finally:
        connection.close()
    return read, time.perf_counter() - start, len(rows)


def measure(label: str, data_dir: Path, sheet_path: Path) -> list[Figure]:
    database = open_local_database(data_dir)
    try:
        bare_read, bare_insert, rows = bare_baseline(sheet_path, data_dir)
        service = EnterpriseImportService(Workspace(database, data_dir))
        start = time.perf_counter()
        preview = service.preview(sheet_path)
        preview_s = time.perf_counter() - start
        result = service.run(sheet_path, preview.mapping)
        run_s = result.seconds
        start = time.perf_counter()
        assert result.receipt_id is not None
        service.undo(result.receipt_id)
        undo_s = time.perf_counter() - start
    finally:
        database.dispose()
    print(
        f"{label}: {rows:,} rows → new {result.created:,}, existing {result.skipped:,},"
        f" rejected {len(result.rejected):,}; import {run_s:.2f} s, undo {undo_s:.2f} s"
    )
    return [
        Figure(f"{label}: preview, rows/s", rows / preview_s, rows / bare_read, "r/s",
               "— (baseline: openpyxl read)"),
        Figure(f"{label}: import, rows/s", rows / run_s, rows / (bare_read + bare_insert),
               "r/s", "a few seconds for 10,000 (baseline: read + executemany)"),
    ]  # fmt: skip


def small_demo(target: Path) -> None:
    source = OUT / "small-data"
    if not (source / "squaddesk.db").is_file():
        run_python(["-m", "app.cli", "demo", "--size", "small", "--data-dir", str(source)])
    target.mkdir(parents=True)
    for name in ("squaddesk.db", "squaddesk.db-wal"):
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="enterprise-import-", dir=OUT) as directory:
        root = Path(directory)
        sheet_path = root / "企业名单.xlsx"
        build_sheet(sheet_path)
        figures = measure("fresh database", root / "fresh", sheet_path)
        small_demo(root / "demo")
        figures += measure("small demo", root / "demo", sheet_path)
    report("enterprise import", figures)


if __name__ == "__main__":
    main()
