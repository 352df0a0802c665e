"""Reading the records the index points at: what is shown of them, and what is checked.

The index answers with row ids; the rows themselves (and their enterprise) are read here, a
handful at a time, so a hit always shows the record as it is now, and a row the index still
lists by mistake (tombstoned, or its enterprise tombstoned) is dropped.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.search.results import SearchKind


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record the index named, as read from its table."""

    kind: SearchKind
    rowid: int
    record_id: str
    live: bool
    title: str
    fields: tuple[tuple[str, str], ...]
    """``(field, text)`` that a query may match, in the order a snippet prefers them."""
    detail: str = ""
    enterprise_id: str = ""
    enterprise_name: str = ""
    on: dt.date | None = None


def date_of(raw: Any) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw)[:10])


def _stage_label(raw: str) -> str:
    try:
        return ProjectStage(raw).label
    except ValueError:
        return raw


def _enterprise(row: Any) -> Candidate:
    return Candidate(
        SearchKind.ENTERPRISE,
        row["rowid"],
        row["id"],
        not row["deleted"],
        row["name"],
        (
            ("name", row["name"]),
            ("uscc", row["uscc"] or ""),
            ("legal_representative", row["legal_representative"] or ""),
            ("tags", row["tags"] or ""),
            ("name_initials", row["name_initials"] or ""),
        ),
        detail=row["uscc"] or "",
        enterprise_id=row["id"],
        enterprise_name=row["name"],
    )


def _contact(row: Any) -> Candidate:
    return Candidate(
        SearchKind.CONTACT,
        row["rowid"],
        row["id"],
        not row["deleted"] and not row["enterprise_deleted"],
        row["name"],
        (
            ("name", row["name"]),
            ("title", row["title"] or ""),
            ("mobile", row["mobile"] or ""),
            ("phone", row["phone"] or ""),
            ("email", row["email"] or ""),
            ("wechat", row["wechat"] or ""),
        ),
        detail=row["title"] or "",
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
    )


def _visit(row: Any) -> Candidate:
    return Candidate(
        SearchKind.VISIT,
        row["rowid"],
        row["id"],
        not row["deleted"] and not row["enterprise_deleted"],
        row["enterprise_name"],
        (
            ("purpose", row["purpose"] or ""),
            ("discussion", row["discussion"] or ""),
            ("outcomes", row["outcomes"] or ""),
            ("next_steps", row["next_steps"] or ""),
            ("place", row["place"] or ""),
        ),
        detail=row["place"] or "",
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        on=date_of(row["visited_on"]),
    )


def _note(row: Any) -> Candidate:
    return Candidate(
        SearchKind.NOTE,
        row["rowid"],
        row["id"],
        not row["deleted"] and not row["enterprise_deleted"],
        row["enterprise_name"],
        (
            ("their_asks", row["their_asks"] or ""),
            ("our_offers", row["our_offers"] or ""),
            ("sticking_points", row["sticking_points"] or ""),
            ("next_round", row["next_round"] or ""),
        ),
        detail=tr("第{round}轮洽谈", round=row["round_no"]),
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        on=date_of(row["held_on"]),
    )


def _project(row: Any) -> Candidate:
    return Candidate(
        SearchKind.PROJECT,
        row["rowid"],
        row["id"],
        not row["deleted"] and not row["enterprise_deleted"],
        row["name"],
        (("name", row["name"]), ("content", row["content"] or ""), ("site", row["site"] or "")),
        detail=_stage_label(row["stage"]),
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
    )


_JOINED = ", e.id AS enterprise_id, e.name AS enterprise_name, e.deleted AS enterprise_deleted"

_SELECT = {
    SearchKind.ENTERPRISE: (
        "SELECT t.rowid AS rowid, t.id, t.deleted, t.name, t.name_initials, t.uscc,"
        " t.legal_representative, t.tags FROM enterprises AS t",
        _enterprise,
    ),
    SearchKind.CONTACT: (
        "SELECT t.rowid AS rowid, t.id, t.deleted, t.name, t.title, t.phone, t.mobile, t.email,"
        f" t.wechat{_JOINED} FROM contacts AS t JOIN enterprises AS e ON e.id = t.enterprise_id",
        _contact,
    ),
    SearchKind.VISIT: (
        "SELECT t.rowid AS rowid, t.id, t.deleted, t.visited_on, t.place, t.purpose,"
        f" t.discussion, t.outcomes, t.next_steps{_JOINED}"
        " FROM visits AS t JOIN enterprises AS e ON e.id = t.enterprise_id",
        _visit,
    ),
    SearchKind.NOTE: (
        "SELECT t.rowid AS rowid, t.id, t.deleted, t.held_on, t.round_no, t.their_asks,"
        f" t.our_offers, t.sticking_points, t.next_round{_JOINED}"
        " FROM negotiation_notes AS t JOIN enterprises AS e ON e.id = t.enterprise_id",
        _note,
    ),
    SearchKind.PROJECT: (
        f"SELECT t.rowid AS rowid, t.id, t.deleted, t.name, t.stage, t.content, t.site{_JOINED}"
        " FROM projects AS t JOIN enterprises AS e ON e.id = t.enterprise_id",
        _project,
    ),
}

# Newest (or most useful) first, for the records of an enterprise the query matched.
_OF_ENTERPRISES_ORDER = {
    SearchKind.CONTACT: "t.is_primary DESC, t.rowid DESC",
    SearchKind.VISIT: "t.visited_on DESC, t.rowid DESC",
    SearchKind.NOTE: "t.held_on DESC, t.rowid DESC",
    SearchKind.PROJECT: "t.rowid DESC",
}


def _rows(connection: sqlite3.Connection, sql: str, values: Sequence[object] = ()) -> Any:
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row  # on this cursor only: the connection is shared
    return cursor.execute(sql, values)


def _listed(rowids: Sequence[int]) -> str:
    return ", ".join(str(int(rowid)) for rowid in rowids)


def load_by_rowid(
    connection: sqlite3.Connection, kind: SearchKind, rowids: Sequence[int]
) -> dict[int, Candidate]:
    """The rows with these source ``rowid``s, by rowid (missing ones left out)."""
    if not rowids:
        return {}
    select, make = _SELECT[kind]
    rows = _rows(connection, f"{select} WHERE t.rowid IN ({_listed(rowids)})")
    return {candidate.rowid: candidate for candidate in map(make, rows)}


def newest_first(
    connection: sqlite3.Connection, table: str, date_column: str, rowids: Sequence[int]
) -> list[int]:
    """``rowids`` of ``table``, the newest (by ``date_column``, then rowid) first; reading
    just the dates, so many can be ordered before any long text is read."""
    if not rowids:
        return []
    rows = connection.execute(
        f"SELECT rowid FROM {table} WHERE rowid IN ({_listed(rowids)})"
        f" ORDER BY {date_column} DESC, rowid DESC"
    )
    return [rowid for (rowid,) in rows]


def load_of_enterprises(
    connection: sqlite3.Connection, kind: SearchKind, enterprise_ids: Sequence[str], limit: int
) -> list[Candidate]:
    """Live records of these enterprises, best first (see ``_OF_ENTERPRISES_ORDER``)."""
    if not enterprise_ids:
        return []
    select, make = _SELECT[kind]
    marks = ", ".join("?" for _ in enterprise_ids)
    sql = (
        f"{select} WHERE t.enterprise_id IN ({marks}) AND t.deleted = 0"
        f" ORDER BY {_OF_ENTERPRISES_ORDER[kind]} LIMIT ?"
    )
    return [make(row) for row in _rows(connection, sql, [*enterprise_ids, limit])]
