"""Field-level merge of a pushed change, and the three-way line merge for long text.

Pure functions over JSON values (``app.database.codec`` forms): the server decides with them
what to write and what to keep as a conflict, the conflicts screen uses the hunks to let a
user pick per block. Merges are line-based only: word-level merging is known to duplicate text
silently (Joplin dropped it), and a merge that would repeat a line more often than either side
has it falls back to a conflict.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Text

from app.database.tables import TABLE_BY_NAME
from app.sync.protocol import ConflictKind

MAX_MERGE_LINES = 20_000
"""Beyond this many lines on the three sides together a text conflict is not auto-merged."""


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field both sides changed differently; the server keeps ``theirs``."""

    field: str
    kind: ConflictKind
    base: Any
    theirs: Any
    mine: Any


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    writes: dict[str, Any]
    conflicts: tuple[FieldConflict, ...]
    merged: bool  # True when some text field was three-way merged


@dataclass(frozen=True, slots=True)
class Hunk:
    """A block of lines. ``conflict`` False: both sides end up with the same lines."""

    base: tuple[str, ...]
    theirs: tuple[str, ...]
    mine: tuple[str, ...]
    conflict: bool


@cache
def long_text_fields(table_name: str) -> frozenset[str]:
    """The ``Text`` columns of a synced table: these get the three-way line merge."""
    table = TABLE_BY_NAME.get(table_name)
    if table is None:
        return frozenset()
    columns = table.__table__.columns  # type: ignore[attr-defined]
    return frozenset(column.key for column in columns if isinstance(column.type, Text))


def merge_fields(
    current: Mapping[str, Any],
    mine: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    long_text: frozenset[str],
) -> MergeOutcome:
    """Decide, field by field, what a change writes over ``current``.

    ``base`` holds the values the client saw before its edit; ``None`` means unknown (an insert
    of an id the server already has), so every differing field conflicts.
    """
    writes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    merged = False
    for field, new in mine.items():
        theirs = current.get(field)
        if new == theirs:
            continue
        known_base = base is not None and field in base
        seen = base.get(field) if base is not None else None
        if known_base and seen == theirs:
            writes[field] = new
            continue
        if field in long_text:
            text = _merge_strings(seen if known_base else None, theirs, new)
            if text is not None:
                writes[field] = text
                merged = True
                continue
            conflicts.append(FieldConflict(field, ConflictKind.TEXT, seen, theirs, new))
            continue
        conflicts.append(FieldConflict(field, ConflictKind.FIELD, seen, theirs, new))
    return MergeOutcome(writes, tuple(conflicts), merged)


def _merge_strings(base: Any, theirs: Any, mine: Any) -> str | None:
    if theirs in (None, "") and isinstance(mine, str) and base in (None, ""):
        return mine
    if not (isinstance(base, str) and isinstance(theirs, str) and isinstance(mine, str)):
        return None
    return merge_text(base, theirs, mine)


def merge_text(base: str, theirs: str, mine: str) -> str | None:
    """Three-way line merge; ``None`` when the two sides changed the same or adjacent lines."""
    hunks = text_hunks(base, theirs, mine)
    if any(hunk.conflict for hunk in hunks):
        return None
    lines = [line for hunk in hunks for line in hunk.theirs]
    if _duplicates_lines(lines, _lines(theirs), _lines(mine)):
        return None
    return "".join(lines)


def text_hunks(base: str, theirs: str, mine: str) -> list[Hunk]:
    """Split three versions into blocks: agreed lines, and blocks where the sides differ.

    A block only one side changed is resolved to that side's lines (``conflict`` False); a
    block both changed differently — or any text too long to compare quickly — is a conflict.
    """
    base_lines, their_lines, my_lines = _lines(base), _lines(theirs), _lines(mine)
    if len(base_lines) + len(their_lines) + len(my_lines) > MAX_MERGE_LINES:
        return [Hunk(tuple(base_lines), tuple(their_lines), tuple(my_lines), conflict=True)]
    to_theirs = _matches(base_lines, their_lines)
    to_mine = _matches(base_lines, my_lines)
    hunks: list[Hunk] = []
    stable: list[str] = []
    i = a = b = 0
    while i < len(base_lines) or a < len(their_lines) or b < len(my_lines):
        if i < len(base_lines) and to_theirs.get(i) == a and to_mine.get(i) == b:
            stable.append(base_lines[i])
            i, a, b = i + 1, a + 1, b + 1
            continue
        if stable:
            hunks.append(Hunk(tuple(stable), tuple(stable), tuple(stable), conflict=False))
            stable = []
        j, a_end, b_end = _next_sync(i, a, b, to_theirs, to_mine, base_lines, their_lines, my_lines)
        hunks.append(_unstable(base_lines[i:j], their_lines[a:a_end], my_lines[b:b_end]))
        i, a, b = j, a_end, b_end
    if stable:
        hunks.append(Hunk(tuple(stable), tuple(stable), tuple(stable), conflict=False))
    return hunks


def join_hunks(hunks: Sequence[Hunk], choices: Mapping[int, str]) -> str:
    """The text a user assembled: per conflicting hunk index ``theirs``, ``mine`` or ``both``.

    Hunks without a choice keep ``theirs`` (the server's text), as the server did.
    """
    out: list[str] = []
    for index, hunk in enumerate(hunks):
        if not hunk.conflict:
            out.extend(hunk.theirs)
            continue
        choice = choices.get(index, "theirs")
        if choice == "mine":
            out.extend(hunk.mine)
        elif choice == "both":
            out.extend(_ending_with_newline(hunk.theirs))
            out.extend(hunk.mine)
        else:
            out.extend(hunk.theirs)
    return "".join(out)


def _unstable(base: list[str], theirs: list[str], mine: list[str]) -> Hunk:
    if theirs == base:
        return Hunk(tuple(base), tuple(mine), tuple(mine), conflict=False)
    if mine in (base, theirs):
        return Hunk(tuple(base), tuple(theirs), tuple(theirs), conflict=False)
    return Hunk(tuple(base), tuple(theirs), tuple(mine), conflict=True)


def _next_sync(
    i: int,
    a: int,
    b: int,
    to_theirs: dict[int, int],
    to_mine: dict[int, int],
    base: list[str],
    theirs: list[str],
    mine: list[str],
) -> tuple[int, int, int]:
    """The next base line both sides kept, after at least one differing line."""
    for j in range(i, len(base)):
        ta, tb = to_theirs.get(j), to_mine.get(j)
        if ta is not None and tb is not None and ta >= a and tb >= b and (j, ta, tb) != (i, a, b):
            return j, ta, tb
    return len(base), len(theirs), len(mine)


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return {
        block.a + k: block.b + k
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _ending_with_newline(lines: tuple[str, ...]) -> list[str]:
    if lines and not lines[-1].endswith(("\n", "\r")):
        return [*lines[:-1], lines[-1] + "\n"]
    return list(lines)


def _duplicates_lines(merged: list[str], theirs: list[str], mine: list[str]) -> bool:
    """True when a non-blank line appears more often than either side has it."""
    counts, theirs_count, mine_count = Counter(merged), Counter(theirs), Counter(mine)
    return any(
        line.strip() and count > max(theirs_count[line], mine_count[line])
        for line, count in counts.items()
    )
