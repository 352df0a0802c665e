"""How text becomes search tokens, on both sides of the index: rows written and queries typed.

SQLite's FTS5 has no tokenizer that splits Chinese, and its trigram tokenizer cannot answer one-
or two-character queries. So the database functions below turn text into a *stream of
overlapping character pairs* (``华为技术`` → ``华为 为技 技术 术``) that FTS5's ``unicode61``
tokenizer, told to split on spaces only, indexes one pair per position. A query of n ≥ 2
characters is then the phrase of its n−1 pairs (an exact substring match, from the middle of a
word too); a one-character query is a prefix query on the pairs, or a look-up in a table of
the distinct characters of each row (long texts). Latin, digits, USCCs and pinyin initials are
characters like any other, and every metacharacter is plain text inside a quoted FTS5 phrase.

Both sides fold the same way: NFKC (全角 → 半角) and case folding. The functions are
registered on every connection (``app/database/engine.py``) and must stay deterministic: the
index deletes a row's tokens by recomputing them from the row's old values. Any change to what
they return needs a migration that rebuilds the index.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from array import array
from collections.abc import Sequence
from operator import add

GRAMS_FUNCTION = "search_grams"
CHARS_FUNCTION = "search_chars"

# FTS5 tokenizer: every Unicode category is part of a token except separators (Z*) and
# control/unassigned characters (Cc, Cn, Cs), so pairs like ``0%`` or ``'s`` stay whole.
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cf'"

MAX_TERMS = 8
MAX_TERM_LENGTH = 48
MIN_INITIALS_ANYWHERE = 3
"""Pinyin initials match from their start; from the middle only for this many letters or more
(almost every name's initials hold ``gs``, from 公司)."""
MIN_USCC_PREFIX = 4
"""Fewer digits are not taken for the start of a USCC (almost every one starts ``91``)."""

_UTF32 = "utf-32-le"
_SPACES = array("I", [ord(" ")])
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_NOT_TOKEN_CATEGORIES = ("Z", "Cc", "Cn", "Cs")


def _half_width(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def fold(text: str) -> str:
    """NFKC and case folding; full-width forms (common in Chinese text) take a fast path."""
    if not text.isascii():
        text = _FULL_WIDTH.sub(_half_width, text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def _joined(fields: Sequence[object]) -> str:
    return " ".join(str(field) for field in fields if field)


def grams(*fields: object) -> str:
    """The pair stream of ``fields`` (database function ``search_grams``; NULLs skipped).

    A pair that holds a space is cut by the tokenizer to its other character, so the last
    character of every word is also a token of its own and a one-character prefix query finds
    it; no pair ever spans two fields' words as one token.
    """
    text = fold(_joined(fields).strip())
    if not text:
        return ""
    # Built as an array of code points, three per pair (first, second, space): about four
    # times faster than joining a string per pair, and the index is built from millions.
    codes = array("I", (text + " ").encode(_UTF32, "surrogatepass"))
    pairs = len(codes) - 1
    stream = array("I", bytes(12 * pairs))
    stream[0::3] = codes[:-1]
    stream[1::3] = codes[1:]
    stream[2::3] = _SPACES * pairs
    return stream.tobytes().decode(_UTF32, "surrogatepass")


def chars(*fields: object) -> str:
    """The distinct characters of ``fields`` (database function ``search_chars``)."""
    return " ".join(set(fold(_joined(fields))))


def register_functions(connection: sqlite3.Connection) -> None:
    """Make the index's functions available on ``connection`` (needed by every writer)."""
    connection.create_function(GRAMS_FUNCTION, -1, grams, deterministic=True)
    connection.create_function(CHARS_FUNCTION, -1, chars, deterministic=True)


# -- the query side ------------------------------------------------------------------------------


def _is_token_char(char: str) -> bool:
    return not unicodedata.category(char).startswith(_NOT_TOKEN_CATEGORIES)


def query_terms(query: str) -> tuple[str, ...]:
    """The folded words of ``query``: split on spaces, control characters dropped, de-duplicated,
    at most ``MAX_TERMS`` of at most ``MAX_TERM_LENGTH`` characters."""
    cleaned = "".join(c if _is_token_char(c) else " " for c in fold(query))
    terms: list[str] = []
    for word in cleaned.split():
        term = word[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
    # A longer word that already contains a shorter one makes the shorter one redundant.
    kept = [t for t in terms if not any(t != other and t in other for other in terms)]
    return tuple(kept[:MAX_TERMS])


def _quoted(tokens: str) -> str:
    return '"' + tokens.replace('"', '""') + '"'


def phrase(term: str) -> str:
    """FTS5 expression matching rows of a pair-stream column that contain ``term``."""
    if len(term) == 1:
        return _quoted(term) + " *"
    return _quoted(" ".join(map(add, term, term[1:])))


def char_token(term: str) -> str:
    """FTS5 expression for a one-character term in a distinct-characters table."""
    return _quoted(term)


def all_of(expressions: Sequence[str]) -> str:
    return " AND ".join(f"({expression})" for expression in expressions)


def in_columns(columns: Sequence[str], expression: str) -> str:
    return "{" + " ".join(columns) + "} : (" + expression + ")"


def starting_with(columns: Sequence[str], term: str) -> str:
    """Rows where one of ``columns`` *begins* with ``term``."""
    return "{" + " ".join(columns) + "} : ^ " + phrase(term)


def contains_all(text: str, terms: Sequence[str]) -> bool:
    folded = fold(text)
    return all(term in folded for term in terms)
