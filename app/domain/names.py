"""Enterprise names: the registered form is kept exactly; a normalised key is derived for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_SUFFIXES = (
    ("股份有限公司", "股份有限公司"),
    ("有限责任公司", "有限公司"),
)
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Matching key: NFKC (全角→半角), unified brackets, no spaces, 有限责任公司→有限公司, lower."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    text = _SPACE.sub("", text).lower()
    for long, short in _SUFFIXES:
        if text.endswith(long):
            text = text[: -len(long)] + short
    return text


@lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    """First letters of the pinyin of each Chinese character (华为技术 → hwjs); Latin kept, lower."""
    letters = []
    for syllable in lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER,
                                errors=lambda text: list(text)):
        for char in syllable:
            if char.isascii() and char.isalnum():
                letters.append(char.lower())
                break
    return "".join(letters)
