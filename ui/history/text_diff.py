"""A readable comparison of two versions of a long text, for the history detail pane.

Both versions are shown in full, side by side: what was taken out is struck through in red in
the old text, what was added is highlighted in green in the new one. Chinese has no spaces
between words, so changes are found line by line first and then character by character inside
the lines that changed (character matching over a whole long text would be slow and would
pair up unrelated common characters such as 的).
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Sequence
from dataclasses import dataclass

REMOVED_STYLE = "background-color: #fbe3e1; color: #8c1d18; text-decoration: line-through;"
ADDED_STYLE = "background-color: #dff3e4; color: #0f5223;"
CHAR_DIFF_LIMIT = 4_000
"""Changed blocks longer than this (characters, either side) are marked as a whole."""


@dataclass(frozen=True, slots=True)
class MarkedText:
    """The old and new text as HTML, with the changed parts marked."""

    old_html: str
    new_html: str
    removed: int
    """Characters taken out."""
    added: int
    """Characters put in."""


def compare(old: str, new: str) -> MarkedText:
    old_parts: list[str] = []
    new_parts: list[str] = []
    counts = [0, 0]
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before = "".join(old_lines[i1:i2])
        after = "".join(new_lines[j1:j2])
        if tag == "equal":
            old_parts.append(_plain(before))
            new_parts.append(_plain(after))
        else:
            _mark_block(before, after, old_parts, new_parts, counts)
    return MarkedText("".join(old_parts), "".join(new_parts), counts[0], counts[1])


def _mark_block(
    before: str, after: str, old_parts: list[str], new_parts: list[str], counts: list[int]
) -> None:
    if not before or not after or max(len(before), len(after)) > CHAR_DIFF_LIMIT:
        old_parts.append(_removed(before))
        new_parts.append(_added(after))
        counts[0] += len(before)
        counts[1] += len(after)
        return
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in _without_slivers(matcher.get_opcodes()):
        if tag == "equal":
            old_parts.append(_plain(before[i1:i2]))
            new_parts.append(_plain(after[j1:j2]))
            continue
        old_parts.append(_removed(before[i1:i2]))
        new_parts.append(_added(after[j1:j2]))
        counts[0] += i2 - i1
        counts[1] += j2 - j1


def _without_slivers(
    opcodes: Sequence[tuple[str, int, int, int, int]],
) -> list[tuple[str, int, int, int, int]]:
    """Fold a one-character "same" between two changes into the change around it.

    Rewritten sentences share scattered characters (的, 了, ，); marking them as kept chops the
    change into confetti. Merging them keeps each change one readable piece.
    """
    result: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal" and len(result) >= 2:
            last, before_last = result[-1], result[-2]
            if last[0] == "equal" and last[2] - last[1] <= 1 and before_last[0] != "equal":
                del result[-2:]
                result.append(("replace", before_last[1], i2, before_last[3], j2))
                continue
        result.append((tag, i1, i2, j1, j2))
    return result


def _plain(text: str) -> str:
    return _escape(text)


def _removed(text: str) -> str:
    return f'<span style="{REMOVED_STYLE}">{_escape(text)}</span>' if text else ""


def _added(text: str) -> str:
    return f'<span style="{ADDED_STYLE}">{_escape(text)}</span>' if text else ""


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")
