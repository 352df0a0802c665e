"""A laptop as a separate process, so a test can SIGKILL it mid-edit or mid-pull.

``python -m tests.sync_faults.client_proc DATA_DIR sync --server URL --user NAME`` runs one
sync cycle (password from ``SQUADDESK_PASSWORD``) and prints one JSON line: the report, or the
problem kind. ``edit`` creates and edits enterprises in a loop, printing ``committed N ID`` after
each commit. Options:

- ``--stall-in-page N``: while applying pulled page N (after its rows are written, before the
  cursor is stored, inside the transaction) print ``stalled`` and sleep: a kill there must
  roll the whole page back.
- ``--stall-after-page N``: after page N committed, before asking for the next, print
  ``stalled`` and sleep.
- ``--clock-days D``: this laptop's clock runs D days off (every ``utc_now`` in ``app``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import app.database.types as types_module

_fault_clock_offset = dt.timedelta(0)


def _skewed_now() -> dt.datetime:
    """Runs with ``app.database.types``' globals once swapped in (see ``skew_clock``)."""
    return dt.datetime.now(dt.UTC) + _fault_clock_offset


def skew_clock(days: float) -> None:
    """``app.database.types.utc_now`` — and so every caller in ``app``, column defaults
    included — answers ``days`` off: its code is swapped, every reference to it stays."""
    types_module._fault_clock_offset = dt.timedelta(days=days)  # type: ignore[attr-defined]
    types_module.utc_now.__code__ = _skewed_now.__code__


def _stall() -> None:
    print("stalled", flush=True)
    time.sleep(3600)


def _install_stalls(in_page: int | None, after_page: int | None) -> None:
    from app.sync import state
    from app.sync.transport import Transport

    pages = {"applied": 0, "fetched": 0}
    real_put = state.put
    real_pull = Transport.pull

    def put(connection: Any, key: str, value: str | None) -> None:
        if key == state.PULL_CURSOR:
            pages["applied"] += 1
            print(f"page {pages['applied']} cursor {value}", flush=True)
            if in_page is not None and pages["applied"] == in_page:
                _stall()
        real_put(connection, key, value)

    def pull(self: Transport, cursor: int, limit: int) -> Any:
        if after_page is not None and pages["fetched"] == after_page:
            _stall()
        pages["fetched"] += 1
        return real_pull(self, cursor, limit)

    state.put = put
    Transport.pull = pull  # type: ignore[method-assign]


def run_sync(args: argparse.Namespace) -> int:
    import os

    from app.database.opening import open_local_database
    from app.services.workspace import Workspace
    from app.sync.engine import SyncEngine, SyncProblem

    _install_stalls(args.stall_in_page, args.stall_after_page)
    if args.clock_days:
        skew_clock(args.clock_days)
    database = open_local_database(Path(args.data_dir))
    try:
        engine = SyncEngine(
            Workspace(database, Path(args.data_dir)),
            password=os.environ["SQUADDESK_PASSWORD"],
            server_url=args.server,
            username=args.user,
            page_size=args.page_size,
        )
        try:
            report = engine.run(confirm_mass_delete=args.confirm)
        except SyncProblem as problem:
            print(json.dumps({"problem": problem.kind, "message": str(problem)}), flush=True)
            return 3
        print(json.dumps({"report": {k: getattr(report, k) for k in report.__slots__}}), flush=True)
        return 0
    finally:
        database.dispose()


def run_edit(args: argparse.Namespace) -> int:
    from app.database.opening import open_local_database
    from app.services.enterprises import EnterpriseService
    from app.services.workspace import Workspace

    if args.clock_days:
        skew_clock(args.clock_days)
    database = open_local_database(Path(args.data_dir))
    service = EnterpriseService(Workspace(database, Path(args.data_dir)))
    print("ready", flush=True)
    number = 0
    made: list[str] = []
    while args.count == 0 or number < args.count:
        number += 1
        if made and number % 3 == 0:
            service.update(made[-1], {"website": f"https://{args.prefix}{number}.example.cn"})
            print(f"committed {number} {made[-1]}", flush=True)
        else:
            made.append(service.create({"name": f"{args.prefix}企业{number}"}))
            print(f"committed {number} {made[-1]}", flush=True)
    database.dispose()
    return 0


def run_ops(args: argparse.Namespace) -> int:
    """``--ops JSON``: a list of ``["create", fields]``, ``["update", id, fields]``,
    ``["delete", id]``, ``["sync"]``; prints one JSON line per step."""
    import os

    from app.database.opening import open_local_database
    from app.services.enterprises import EnterpriseService
    from app.services.workspace import Workspace
    from app.sync.engine import SyncEngine, SyncProblem

    if args.clock_days:
        skew_clock(args.clock_days)
    data_dir = Path(args.data_dir)
    database = open_local_database(data_dir)
    workspace = Workspace(database, data_dir)
    service = EnterpriseService(workspace)
    try:
        for step in json.loads(args.ops):
            if step[0] == "create":
                print(json.dumps({"created": service.create(step[1])}), flush=True)
            elif step[0] == "update":
                service.update(step[1], step[2])
                print(json.dumps({"updated": step[1]}), flush=True)
            elif step[0] == "delete":
                service.delete(step[1])
                print(json.dumps({"deleted": step[1]}), flush=True)
            else:
                engine = SyncEngine(
                    workspace,
                    password=os.environ["SQUADDESK_PASSWORD"],
                    server_url=args.server,
                    username=args.user,
                )
                try:
                    report = engine.run()
                except SyncProblem as problem:
                    print(json.dumps({"problem": problem.kind}), flush=True)
                    return 3
                print(json.dumps({"synced": report.pushed, "pulled": report.pulled}), flush=True)
    finally:
        database.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync")
    sync.add_argument("--server", required=True)
    sync.add_argument("--user", required=True)
    sync.add_argument("--page-size", type=int, default=1000)
    sync.add_argument("--stall-in-page", type=int)
    sync.add_argument("--stall-after-page", type=int)
    sync.add_argument("--confirm", action="store_true")
    sync.add_argument("--clock-days", type=float, default=0.0)
    edit = commands.add_parser("edit")
    edit.add_argument("--count", type=int, default=0, help="0: until killed")
    edit.add_argument("--prefix", default="")
    edit.add_argument("--clock-days", type=float, default=0.0)
    ops = commands.add_parser("ops")
    ops.add_argument("--server", required=True)
    ops.add_argument("--user", required=True)
    ops.add_argument("--ops", required=True)
    ops.add_argument("--clock-days", type=float, default=0.0)
    args = parser.parse_args(argv)
    runners = {"sync": run_sync, "edit": run_edit, "ops": run_ops}
    return runners[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
