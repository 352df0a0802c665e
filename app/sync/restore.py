"""Recovering when the server was restored from an older backup (research/sync.md §3, case 4).

A restore takes the server back to the moment of the backup: changes it answered after that
are gone from its records and change log, device seqs and feed seqs are handed out again.
A laptop must neither lose its own changes (Realm's "client reset" discards them) nor keep
believing records and versions the server no longer has.

Detection, two independent signals:

1. Device seq. Every push answer carries the server's ``last_device_seq`` for this device;
   the laptop stores it (``state.SERVER_DEVICE_SEQ``). A lower number later, or a gap below
   the outbox (``retry_from``), means the server lost changes it had answered. With an empty
   outbox nothing is pushed, so when a pull shows a new feed epoch (the server restarted: a
   restore always comes with one) the laptop sends an empty push to read the number.
2. Feed epoch. Every pull page names the server's epoch, the seq it started at and the head
   (``server.sync.epoch``). A cursor above the head, or a new epoch starting below the cursor,
   means this laptop pulled changes the restored database never had: a laptop that only reads
   finds out this way.

Recovery, one pass, resumable (``RECOVERY`` stays set in ``local_settings`` until it is done):

1. Own changes the server lost go back from the kept answered entries (``app.sync.sent``) into
   the outbox, with their change ids and device seqs; blobs of attachments among them are
   uploaded again; they are pushed like any change (field-level merge, conflicts recorded,
   refusals kept). Entries no longer kept (older than the retention) cannot be sent again: the
   outbox is renumbered to close the gap and the report counts them as lost.
2. The cursor goes back to 0 and everything the user may read is pulled again, each record
   written whatever its ``row_version`` (versions after the backup were handed out again, so an
   equal number no longer means an equal record). The cursor ends at the head: nothing missed,
   and the next cycles pull only what is new.
3. Records kept here that the full pull did not bring are ones the restored server lacks (made
   after the backup by a laptop that has not sent them again yet). Data rows stay, marked as not
   on the server (``row_version`` 0): when their author's laptop recovers and sends them again,
   the next pull writes them back. Conflict records are dropped: the server makes new ones when
   the change that lost is sent again.

The cycle that finishes a recovery reports it (``SyncReport.server_restored``) with the number
of changes sent again, lost for good, and records waiting for the server to learn them again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, delete, select, update

from app.database.unit_of_work import Database
from app.i18n import tr
from app.sync import outbox, sent, state
from app.sync.apply import CONFLICTS, SPECS, chunks
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import PullResponse

RECOVERY = "restore_recovery"
"""Setting: JSON ``{"resent": n, "lost": m}`` while a recovery is under way, else absent."""


class RolledBack(Exception):
    """A pull page showed the server restored; the page was not applied."""


class Verdict(Enum):
    SAME = "same"  # the epoch this laptop knows (or a server without epochs)
    NEW_EPOCH = "new_epoch"  # the server restarted; the feed up to this laptop's cursor holds
    ROLLED_BACK = "rolled_back"  # this laptop pulled seqs the server's database never had


def feed_verdict(page: PullResponse, cursor: int, known_epoch: str | None) -> Verdict:
    """How ``page`` (asked for from ``cursor``) relates to what this laptop pulled before."""
    if page.head is not None and cursor > page.head:
        return Verdict.ROLLED_BACK
    if page.epoch is None or page.epoch == known_epoch:
        return Verdict.SAME
    if page.epoch_seq is not None and cursor > page.epoch_seq:
        return Verdict.ROLLED_BACK
    return Verdict.NEW_EPOCH


class FeedWatch:
    """The check ``pull_all`` runs before applying each page: raises ``RolledBack``.

    On a new epoch, ``own_changes_lost()`` is asked (an empty push, unless this cycle pushed
    already); True means the server lost this laptop's changes, which needs the recovery too.
    """

    def __init__(self, known_epoch: str | None, own_changes_lost: Callable[[], bool]) -> None:
        self.known_epoch = known_epoch
        self.own_changes_lost = own_changes_lost

    def __call__(self, page: PullResponse, cursor: int) -> None:
        verdict = feed_verdict(page, cursor, self.known_epoch)
        if verdict is Verdict.ROLLED_BACK:
            raise RolledBack
        if verdict is Verdict.NEW_EPOCH and self.own_changes_lost():
            raise RolledBack
        if page.epoch is not None:
            self.known_epoch = page.epoch


@dataclass(frozen=True, slots=True)
class Counts:
    resent: int = 0
    lost: int = 0


def check_device_seq(
    connection: Connection, reported: int, gap: bool, answered: Collection[int] = ()
) -> Counts | None:
    """Compare the server's ``last_device_seq`` with the last one it reported; on a loss (or a
    ``gap`` below the outbox) put the kept entries above it back into the outbox, renumber if
    some could not be, and start a recovery. In the caller's push transaction; ``answered``:
    the seqs this answer covered (the server holds those, whatever its device seq says).
    Returns what was put back, or None when the server lost nothing."""
    known = int(state.get(connection, state.SERVER_DEVICE_SEQ) or 0)
    state.put(connection, state.SERVER_DEVICE_SEQ, str(reported))
    if reported >= known and not gap:
        return None
    pending = outbox.pending(connection)
    answered_top = max(known, sent.highest(connection), pending[0].device_seq - 1 if pending else 0)
    taken = sent.take_back(connection, after=reported, leave=answered)
    held = sum(1 for seq in answered if seq > reported)
    lost = max(0, answered_top - reported - taken.count - held)
    seqs = [entry.device_seq for entry in outbox.pending(connection)]
    if seqs != list(range(reported + 1, reported + 1 + len(seqs))):
        outbox.renumber(connection, reported + 1)
    counts = Counts(taken.count, lost)
    _add(connection, counts)
    return counts


def _add(connection: Connection, counts: Counts) -> None:
    before = _counts(state.get(connection, RECOVERY))
    total = Counts(before.resent + counts.resent, before.lost + counts.lost)
    state.put(connection, RECOVERY, json.dumps({"resent": total.resent, "lost": total.lost}))


def _counts(text: str | None) -> Counts:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    return Counts(int(found.get("resent") or 0), int(found.get("lost") or 0))


def begin(database: Database) -> None:
    """Start a recovery (a pull page showed the restore) unless one is under way."""
    with server_data_transaction(database) as connection:
        _add(connection, Counts())


def under_way(database: Database) -> bool:
    with database.engine.connect() as connection:
        return state.get(connection, RECOVERY) is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a finished recovery did, for the sync report."""

    resent: int
    lost: int
    unconfirmed: int


