"""Push the outbox: batches of at most 200 entries in ``device_seq`` order.

Each answer is applied in one local transaction: acknowledged entries (applied, merged,
conflict) leave the outbox, refused ones move to ``rejected_changes``, and the record states and
conflict records the server returns are written (rebased over entries still pending). An entry
leaves the outbox only in the transaction that applies its answer, so a cut at any moment means
it is pushed again, and the server's change-id check makes that harmless.

The same transaction keeps each answered entry for a while (``app.sync.sent``) and compares the
server's ``last_device_seq`` with the one it reported before: a server restored from an older
backup gets its lost changes back (``app.sync.restore``). ``run`` then returns early with
``took_back`` set, so the caller uploads the blobs of attachments among them before pushing on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.database.types import utc_now
from app.database.unit_of_work import Database
from app.domain.ids import new_id
from app.i18n import tr
from app.sync import outbox, restore, sent, state
from app.sync.apply import apply_records, tombstone
from app.sync.errors import SyncProblem
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import PUSH_BATCH_LIMIT, ErrorCode, Outcome, PushRequest, PushResponse
from app.sync.transport import Transport

MAX_STALLS = 3

Stop = Callable[[], bool]
Report = Callable[[int, int], None]
Relogin = Callable[[str], None]


@dataclass(slots=True)
class PushCounts:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    new_conflicts: int = 0
    blobs: set[str] | None = None


class Pusher:
    """Drains the outbox of one database to one logged-in transport."""

    def __init__(
        self,
        database: Database,
        transport: Transport,
        device_id: str,
        relogin: Relogin,
        *,
        batch: int = PUSH_BATCH_LIMIT,
    ) -> None:
        self.database = database
        self.transport = transport
        self.device_id = device_id
        self.relogin = relogin
        self.batch = min(batch, PUSH_BATCH_LIMIT)
        self.counts = PushCounts(blobs=set())
        self._device_replaced = False
        self.confirmed = False
        """The server answered a push this cycle (so its ``last_device_seq`` was compared)."""
        self.took_back = False
        """The last call put answered entries back into the outbox (the server lost them)."""

    def run(self, stop: Stop, report: Report | None = None) -> bool:
        """Push until the outbox is empty; False when ``stop()`` asked to end early. Returns
        True early, with ``took_back`` set, when entries the server lost were put back."""
        self.took_back = False
        with self.database.engine.connect() as connection:
            total = outbox.count(connection)
        stalls = 0
        while True:
            if stop():
                return False
            with self.database.engine.connect() as connection:
                entries = outbox.pending(connection, self.batch)
            if not entries:
                self._prune()
                return True
            request = PushRequest(
                device_id=self.device_id, changes=[entry.change() for entry in entries]
            )
            try:
                response = self.transport.push(request)
            except SyncProblem as problem:
                if problem.code != ErrorCode.DEVICE_REUSED:
                    raise
                self._replace_device(problem)
                continue
            progressed = self._apply(entries, response)
            if report is not None:
                report(self.counts.pushed, max(total, self.counts.pushed))
            if self.took_back:
                return True
            stalls = 0 if progressed else stalls + 1
            if stalls >= MAX_STALLS:
                raise SyncProblem(
                    "server_error",
                    tr(
                        "服务器没有处理上传的更改（第 {seq} 条起），请稍后重试",
                        seq=entries[0].device_seq,
                    ),
                )

    def probe(self) -> None:
        """An empty push: only the server's ``last_device_seq``, compared with ours (after the
        server restarted, when this cycle had nothing to push)."""
        self.took_back = False
        try:
            response = self.transport.push(PushRequest(device_id=self.device_id, changes=[]))
        except SyncProblem as problem:
            if problem.code != ErrorCode.DEVICE_REUSED:
                raise
            self._replace_device(problem)
            return
        self._apply([], response)

    def _prune(self) -> None:
        with server_data_transaction(self.database) as connection:
            sent.prune(connection, utc_now())

    def _apply(self, entries: list[outbox.Pending], response: PushResponse) -> bool:
        by_id = {entry.change_id: entry for entry in entries}
        handled = 0
        self.confirmed = True
        answered_at = utc_now()
        with server_data_transaction(self.database) as connection:
            for result in response.results:
                entry = by_id.pop(result.change_id, None)
                if entry is None:
                    continue
                handled += 1
                self.counts.pushed += 1
                if result.outcome == Outcome.REJECTED:
                    self.counts.rejected += 1
                    outbox.reject(connection, entry, result)
                    if result.record is None and entry.op == "insert":
                        tombstone(connection, entry.table_name, entry.row_id)
                else:
                    if result.outcome == Outcome.APPLIED:
                        self.counts.applied += 1
                    elif result.outcome == Outcome.MERGED:
                        self.counts.merged += 1
                    else:
                        self.counts.conflicts += 1
                    outbox.accepted(connection, entry.change_id)
                sent.keep(connection, entry, result.outcome.value, answered_at)
                records = [
                    *([result.record] if result.record is not None else []),
                    *result.conflicts,
                ]
                if records:
                    stats = apply_records(connection, records, from_push=True, history=False)
                    self.counts.new_conflicts += stats.conflicts
                    if self.counts.blobs is not None:
                        self.counts.blobs |= stats.blobs
            remaining = sorted(entry.device_seq for entry in by_id.values())
            gap = response.retry_from is not None and bool(remaining)
            gap = gap and remaining[0] != response.retry_from
            answered = {entry.device_seq for entry in entries} - set(remaining)
            last = response.last_device_seq
            if restore.check_device_seq(connection, last, gap, answered) is not None:
                self.took_back = True
                handled += 1  # putting back and renumbering is progress: the gap closes next
        return handled > 0

    def _replace_device(self, problem: SyncProblem) -> None:
        """A copied data dir: take a new device id, number the outbox from 1, log in again."""
        if self._device_replaced:
            raise SyncProblem(
                "server_error",
                tr("服务器仍认为本机的设备编号已被使用，请联系管理员"),
                code=problem.code,
                status=problem.status,
            )
        self._device_replaced = True
        device_id = new_id()
        with server_data_transaction(self.database) as connection:
            state.put(connection, state.DEVICE_ID, device_id)
            state.put(connection, state.SERVER_DEVICE_SEQ, None)
            sent.forget(connection)  # the old id's answered changes are not this copy's
            outbox.renumber(connection, 1)
        self.device_id = device_id
        self.relogin(device_id)
