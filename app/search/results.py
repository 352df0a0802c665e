"""What a search returns: frozen rows, grouped by kind, best first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class SearchKind(StrEnum):
    """Kinds of record, in the order their groups are shown."""

    ENTERPRISE = "enterprise"
    CONTACT = "contact"
    VISIT = "visit"
    NOTE = "note"
    PROJECT = "project"


Span = tuple[int, int]
"""``(start, end)`` of a match inside a text, in characters."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One record found.

    ``title`` is the record's name (a visit's or note's enterprise); ``detail`` says more
    about it (a contact's job title, a visit's place, a note's round, a project's stage);
    ``on`` is the day of a visit or round. ``snippet`` is a short stretch of the field where
    the query matched (``snippet_field`` names it; empty when the title itself matched).
    ``*_marks`` are where the query's words are, for bold. ``enterprise_id`` is the
    enterprise the record belongs to (its own id for an enterprise): contacts and notes open
    through it.
    """

    kind: SearchKind
    record_id: str
    title: str
    detail: str = ""
    enterprise_id: str = ""
    enterprise_name: str = ""
    on: dt.date | None = None
    snippet: str = ""
    snippet_field: str = ""
    title_marks: tuple[Span, ...] = ()
    snippet_marks: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchGroup:
    kind: SearchKind
    hits: tuple[SearchHit, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Groups in ``SearchKind`` order; kinds without hits are left out."""

    query: str
    terms: tuple[str, ...]
    groups: tuple[SearchGroup, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def group(self, kind: SearchKind) -> SearchGroup | None:
        return next((group for group in self.groups if group.kind is kind), None)

    def hits(self) -> tuple[SearchHit, ...]:
        """Every hit, group after group, as a list shows them."""
        return tuple(hit for group in self.groups for hit in group.hits)
