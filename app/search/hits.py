"""A record found, as the palette shows it: title, details, and where the query matched."""

from __future__ import annotations

from collections.abc import Sequence

from app.search.records import Candidate
from app.search.results import SearchHit, SearchKind
from app.search.snippets import best_field, find_marks, snippet
from app.search.text import fold

_TITLE_FIELDS = {
    SearchKind.ENTERPRISE: "name",
    SearchKind.CONTACT: "name",
    SearchKind.PROJECT: "name",
}
"""Kinds whose title is a field of their own (a match there needs no snippet)."""


def hit_of(candidate: Candidate, terms: Sequence[str]) -> SearchHit:
    """The hit to show for ``candidate``: its snippet is the first other field holding a
    word (for visits and notes, their first text even without one)."""
    title_field = _TITLE_FIELDS.get(candidate.kind)
    fields = [(f, value) for f, value in candidate.fields if f != title_field]
    field, text = best_field(fields, terms)
    if title_field is not None and not any(term in fold(text) for term in terms):
        field, text = "", ""  # a name matched: the title shows it, no snippet needed
    shown, marks = snippet(text, terms) if text else ("", ())
    return SearchHit(
        kind=candidate.kind,
        record_id=candidate.record_id,
        title=candidate.title,
        detail=candidate.detail,
        enterprise_id=candidate.enterprise_id,
        enterprise_name=candidate.enterprise_name,
        on=candidate.on,
        snippet=shown,
        snippet_field=field,
        title_marks=find_marks(candidate.title, terms),
        snippet_marks=marks,
    )