def finish(database: Database, seen: Mapping[str, set[str]]) -> Outcome:
    """After the full pull reached the head: mark the records it did not bring (``seen``:
    table → ids pulled) and end the recovery, in one transaction."""
    unconfirmed = 0
    with server_data_transaction(database) as connection:
        counts = _counts(state.get(connection, RECOVERY))
        for name, spec in SPECS.items():
            table = spec.table
            held = connection.scalars(select(table.c.id).where(table.c.row_version > 0)).all()
            missing = [row_id for row_id in held if row_id not in seen.get(name, set())]
            for chunk in chunks(missing, 500):
                if name == CONFLICTS:
                    connection.execute(delete(table).where(table.c.id.in_(chunk)))
                else:
                    connection.execute(
                        update(table).where(table.c.id.in_(chunk)).values(row_version=0)
                    )
            if name != CONFLICTS:
                unconfirmed += len(missing)
        state.put(connection, RECOVERY, None)
    return Outcome(counts.resent, counts.lost, unconfirmed)


def notice(outcome: Outcome) -> str:
    """The one-time message after a recovery (the CLI prints it; the report carries it)."""
    text = tr(
        "服务器已从较早的备份恢复：本机重新上传了服务器丢失的 {resent} 条更改",
        resent=outcome.resent,
    )
    if outcome.lost:
        text += tr("；{lost} 条更改早于本机保留期限，无法重新上传", lost=outcome.lost)
    if outcome.unconfirmed:
        text += tr(
            "；{count} 条记录服务器上暂时没有，保留在本机，待创建它们的电脑同步后恢复",
            count=outcome.unconfirmed,
        )
    return text
