"""Search as you type over the local database (the Ctrl+K palette).

Each kind is searched in tiers, best first: a record whose name *starts* with the query, then
pinyin initials or a USCC that start with it, then the query anywhere in the record's text,
then (contacts, visits, notes, projects) the records of the enterprises the query found.
Visits and notes come newest first. A few per kind are kept (``per_kind``) and the group
says whether there were more.

Every hit the index offers is read back from its table and checked (live, every word
present) before it is shown, so the index can only make a search slower, never wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from app.search.hits import hit_of
from app.search.index_schema import (
    CONTACTS,
    ENTERPRISES,
    NOTES,
    PROJECTS,
    VISITS,
    IndexedTable,
    has_pending,
    index_is_complete,
    index_pending,
    rebuild_index,
)
from app.search.matching import enterprise_match
from app.search.periods import Period, periods_between
from app.search.records import (
    Candidate,
    date_of,
    load_by_rowid,
    load_of_enterprises,
    newest_first,
)
from app.search.results import SearchGroup, SearchKind, SearchResults
from app.search.text import (
    MIN_INITIALS_ANYWHERE,
    MIN_USCC_PREFIX,
    all_of,
    char_token,
    fold,
    in_columns,
    phrase,
    query_terms,
    starting_with,
)
from app.services.workspace import Workspace

DEFAULT_PER_KIND = 6
STARTS_WITH_POOL = 40
"""Names starting with the query are read up to this many, then shortest (exact) first."""
SMALL_POOL = 64
"""Fewer matches than this are all read and ranked at once (see ``_all_ranked``)."""
_NAMED_RANK = 3
"""Enterprises ranked up to here are *named* by the query (not just mentioning it)."""
DATED_POOL = 200
"""Visits or notes matching in fewer than this are all read and sorted by day."""
THROUGH_CONTACTS = 3
"""Contacts found only through their enterprise: one per enterprise, this many at most."""
THROUGH_POOL = 400
"""Records of the enterprises a several-word query names, read to check their own text."""
MAX_EXAMINED = 1500
"""Index rows looked at per tier before giving up (only rows that fail their check cost)."""

Named = dict[str, set[str]]
"""Enterprise id → the query words that enterprise matched."""


class SearchService:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def search(self, query: str, per_kind: int = DEFAULT_PER_KIND) -> SearchResults:
        """Records matching every word of ``query``, grouped by kind, best first."""
        terms = query_terms(query)
        if not terms:
            return SearchResults(query, terms, ())
        refresh_index(self._workspace)
        with self._workspace.database.read() as session:
            finder = _Finder(_raw(session.connection()), terms, per_kind + 1)
            found = finder.find_all()
        groups = tuple(
            SearchGroup(kind, tuple(hit_of(c, terms) for c in found[kind][:per_kind]), more)
            for kind in SearchKind
            if found[kind]
            for more in [len(found[kind]) > per_kind or kind in finder.more]
        )
        return SearchResults(query, terms, groups)


def refresh_index(workspace: Workspace) -> None:
    """Index what is still pending (recent edits, writers outside this app's engines), and
    rebuild the index if it lost triggers (a later migration that rebuilds a table drops them;
    a commit that found the index at odds with its tables sets it aside). Searches and list
    filters call this first; it costs nothing when there is nothing to do."""
    database = workspace.database
    with database.read() as session:
        raw = _raw(session.connection())
        complete, pending = index_is_complete(raw), has_pending(raw)
    if complete and not pending:
        return
    with database.write(workspace.actor()) as session:
        raw = _raw(session.connection())
        if not complete:
            rebuild_index(raw)
        index_pending(raw)


def _raw(connection: Connection) -> sqlite3.Connection:
    return connection.connection.driver_connection  # type: ignore[return-value]


class _Finder:
    """One search: the tiers of every kind, sharing what the enterprise tiers found."""

    def __init__(self, connection: sqlite3.Connection, terms: tuple[str, ...], want: int) -> None:
        self._connection = connection
        self._terms = terms
        self._want = want
        self.more: set[SearchKind] = set()
        """Kinds with more hits than kept, besides those with ``want`` of them."""
        single = terms[0] if len(terms) == 1 else None
        self._single = single
        self._latin = single is not None and single.isascii() and single.isalnum()

    def find_all(self) -> dict[SearchKind, list[Candidate]]:
        enterprises, named = self._enterprises()
        if self._single is None:
            named = self._enterprises_by_word(named)
        return {
            SearchKind.ENTERPRISE: enterprises,
            SearchKind.CONTACT: self._named(CONTACTS, named),
            SearchKind.VISIT: self._dated(VISITS, named),
            SearchKind.NOTE: self._dated(NOTES, named),
            SearchKind.PROJECT: self._named(PROJECTS, named),
        }

    # -- kinds -------------------------------------------------------------------------------

    def _enterprises(self) -> tuple[list[Candidate], Named]:
        """Enterprises best first, and those the query *names* (by name, initials from the
        start, or USCC), whose contacts, visits, notes and projects it also finds."""
        table, term = ENTERPRISES, self._single
        if term is None:
            found = self._tier(table, all_of([phrase(t) for t in self._terms]), [], self._want)
            return found, {c.record_id: set(self._terms) for c in found}
        ranked = self._all_ranked(table, term, self._enterprise_rank)
        if ranked is not None:
            named = [c for c in ranked if (self._enterprise_rank(c) or 0) <= _NAMED_RANK]
            return ranked[: self._want], {c.record_id: {term} for c in named}
        found = self._starting(table, term)
        if self._latin:
            code = ["initials", "code"] if len(term) >= MIN_USCC_PREFIX else ["initials"]
            found += self._tier(table, starting_with(code, term), found, self._want - len(found))
        found += self._tier(
            table, in_columns(["name"], phrase(term)), found, self._want - len(found)
        )
        named_ids = {c.record_id: {term} for c in found}
        found += self._tier(
            table, in_columns(["code", "extra"], phrase(term)), found, self._want - len(found)
        )
        if self._latin and len(term) >= MIN_INITIALS_ANYWHERE:
            initials = in_columns(["initials"], phrase(term))
            found += self._tier(table, initials, found, self._want - len(found))
        return found, named_ids

    def _enterprise_rank(self, candidate: Candidate) -> int | None:
        """0 name is the word, 1 name starts with it, 2 initials (or USCC) start with it,
        3 name holds it, 4 USCC, legal representative or tags hold it, 5 initials hold it;
        ``None``: it does not match."""
        term = self._single
        assert term is not None
        fields = dict(candidate.fields)
        name = fold(fields["name"])
        initials, code = fields["name_initials"], fold(fields["uscc"])
        if name.startswith(term):
            return 0 if name == term else 1
        if self._latin and (
            initials.startswith(term) or (len(term) >= MIN_USCC_PREFIX and code.startswith(term))
        ):
            return 2
        if term in name:
            return 3
        if any(term in fold(fields[f]) for f in ("uscc", "legal_representative", "tags")):
            return 4
        if self._latin and len(term) >= MIN_INITIALS_ANYWHERE and term in initials:
            return 5
        return None

    def _name_rank(self, candidate: Candidate) -> int | None:
        """0 name is the word, 1 name starts with it, 2 it is elsewhere in the record."""
        term = self._single
        assert term is not None
        name = fold(candidate.title)
        if name.startswith(term):
            return 0 if name == term else 1
        return 2 if self._accepts(candidate) else None

    def _enterprises_by_word(self, named: Named) -> Named:
        """For a query of several words: also the enterprises each word names on its own, so
        ``华为 光伏`` finds visits to 华为 that talk of 光伏."""
        by_word = {key: set(value) for key, value in named.items()}
        for term in self._terms:
            rowids = self._matching_rowids(ENTERPRISES.fts, enterprise_match(term), None, 30)
            for candidate in load_by_rowid(
                self._connection, SearchKind.ENTERPRISE, rowids
            ).values():
                if candidate.live:
                    by_word.setdefault(candidate.record_id, set()).add(term)
        return by_word

    def _through_enterprises(self, kind: SearchKind, named: Named) -> list[Candidate]:
        """Records of the enterprises the query names, best first; with several words, those
        whose own text holds the words their enterprise does not."""
        if self._single is not None:
            return load_of_enterprises(self._connection, kind, list(named), self._want)
        pool = load_of_enterprises(self._connection, kind, list(named), THROUGH_POOL)
        return [c for c in pool if self._accepts(c, named.get(c.enterprise_id, set()))][
            : self._want
        ]

    def _named(self, table: IndexedTable, named: Named) -> list[Candidate]:
        """Contacts and projects: name starts with the query, then anywhere, then the
        enterprises' own."""
        term = self._single
        ranked = self._all_ranked(table, term, self._name_rank) if term is not None else None
        if ranked is not None:
            found = ranked[: self._want]
        else:
            found = self._starting(table, term) if term is not None else []
            match = all_of([phrase(t) for t in self._terms])
            found += self._tier(table, match, found, self._want - len(found))
        if len(found) < self._want:
            ids = {c.record_id for c in found}
            extra = [
                c
                for c in self._through_enterprises(SearchKind(table.kind), named)
                if c.record_id not in ids
            ]
            if table is CONTACTS:  # each enterprise's first (primary) contact, and a few
                firsts = {c.enterprise_id: c for c in reversed(extra)}
                extra = [c for c in extra if firsts[c.enterprise_id] is c]
                if len(extra) > THROUGH_CONTACTS:
                    self.more.add(SearchKind.CONTACT)
                    extra = extra[:THROUGH_CONTACTS]
            found += extra[: self._want - len(found)]
        return found

    def _dated(self, table: IndexedTable, named: Named) -> list[Candidate]:
        """Visits and notes, newest first: their text, and the enterprises' own."""
        long_terms = [t for t in self._terms if len(t) > 1]
        if long_terms:
            found = self._newest(table, table.fts, all_of([phrase(t) for t in long_terms]))
        else:
            assert table.chars_fts is not None
            match = all_of([char_token(t) for t in self._terms])
            found = self._newest(table, table.chars_fts, match)
        extra = self._through_enterprises(SearchKind(table.kind), named)
        return _newest_first([*found, *extra])[: self._want]

    def _newest(self, table: IndexedTable, fts: str, match: str) -> list[Candidate]:
        """The newest ``want`` checked records matching ``match``. Few matches are all read
        and sorted; many are read period by period, newest year first, and within a year
        with many, newest month first, and so on down to days."""
        rowids = self._matching_rowids(fts, match, None, DATED_POOL)
        if len(rowids) < DATED_POOL:
            return self._checked_newest(table, rowids)
        assert table.date_column is not None
        first, last = (  # two queries: SQLite answers one min() or max() from the index
            date_of(
                self._connection.execute(
                    f"SELECT {extreme}({table.date_column}) FROM {table.source}"
                ).fetchone()[0]
            )
            for extreme in ("min", "max")
        )
        if first is None or last is None:
            return self._checked_newest(table, rowids)
        found: list[Candidate] = []
        self._walk(table, fts, match, periods_between(first, last), found)
        return found[: self._want]

    def _walk(
        self,
        table: IndexedTable,
        fts: str,
        match: str,
        periods: Sequence[Period],
        found: list[Candidate],
    ) -> None:
        for period in periods:
            if len(found) >= self._want:
                return
            token = f'"{period.token}"'
            rowids = self._matching_rowids(fts, f"({match}) AND {token}", None, DATED_POOL)
            if len(rowids) < DATED_POOL or not period.parts:
                found += self._checked_newest(table, rowids)
            else:
                self._walk(table, fts, match, period.parts, found)

    def _checked_newest(self, table: IndexedTable, rowids: Sequence[int]) -> list[Candidate]:
        """The newest ``want`` of ``rowids`` that pass their check: ordered by their dates
        first, then read (long texts and all) a few at a time."""
        assert table.date_column is not None
        ordered = newest_first(self._connection, table.source, table.date_column, rowids)
        kind = SearchKind(table.kind)
        accepted: list[Candidate] = []
        for start in range(0, len(ordered), self._want):
            batch = ordered[start : start + self._want]
            loaded = load_by_rowid(self._connection, kind, batch)
            accepted += [c for r in batch if (c := loaded.get(r)) and self._accepts(c)]
            if len(accepted) >= self._want:
                break
        return accepted[: self._want]

    # -- tiers -------------------------------------------------------------------------------

    def _all_ranked(
        self, table: IndexedTable, term: str, rank: Callable[[Candidate], int | None]
    ) -> list[Candidate] | None:
        """Every record holding ``term``, best rank first (then shortest names, then newest),
        when there are fewer than ``SMALL_POOL``; ``None`` when there are more (the tier
        queries then find the best without reading them all). One index query instead of a
        query per tier: for a rare word of common pairs (a USCC) each query costs the same."""
        rowids = self._matching_rowids(table.fts, phrase(term), None, SMALL_POOL)
        if len(rowids) >= SMALL_POOL:
            return None
        kind = SearchKind(table.kind)
        loaded = load_by_rowid(self._connection, kind, rowids)
        ranked = [
            (found, candidate)
            for candidate in loaded.values()
            if candidate.live and (found := rank(candidate)) is not None
        ]
        ranked.sort(
            key=lambda pair: (pair[0], len(pair[1].title) if pair[0] <= 1 else 0, -pair[1].rowid)
        )
        return [candidate for _rank, candidate in ranked]

    def _starting(self, table: IndexedTable, term: str) -> list[Candidate]:
        """Records whose name starts with ``term``: exact first, then shortest."""
        pool = self._tier(table, starting_with(["name"], term), [], STARTS_WITH_POOL)
        pool.sort(key=lambda c: (fold(c.title) != term, len(c.title)))
        return pool[: self._want]

    def _tier(
        self,
        table: IndexedTable,
        match: str,
        found: Sequence[Candidate],
        want: int,
        *,
        fts: str | None = None,
    ) -> list[Candidate]:
        """Up to ``want`` checked records for the FTS5 expression ``match``, index order
        (newest first), skipping those already ``found``."""
        if want <= 0:
            return []
        fts = fts or table.fts
        kind = SearchKind(table.kind)
        seen = {c.record_id for c in found}
        accepted: list[Candidate] = []
        before: int | None = None
        batch = max(2 * want, 16)
        examined = 0
        while len(accepted) < want and examined < MAX_EXAMINED:
            rowids = self._matching_rowids(fts, match, before, batch)
            examined += len(rowids)
            loaded = load_by_rowid(self._connection, kind, rowids)
            for rowid in rowids:
                candidate = loaded.get(rowid)
                if candidate is not None and candidate.record_id not in seen:
                    seen.add(candidate.record_id)
                    if self._accepts(candidate):
                        accepted.append(candidate)
                        if len(accepted) == want:
                            break
            if len(rowids) < batch:
                break
            before = rowids[-1]
            batch = min(4 * batch, 512)
        return accepted

    def _matching_rowids(self, fts: str, match: str, before: int | None, limit: int) -> list[int]:
        below = "" if before is None else f" AND rowid < {int(before)}"
        statement = (
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ?{below} ORDER BY rowid DESC LIMIT ?"
        )
        return [rowid for (rowid,) in self._connection.execute(statement, (match, limit))]

    def _accepts(self, candidate: Candidate, granted: set[str] | None = None) -> bool:
        """Live, and every word in its text (or among ``granted``: words its enterprise
        matched)."""
        if not candidate.live:
            return False
        texts = [fold(value) for _field, value in candidate.fields if value]
        return all(
            (granted is not None and term in granted) or any(term in value for value in texts)
            for term in self._terms
        )


def _newest_first(candidates: Sequence[Candidate]) -> list[Candidate]:
    unique = {c.record_id: c for c in candidates}
    return sorted(unique.values(), key=lambda c: (c.on is not None, c.on, c.rowid), reverse=True)
