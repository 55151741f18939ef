"""Compile word lists into fast regular expressions.

A plain alternation of hundreds of words makes ``re`` try every word at every
position; a trie-shaped pattern (shared prefixes factored out, as the
``trieregex`` package does) lets it fail after one or two characters. Inputs are
already folded with :func:`khabar.text.normalize.fold`; a space inside an entry
matches one to three spaces or tabs (never a line break).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from khabar.text.normalize import View

_END = ""  # marks the end of a word in the trie


def trie_pattern(words: Iterable[str]) -> str:
    """A non-capturing regex matching exactly ``words`` (longest alternative first)."""
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not trie:
        return "(?!)"
    return _serialize(trie)


def _atom(ch: str) -> str:
    return r"[^\S\n\r]{1,3}" if ch == " " else re.escape(ch)


def _serialize(node: dict) -> str:
    ends = _END in node
    branches = []
    # Longer continuations first so that «ثلاثه» wins over «ثلاث» before the boundary check.
    for ch in sorted(k for k in node if k != _END):
        branches.append(_atom(ch) + _serialize(node[ch]) if node[ch] else _atom(ch))
    if not branches:
        return ""
    if len(branches) == 1:
        body = branches[0]
        if ends:
            # Single continuation that is optional.
            return f"(?:{body})?"
        return body
    alt = "(?:" + "|".join(branches) + ")"
    return alt + "?" if ends else alt


# Harakat, Quranic marks, superscript alef and tatweel: they belong to the letter before them.
_TRAILING_MARKS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)] + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"] + [chr(c) for c in range(0x06D6, 0x06EE)]
)


def raw_span(view: "View", start: int, end: int) -> tuple[int, int]:
    """Raw offsets of view ``[start, end)``, extended over the diacritics and tatweel that
    follow the last letter («دولاراً», «هـ»), which the view deleted."""
    rs, re_ = view.raw_span(start, end)
    raw = view.raw
    if end > start:
        while re_ < len(raw) and raw[re_] in _TRAILING_MARKS:
            re_ += 1
    return rs, re_
