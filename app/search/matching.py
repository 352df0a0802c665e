"""The search index for list filters: which enterprises or visits match what was typed.

``matching_clause(kind, query)`` is a SQL condition on the kind's table to add to a list
query (``select(EnterpriseRow).where(clause)``); ``matching_ids`` runs it for a list of ids.
Same semantics as the palette: every word of the query must match, as a substring of the
record's text (CJK from one character, Latin case-insensitively, digits, USCC), or as the
start of the enterprise's pinyin initials (anywhere for three letters or more). A visit,
contact, note or project also matches through its enterprise's name. Tombstoned rows are not
in the index: a filter that must show deleted records has to match those another way.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import ColumnElement, TextClause, and_, bindparam, or_, select, text, true
from sqlalchemy.orm import Session

from app.database.tables import (
    ContactRow,
    EnterpriseRow,
    NegotiationNoteRow,
    ProjectRow,
    VisitRow,
)
from app.search.index_schema import ENTERPRISES, INDEXED_BY_KIND, IndexedTable
from app.search.text import (
    MIN_INITIALS_ANYWHERE,
    MIN_USCC_PREFIX,
    char_token,
    in_columns,
    phrase,
    query_terms,
    starting_with,
)

_ROWS: dict[str, Any] = {
    "enterprise": EnterpriseRow,
    "contact": ContactRow,
    "visit": VisitRow,
    "note": NegotiationNoteRow,
    "project": ProjectRow,
}
_NEWEST_FIRST: dict[str, tuple[Any, ...]] = {
    "visit": (VisitRow.visited_on.desc(), VisitRow.id.desc()),
    "note": (NegotiationNoteRow.held_on.desc(), NegotiationNoteRow.id.desc()),
}
_names = itertools.count(1)


def _indexed_rowids(table: IndexedTable, match: str, *, fts: str | None = None) -> str:
    """SQL subquery: source rowids of ``table`` whose index rows match ``match`` (bound)."""
    fts = fts or table.fts
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{match}"


def _in_index(table: IndexedTable, expression: str, *, fts: str | None = None) -> TextClause:
    name = f"search_match_{next(_names)}"
    sql = f"{table.source}.rowid IN ({_indexed_rowids(table, name, fts=fts)})"
    return text(sql).bindparams(bindparam(name, expression))


def enterprise_match(term: str) -> str:
    """FTS5 expression: enterprises whose name, USCC, legal representative or tags hold
    ``term``, or whose pinyin initials start with it (hold it, from three letters)."""
    match = in_columns(["name", "code", "extra"], phrase(term))
    if term.isascii() and term.isalnum():
        starts = ["initials", "code"] if len(term) >= MIN_USCC_PREFIX else ["initials"]
        match += f" OR ({starting_with(starts, term)})"
        if len(term) >= MIN_INITIALS_ANYWHERE:
            match += f" OR ({in_columns(['initials'], phrase(term))})"
    return match


def _own_text(table: IndexedTable, term: str) -> TextClause:
    """Rows of ``table`` whose own indexed text holds ``term``."""
    if table is ENTERPRISES:
        return _in_index(table, enterprise_match(term))
    if len(term) == 1 and table.chars_fts:
        return _in_index(table, char_token(term), fts=table.chars_fts)
    return _in_index(table, phrase(term))


def matching_clause(kind: str, query: str) -> ColumnElement[bool]:
    """SQL condition on ``kind``'s table (``"enterprise"``, ``"contact"``, ``"visit"``,
    ``"note"``, ``"project"``): the row matches every word of ``query``. A blank query
    matches everything."""
    table = INDEXED_BY_KIND[kind]
    row = _ROWS[kind]
    conditions: list[ColumnElement[bool]] = []
    for term in query_terms(query):
        if table is ENTERPRISES:
            conditions.append(and_(_own_text(table, term)))
            continue
        named = select(EnterpriseRow.id).where(_own_text(ENTERPRISES, term))
        through_enterprise = row.enterprise_id.in_(named)
        conditions.append(or_(_own_text(table, term), through_enterprise))
    return and_(true(), *conditions)


def matching_ids(session: Session, kind: str, query: str, limit: int | None = None) -> list[str]:
    """Ids of live ``kind`` records matching ``query`` (newest first for visits and notes)."""
    row = _ROWS[kind]
    statement = select(row.id).where(row.deleted.is_(False), matching_clause(kind, query))
    statement = statement.order_by(*_NEWEST_FIRST.get(kind, (row.id,)))
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))
