"""Enterprise names: the registered form is kept exactly; a key is derived for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    """First pinyin letter of each Chinese character (华为技术 → hwjs); Latin kept, lower-cased."""
    from pypinyin import Style, lazy_pinyin  # heavy (~0.5 s): only when a name is indexed

    letters: list[str] = []
    for item in lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER):
        # A Chinese character gives its first letter; a run of other text comes back whole.
        letters.extend(char.lower() for char in item if char.isascii() and char.isalnum())
    return "".join(letters)
