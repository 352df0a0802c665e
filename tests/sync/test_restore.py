"""A server restored from an older backup, against the in-memory server: what each laptop sends
again, what it keeps, what it tells the user (``app.sync.restore``, ``app.sync.sent``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from app.database.tables import ConflictRow
from app.database.types import utc_now
from app.domain.ids import new_id
from app.sync import restore, sent, state
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import PullResponse

from .fake_server import SQUAD, FakeServer, FakeTransport
from .helpers import Laptop, MakeWorkspace


@dataclass
class RestorableServer(FakeServer):
    """The fake with feed epochs (as ``server.sync.epoch``), a backup and a restore."""

    epoch: str = field(default_factory=new_id)
    epoch_seq: int = 0

    def head(self) -> int:
        return max((record.seq for record in self.records.values()), default=0)

    def pull(self, cursor: int, limit: int) -> PullResponse:
        page = super().pull(cursor, limit)
        return page.model_copy(
            update={"epoch": self.epoch, "epoch_seq": self.epoch_seq, "head": self.head()}
        )

    def backup(self) -> dict[str, Any]:
        return {
            "records": {key: _copy(record) for key, record in self.records.items()},
            "devices": dict(self.devices),
            "log": dict(self.log),
            "blobs": dict(self.blobs),
        }

    def restore(self, backup: dict[str, Any]) -> None:
        """Back to ``backup``, then a restart: a new epoch starting at the restored head."""
        self.records = {key: _copy(record) for key, record in backup["records"].items()}
        self.devices = dict(backup["devices"])
        self.log = dict(backup["log"])
        self.blobs = dict(backup["blobs"])
        self._seq = itertools.count(self.head() + 1)
        self.epoch = new_id()
        self.epoch_seq = self.head()


def _copy(record: Any) -> Any:
    return dataclasses.replace(record, fields=dict(record.fields))


@pytest.fixture
def restorable(server: FakeServer) -> RestorableServer:
    seeded = {f.name: getattr(server, f.name) for f in dataclasses.fields(FakeServer)}
    return RestorableServer(**seeded)


@pytest.fixture
def pair(
    make_workspace: MakeWorkspace, restorable: RestorableServer
) -> Iterator[tuple[Laptop, Laptop]]:
    a = Laptop(make_workspace("a"), FakeTransport(restorable), "wang")
    b = Laptop(make_workspace("b"), FakeTransport(restorable), "zhao")
    a.sync()
    b.sync()
    yield a, b


def _conflicts(laptop: Laptop) -> list[ConflictRow]:
    with laptop.workspace.database.read() as session:
        return list(session.scalars(select(ConflictRow)))


def test_a_pending_edit_meets_the_restored_server_and_lost_changes_go_first(
    pair: tuple[Laptop, Laptop], restorable: RestorableServer
) -> None:
    a, _b = pair
    backup = restorable.backup()
    lost = [a.enterprises.create({"name": f"备份后企业{n}", "squad_id": SQUAD}) for n in range(3)]
    a.sync()
    lost_ids = set(restorable.log)
    restorable.restore(backup)
    pending = a.enterprises.create({"name": "恢复后企业", "squad_id": SQUAD})
    report = a.sync()
    assert report.server_restored and report.pushed == 4
    assert (report.resent_after_restore, report.lost_in_restore) == (3, 0)
    assert (
        report.restore_notice() == "服务器已从较早的备份恢复：本机重新上传了服务器丢失的 3 条更改"
    )
    assert lost_ids <= set(restorable.log) and len(restorable.log) == 4
    assert sorted(restorable.log[i].device_seq for i in lost_ids) == [1, 2, 3]  # same seqs
    for row_id in [*lost, pending]:
        assert restorable.records[row_id].fields["squad_id"] == SQUAD
    assert a.outbox() == [] and not a.sync().server_restored


def test_a_laptop_that_only_pulled_finds_out_by_the_epoch_and_keeps_lost_records(
    pair: tuple[Laptop, Laptop], restorable: RestorableServer
) -> None:
    a, b = pair
    kept = a.enterprises.create({"name": "备份前企业", "squad_id": SQUAD})
    a.sync()
    backup = restorable.backup()
    made = a.enterprises.create({"name": "备份后企业", "squad_id": SQUAD})
    a.enterprises.update(kept, {"website": "https://after.example.cn"})
    a.sync()
    b.sync()
    assert b.enterprise(made).row_version == 1
    restorable.restore(backup)

    first = b.sync()  # before the author sent anything again
    assert first.server_restored and first.resent_after_restore == 0
    assert first.unconfirmed_after_restore == 1
    assert "1 条记录服务器上暂时没有" in (first.restore_notice() or "")
    lost = b.enterprise(made)
    assert (lost.row_version, lost.deleted, lost.name) == (0, False, "备份后企业")
    assert b.enterprise(kept).website == "" and b.enterprise(kept).row_version == 1

    author = a.sync()  # an empty outbox: the new epoch starts below her cursor
    assert author.server_restored and author.resent_after_restore == 2
    assert b.sync().pulled == 2 and not b.sync().server_restored
    assert b.enterprise(made).row_version == 1 and b.enterprise(kept).website.startswith("https")
    assert b.setting(state.PULL_CURSOR) == str(restorable.head())


def test_a_conflict_the_restore_lost_is_made_again_when_the_change_is_sent_again(
    pair: tuple[Laptop, Laptop], restorable: RestorableServer
) -> None:
    a, b = pair
    shared = a.enterprises.create({"name": "共享企业", "squad_id": SQUAD})
    a.sync()
    b.sync()
    backup = restorable.backup()
    b.enterprises.update(shared, {"website": "https://b.example.cn"})
    b.sync()
    a.enterprises.update(shared, {"website": "https://a.example.cn"})
    assert a.sync().conflicts == 1
    b.sync()
    (old,) = _conflicts(b)
    restorable.restore(backup)

    assert b.sync().resent_after_restore == 1
    assert _conflicts(b) == []  # the server no longer has it
    assert a.sync().conflicts == 1  # sent again: the same field, the same loser
    b.sync()
    for laptop in (a, b):
        (again,) = _conflicts(laptop)
        assert again.id != old.id and again.client_value == "https://a.example.cn"
        assert laptop.enterprise(shared).website == "https://b.example.cn"


def test_changes_older_than_the_kept_window_are_counted_lost_and_the_gap_closes(
    pair: tuple[Laptop, Laptop], restorable: RestorableServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = pair
    backup = restorable.backup()
    for n in range(3):
        a.enterprises.create({"name": f"很久以前的企业{n}", "squad_id": SQUAD})
    a.sync()
    monkeypatch.setattr(sent, "KEEP_LATEST", 1)
    with server_data_transaction(a.workspace.database) as connection:
        assert sent.prune(connection, utc_now() + dt.timedelta(days=31)) == 2
    restorable.restore(backup)
    pending = a.enterprises.create({"name": "恢复后企业", "squad_id": SQUAD})
    report = a.sync()
    assert (report.resent_after_restore, report.lost_in_restore) == (1, 2)
    assert "2 条更改早于本机保留期限" in (report.restore_notice() or "")
    assert a.outbox() == [] and pending in restorable.records
    device = a.setting(state.DEVICE_ID)
    assert device is not None and restorable.devices[device] == 2  # renumbered: no gap left


def test_answered_entries_are_kept_for_the_window_and_pruned_from_the_oldest(
    pair: tuple[Laptop, Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = pair
    for n in range(5):
        a.enterprises.create({"name": f"保留测试企业{n}", "squad_id": SQUAD})
    a.sync()
    monkeypatch.setattr(sent, "KEEP_LATEST", 2)
    database = a.workspace.database
    with server_data_transaction(database) as connection:
        assert (sent.count(connection), sent.highest(connection)) == (5, 5)
        assert sent.prune(connection, utc_now() + dt.timedelta(days=29)) == 0
        assert sent.prune(connection, utc_now() + dt.timedelta(days=31)) == 3
        assert (sent.count(connection), sent.highest(connection)) == (2, 5)
    with database.engine.connect() as connection:  # the status line does not read them
        assert state.get(connection, sent.key(5)) is not None
    assert state.load(database).pull_cursor > 0


@pytest.mark.parametrize(
    ("cursor", "epoch", "epoch_seq", "head", "expected"),
    [
        (10, None, None, None, restore.Verdict.SAME),  # a server without epochs
        (10, "known", 3, 12, restore.Verdict.SAME),
        (10, "new", 12, 12, restore.Verdict.NEW_EPOCH),  # restarted
        (10, "new", 10, 15, restore.Verdict.NEW_EPOCH),
        (10, "new", 8, 15, restore.Verdict.ROLLED_BACK),  # restored below the cursor
        (10, "known", 3, 9, restore.Verdict.ROLLED_BACK),  # restored under a running server
    ],
)
def test_feed_verdict(
    cursor: int, epoch: str | None, epoch_seq: int | None, head: int | None, expected: Any
) -> None:
    page = PullResponse(
        records=[],
        next_cursor=cursor,
        has_more=False,
        server_id="s",
        epoch=epoch,
        epoch_seq=epoch_seq,
        head=head,
    )
    assert restore.feed_verdict(page, cursor, "known") is expected
