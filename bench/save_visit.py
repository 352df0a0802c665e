"""Saving a visit durably on the large dataset, beside bare sqlite3 doing the same writes.

The app side is the real ``VisitService``: ``create`` (a new visit with the form's defaults —
today, my squad, me — written with its outbox entry and history row) and ``update`` of one text
field (the autosave of the discussion), each one committed unit of work on the app's engine
(WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``). The baseline is bare ``sqlite3`` on the same
file with the same pragmas: one transaction inserting an equivalent visit row plus an outbox
row, and one updating the discussion plus an outbox row. App and baseline saves alternate, so
both see the same file, WAL size and checkpoints. The large dataset is copied to a temporary
directory first (the copy is migrated if the schema is newer, and thrown away afterwards).

Run alone: ``python -m bench.save_visit``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.database.opening import database_path, open_local_database
from app.database.tables import MemberRow
from app.services.enterprises import EnterpriseService
from app.services.visits import VisitService
from app.services.workspace import Workspace
from bench.dataset import large_data_dir
from bench.harness import OUT, Figure, percentile, report, time_call

SAVES = 200
WARMUP = 10
TARGET_MS = 20.0
PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=5000",
)
DISCUSSION = (
    "双方介绍了各自情况。对方计划在长三角新建生产基地，一期用地约150亩，用电负荷约1万千伏安。\n"
    "我方介绍了园区的土地、能耗指标和人才政策，对方对标准厂房代建很感兴趣。\n"
)


def copy_dataset(source: Path, target: Path) -> None:
    for name in ("squaddesk.db", "squaddesk.db-wal"):
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)


class BareVisitWriter:
    """Bare sqlite3: a visit row and an outbox row per transaction, as the app writes them."""

    def __init__(self, database: Path) -> None:
        self._connection = sqlite3.connect(database, isolation_level=None)
        for pragma in PRAGMAS:
            self._connection.execute(pragma)
        self._seq = 1_000_000_000  # far above the app's device sequence

    def close(self) -> None:
        self._connection.close()

    def create(self, enterprise_id: str, squad_id: str | None, author_id: str | None) -> str:
        visit_id = str(uuid.uuid4())
        now = dt.datetime.now(dt.UTC).isoformat()
        fields: dict[str, object] = {
            "enterprise_id": enterprise_id,
            "squad_id": squad_id,
            "author_id": author_id,
            "visited_on": dt.date.today().isoformat(),
            "place": "企业总部",
            "purpose": "了解扩产计划",
            "discussion": DISCUSSION,
        }
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO visits (id, created_at, updated_at, updated_by, row_version, deleted,"
            " enterprise_id, trip_id, squad_id, author_id, chain_link_id, visited_on, place,"
            " purpose, discussion, outcomes, next_steps)"
            " VALUES (?, ?, ?, ?, 0, 0, ?, NULL, ?, ?, NULL, ?, ?, ?, ?, '', '')",
            (
                visit_id,
                now,
                now,
                author_id,
                enterprise_id,
                squad_id,
                author_id,
                fields["visited_on"],
                fields["place"],
                fields["purpose"],
                fields["discussion"],
            ),
        )
        self._outbox(visit_id, "insert", fields, {}, now)
        connection.execute("COMMIT")
        return visit_id

    def update(self, visit_id: str, discussion: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "UPDATE visits SET discussion = ?, updated_at = ? WHERE id = ?",
            (discussion, now, visit_id),
        )
        self._outbox(visit_id, "patch", {"discussion": discussion}, {"row_version": 0}, now)
        connection.execute("COMMIT")

    def _outbox(
        self, row_id: str, op: str, fields: dict[str, object], base: dict[str, object], now: str
    ) -> None:
        self._seq += 1
        self._connection.execute(
            "INSERT INTO outbox (device_seq, change_id, table_name, row_id, op, fields, base,"
            " schema_version, created_at) VALUES (?, ?, 'visits', ?, ?, ?, ?, 'bench', ?)",
            (
                self._seq,
                str(uuid.uuid4()),
                row_id,
                op,
                json.dumps(fields, ensure_ascii=False),
                json.dumps(base),
                now,
            ),
        )


def _alternate(
    app: Callable[[int], None], bare: Callable[[int], None], count: int
) -> tuple[list[float], list[float]]:
    app_ms: list[float] = []
    bare_ms: list[float] = []
    for number in range(count):
        app_ms.append(time_call(partial(app, number)))
        bare_ms.append(time_call(partial(bare, number)))
    return app_ms, bare_ms


def measure(data_dir: Path) -> list[Figure]:
    database = open_local_database(data_dir)
    workspace = Workspace(database, data_dir)
    bare = BareVisitWriter(database_path(data_dir))
    try:
        me = workspace.current_member_id()
        enterprises = EnterpriseService(workspace).page(limit=SAVES + WARMUP).rows
        squad_id = _squad_of(workspace, me)
        visits = VisitService(workspace)
        app_ids: list[str] = []
        bare_ids: list[str] = []

        def app_create(number: int) -> None:
            changes = {
                "enterprise_id": enterprises[number % len(enterprises)].id,
                "squad_id": squad_id,
                "author_id": me,
                "visited_on": dt.date.today(),
                "place": "企业总部",
                "purpose": "了解扩产计划",
                "discussion": DISCUSSION,
            }
            app_ids.append(visits.create(changes, participant_ids=[me] if me else []))

        def bare_create(number: int) -> None:
            enterprise_id = enterprises[number % len(enterprises)].id
            bare_ids.append(bare.create(enterprise_id, squad_id, me))

        def app_update(number: int) -> None:
            text = DISCUSSION + f"第{number}次补充：对方希望年底前实地看地。"
            visits.update(app_ids[number], {"discussion": text})

        def bare_update(number: int) -> None:
            bare.update(
                bare_ids[number], DISCUSSION + f"第{number}次补充：对方希望年底前实地看地。"
            )

        _alternate(app_create, bare_create, WARMUP)
        del app_ids[:], bare_ids[:]
        create_app, create_bare = _alternate(app_create, bare_create, SAVES)
        update_app, update_bare = _alternate(app_update, bare_update, SAVES)
    finally:
        bare.close()
        database.dispose()
    target = f"p95 ≤ {TARGET_MS:.0f} ms"
    return [
        Figure("save a new visit, p50", percentile(create_app, 0.5),
               percentile(create_bare, 0.5), "ms", "—"),
        Figure("save a new visit, p95", percentile(create_app, 0.95),
               percentile(create_bare, 0.95), "ms", target),
        Figure("autosave one text field, p50", percentile(update_app, 0.5),
               percentile(update_bare, 0.5), "ms", "—"),
        Figure("autosave one text field, p95", percentile(update_app, 0.95),
               percentile(update_bare, 0.95), "ms", target),
    ]  # fmt: skip


def _squad_of(workspace: Workspace, member_id: str | None) -> str | None:
    if member_id is None:
        return None
    with workspace.database.read() as session:
        member = session.get(MemberRow, member_id)
        return member.squad_id if member is not None else None


def main() -> None:
    source = large_data_dir()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="save-visit-", dir=OUT) as directory:
        data_dir = Path(directory)
        copy_dataset(source, data_dir)
        figures = measure(data_dir)
        with contextlib.suppress(OSError):
            shutil.rmtree(data_dir)
    report("save visit", figures)


if __name__ == "__main__":
    main()
