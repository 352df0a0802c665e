"""Where the query's words are in a text, and a short stretch around the first of them."""

from __future__ import annotations

from collections.abc import Sequence

from app.search.results import Span
from app.search.text import fold

SNIPPET_BEFORE = 12
SNIPPET_LENGTH = 60
ELLIPSIS = "…"


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the character of ``text``
    it came from (folding may change lengths: ㎡ → m2, ß → ss)."""
    folded = fold(text)
    if len(folded) == len(text):  # the usual case (全角 → 半角, case): one for one
        return folded, list(range(len(text)))
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char) if not char.isascii() else char.lower()
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return "".join(pieces), origins


def find_marks(text: str, terms: Sequence[str]) -> tuple[Span, ...]:
    """Every place a term occurs in ``text`` (case and width folded), merged, in order."""
    if not text or not terms:
        return ()
    folded, origins = _folded_with_origins(text)
    spans: list[Span] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            spans.append((origins[start], origins[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def snippet(text: str, terms: Sequence[str]) -> tuple[str, tuple[Span, ...]]:
    """About ``SNIPPET_LENGTH`` characters of ``text`` (on one line) from a little before its
    first match, with the matches inside it; the start of ``text`` if nothing matches."""
    line = " ".join(text.split())
    marks = find_marks(line, terms)
    start = max(0, marks[0][0] - SNIPPET_BEFORE) if marks else 0
    end = min(len(line), start + SNIPPET_LENGTH)
    start = max(0, min(start, end - SNIPPET_LENGTH))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(line) else ""
    shift = len(prefix) - start
    inside = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in marks if s < end and e > start
    )
    return prefix + line[start:end] + suffix, inside


def best_field(fields: Sequence[tuple[str, str]], terms: Sequence[str]) -> tuple[str, str]:
    """The first ``(name, text)`` whose text holds a term (else the first non-empty one)."""
    for name, text in fields:
        folded = fold(text)
        if text and any(term in folded for term in terms):
            return name, text
    return next(((name, text) for name, text in fields if text), ("", ""))
