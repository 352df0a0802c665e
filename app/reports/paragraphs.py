"""A reportlab paragraph whose second half, after a page break, reads exactly like the first.

When reportlab splits a paragraph made of several font runs across pages, it rebuilds the rest
from the laid-out lines and appends a space at the end of each line, which is right for Latin
wrapping (the line broke at a space it swallowed) but wrong for CJK wrapping: CJK lines break
between any two characters and keep their spaces, so every former line end of the continued
text gained a stray gap (“情 工想九 看政”). Report paragraphs are always CJK-wrapped
(``styles.styles``), so their continuation joins the lines' runs as they are.

Chinese line-start rules are added to reportlab's CJK wrapping here too (see
``CHINESE_CANNOT_START``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Paragraph, paragraph
from reportlab.platypus.paragraph import _split_blParaHard

CHINESE_CANNOT_START = "，。、；：！？）》」』】〕〗”’…—％"
"""Chinese punctuation that must not begin a line (标点禁则). reportlab's CJK wrapping keeps
such a character on the line before (hanging in the margin) when it is in its
``ALL_CANNOT_START``, which lists Japanese marks but not “，”, “；” or “：”: they are added to
the list its paragraph module reads, once, on import of the report layer."""
paragraph.ALL_CANNOT_START = paragraph.ALL_CANNOT_START + "".join(
    char for char in CHINESE_CANNOT_START if char not in paragraph.ALL_CANNOT_START
)


class CjkParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    def _get_split_blParaFunc(self) -> Callable[..., Any]:  # noqa: N802  (reportlab's name)
        chosen: Callable[..., Any] = super()._get_split_blParaFunc()
        if chosen is _split_blParaHard and getattr(self.style, "wordWrap", None) == "CJK":
            return _joined_lines
        return chosen


def _joined_lines(para_lines: Any, start: int, stop: int) -> list[Any]:
    """The runs of lines ``start``–``stop`` in order, nothing added between lines."""
    return [run for line in para_lines.lines[start:stop] for run in line.words]
