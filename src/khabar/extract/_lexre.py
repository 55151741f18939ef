"""Helpers shared by the figure and date extractors: trie regexes over word lists, raw spans,
the neighbouring words of a match.

Compile word lists into fast regular expressions:

A plain alternation of hundreds of words makes ``re`` try every word at every
position; a trie-shaped pattern (shared prefixes factored out, as the
``trieregex`` package does) lets it fail after one or two characters. Inputs are
already folded with :func:`khabar.text.normalize.fold`; a space inside an entry
matches one to three spaces or tabs (never a line break).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from khabar.text.normalize import View, fold, make_view

if TYPE_CHECKING:
    from khabar.document import Document

_END = ""  # marks the end of a word in the trie
# Horizontal whitespace, bounded: figures and dates never span lines, and unbounded runs next to
# optional groups would make the regexes backtrack quadratically on pathological input.
HSPACE = r"[^\S\n\r]{1,3}"
HSPACE0 = r"[^\S\n\r]{0,3}"


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
    return HSPACE if ch == " " else re.escape(ch)


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


def raw_span(view: View, start: int, end: int) -> tuple[int, int]:
    """Raw offsets of view ``[start, end)``, extended over the diacritics and tatweel that
    follow the last letter («دولاراً», «هـ»), which the view deleted."""
    rs, re_ = view.raw_span(start, end)
    raw = view.raw
    if end > start:
        while re_ < len(raw) and raw[re_] in _TRAILING_MARKS:
            re_ += 1
    return rs, re_


def prev_word(vt: str, pos: int) -> str:
    """The folded word before view position ``pos``, with a و/ف clitic removed."""
    j = pos
    while j > 0 and vt[j - 1].isspace():
        j -= 1
    i = j
    while i > 0 and (vt[i - 1].isalnum() or vt[i - 1] == "_"):
        i -= 1
    w = vt[i:j]
    if len(w) > 2 and w[0] in "وف":
        return w[1:]
    return w


# Words after a number that are not the counted noun («في 2015 تم ...», «عام 2010 وحتى ...»).
_NOT_NOUN_WORDS = (
    "من في على إلى الى عن مع أو او ثم حتى منذ قبل بعد خلال عند لدى بين ضد نحو حول دون عبر وفق حسب "
    "و ف ب ل ك إن ان أن كان كانت يكون تكون تم يتم قد لقد لم لن لا ما ماذا هو هي هم هذا هذه ذلك تلك "
    "التي الذي الذين اللذين اللتين وقد وكان وكانت وتم وفي ومن وعلى فقط تقريبا نحو حوالي أكثر اكثر أقل "
    "اقل وأكثر واكثر فما فأكثر فاكثر صباحا مساء مساءا ظهرا عصرا ليلا فجرا بتوقيت وذلك حيث كما بينما "
    "إذ اذ لكن ولكن وهو وهي أي اي أيضا ايضا مقابل تحت فوق أمام خلف وراء داخل خارج لكل ضمن بدلا بدون "
    "مقارنة بواقع بمعدل بقيمة يوميا سنويا شهريا أسبوعيا جاري مبروك ممن مما منهم منها منه عليه عليها "
    "فيه فيها لهم لها له بها به إليه اليه عنه عنها")


@lru_cache(maxsize=1)
def _not_nouns() -> frozenset[str]:
    return frozenset(fold(w) for w in _NOT_NOUN_WORDS.split())


def counted_noun(word: str) -> bool:
    """An indefinite Arabic word that can be the noun counted by a preceding number."""
    not_nouns = _not_nouns()
    if len(word) < 2 or not ("\u0621" <= word[0] <= "\u064a") or word in not_nouns:
        return False
    if word[0] in "وف" and word[1:] in not_nouns:
        return False  # «وحتى», «فقط»
    if word.startswith(("ال", "وال", "بال", "فال", "كال", "لل")):
        return False
    if len(word) > 3 and word[0] in "وف" and word[1] in "ايتن":
        return False  # a conjunction + imperfect/perfect verb («وأضاف», «وتم», «فيما»), not a noun
    return all("\u0621" <= c <= "\u064a" for c in word)


def doc_view(doc: "Document") -> View:
    """The folded view of ``doc`` made by the tokenize stage, or a fresh one when called alone."""
    v = doc.cache.get("view")
    if not isinstance(v, View) or v.raw is not doc.text:
        v = make_view(doc.text)
        doc.cache["view"] = v
    return v
