"""Normalization as a *view*: a folded copy of the text plus a map back to raw offsets.

Folding follows the usual Arabic IR conventions (CAMeL Tools' ``normalize_*``
functions do the same but lose offsets): hamza/madda alef forms → ا, ى → ي,
ة → ه, ؤ → و, ئ → ي, Eastern Arabic and Persian digits → ASCII digits. Diacritics,
tatweel and invisible direction marks are *deleted*, which is why the view needs an
offset map. Matching happens on the view; reported spans use raw offsets.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Characters removed from the view: harakat, Quranic marks, superscript alef, tatweel,
# and zero-width / bidi controls that scraped news text is full of.
_DELETE = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
    + "\u0640"
    + "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
_DELETE_SET = frozenset(_DELETE)
_DELETE_RE = re.compile("[" + re.escape(_DELETE) + "]")
_DELETE_RUN_RE = re.compile("[" + re.escape(_DELETE) + "]+")

_ONE_TO_ONE = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي", "ي": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "ؤ": "و",
    "ک": "ك", "گ": "ك",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ",
}
for _i in range(10):
    _ONE_TO_ONE[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _ONE_TO_ONE[chr(0x06F0 + _i)] = str(_i)  # Persian digits
_ONE_TO_ONE["٫"] = "."  # Arabic decimal separator
_ONE_TO_ONE["٬"] = ","  # Arabic thousands separator

_TABLE = str.maketrans({**_ONE_TO_ONE, **{c: None for c in _DELETE}})
_DIGITS_ONLY_TABLE = str.maketrans({k: v for k, v in _ONE_TO_ONE.items() if v.isdigit() or v in ".,"})


def fold(s: str) -> str:
    """Fold a string for matching (lexicon entries, queries). Length may shrink."""
    return s.translate(_TABLE)


def fold_digits(s: str) -> str:
    """Only Eastern/Persian digits → ASCII; keeps length."""
    return s.translate(_DIGITS_ONLY_TABLE)


@lru_cache(maxsize=65536)
def fold_word(s: str) -> str:
    """Cached :func:`fold` for the short strings (tokens, names) looked up again and again."""
    return s.translate(_TABLE)


@dataclass(slots=True)
class View:
    """A folded view of ``raw``. ``text`` is what matchers see; ``raw_span`` maps back."""

    raw: str
    text: str
    _map: array | None  # view index -> raw index; None when the view is 1:1 with raw

    def to_raw(self, i: int) -> int:
        if self._map is None:
            return i
        return self._map[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering view ``[start, end)`` (end exclusive)."""
        if self._map is None:
            return start, end
        if end <= start:
            r = self._map[start]
            return r, r
        return self._map[start], self._map[end - 1] + 1

    def to_view(self, raw_index: int) -> int:
        """The view index of the first view char at or after ``raw_index``."""
        if self._map is None:
            return raw_index
        from bisect import bisect_left

        return bisect_left(self._map, raw_index, 0, len(self.text))


def make_view(raw: str) -> View:
    folded = raw.translate(_TABLE)
    if len(folded) == len(raw):
        return View(raw, folded, None)
    # The map is the raw indices minus the deleted ones: copy the runs between deleted
    # characters with range() (C speed) instead of testing every character in Python;
    # news text has a few deletions (tatweel, RLM, harakat) in thousands of characters.
    m = array("i")
    prev = 0
    for d in _DELETE_RUN_RE.finditer(raw):
        m.extend(range(prev, d.start()))
        prev = d.end()
    m.extend(range(prev, len(raw)))
    m.append(len(raw))  # sentinel so that to_raw(len(view)) works
    return View(raw, folded, m)


def strip_marks(s: str) -> str:
    """Remove diacritics/tatweel/bidi controls only (no letter folding)."""
    return _DELETE_RE.sub("", s)
