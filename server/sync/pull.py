"""``GET /sync/pull`` and ``GET /sync/summary``: the feed of readable records by ``seq``.

A pull page is built as JSON text directly (``PullResponse``'s shape): record fields are
spliced in as the database returns them (JSON text on SQLite, ``jsonb::text`` on PostgreSQL),
so a page costs one indexed query and string joins, no per-field decoding. For a user bound to
scopes, each scope is read from the ``(scope, seq)`` index and the streams are merged.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Select, Text, cast, func, select, union_all

from app.sync.protocol import SummaryResponse, TableSummary
from server.database.engine import ServerDatabase
from server.database.tables import records
from server.principal import Principal
from server.sync.epoch import ensure_epoch, read_feed

FEED_COLUMNS = (
    records.c.table_name,
    records.c.id,
    records.c.row_version,
    records.c.seq,
    records.c.deleted,
    records.c.created_at,
    records.c.updated_at,
    records.c.updated_by,
    cast(records.c.data, Text).label("fields"),
)


def _feed_query(scopes: tuple[str, ...] | None, cursor: int, limit: int) -> Select[Any]:
    if scopes is None:
        return (
            select(*FEED_COLUMNS).where(records.c.seq > cursor).order_by(records.c.seq).limit(limit)
        )
    streams = [
        select(*FEED_COLUMNS)
        .where(records.c.scope == scope, records.c.seq > cursor)
        .order_by(records.c.seq)
        .limit(limit)
        .subquery()
        for scope in scopes
    ]
    merged = union_all(*(select(stream) for stream in streams)).subquery()
    return select(merged).order_by(merged.c.seq).limit(limit)


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def pull_page(
    database: ServerDatabase, principal: Principal, cursor: int, limit: int, server_id: str
) -> bytes:
    """The ``PullResponse`` JSON for records above ``cursor`` the user may read."""
    ensure_epoch(database)
    with database.read() as connection:
        rows = connection.execute(_feed_query(principal.readable_scopes(), cursor, limit + 1)).all()
        feed = read_feed(connection)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1].seq if rows else cursor
    records_json = ",".join(
        f'{{"table":{_text(row.table_name)},"id":{_text(row.id)},'
        f'"row_version":{row.row_version:d},"seq":{row.seq:d},"deleted":{_bool(row.deleted)},'
        f'"created_at":{_text(row.created_at)},"updated_at":{_text(row.updated_at)},'
        f'"updated_by":{_text(row.updated_by)},"fields":{row.fields}}}'
        for row in rows
    )
    epoch_seq = "null" if feed.epoch_seq is None else f"{feed.epoch_seq:d}"
    body = (
        f'{{"records":[{records_json}],"next_cursor":{next_cursor:d},'
        f'"has_more":{_bool(has_more)},"server_id":{_text(server_id)},'
        f'"epoch":{_text(feed.epoch)},"epoch_seq":{epoch_seq},"head":{feed.head:d}}}'
    )
    return body.encode("utf-8")


def summary(database: ServerDatabase, principal: Principal) -> SummaryResponse:
    """Per table: how many records the user sees (tombstones included) and their version sum."""
    scopes = principal.readable_scopes()
    counts = select(
        records.c.table_name, func.count(), func.coalesce(func.sum(records.c.row_version), 0)
    ).group_by(records.c.table_name)
    if scopes is not None:
        counts = counts.where(records.c.scope.in_(scopes))
        highest = [select(func.max(records.c.seq)).where(records.c.scope == s) for s in scopes]
    else:
        highest = [select(func.max(records.c.seq))]
    with database.read() as connection:
        tables = {
            row[0]: TableSummary(count=int(row[1]), version_sum=int(row[2]))
            for row in connection.execute(counts)
        }
        cursor = max((connection.scalar(query) or 0 for query in highest), default=0)
    return SummaryResponse(cursor=int(cursor), tables=tables)
