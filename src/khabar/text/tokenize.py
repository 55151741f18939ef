"""Tokens with offsets, and the clitic sub-span inside each word.

A token is a run of word characters (letters, digits, Arabic marks, tatweel), a
number with decimal/thousands separators (``3.5``, ``1,200``), or one punctuation
character. ``stem_start`` skips the proclitics that are safe to strip without a
lexicon (conjunction + preposition + article clusters such as «وال», «بال», «لل»);
ambiguous single-letter prefixes («وزارة» vs «و+زارة») are left to lexicon-aware
callers through :func:`proclitic_offsets`.
"""
from __future__ import annotations

import re

from khabar.document import Token

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
# Direction marks and BOMs that scraped news is full of: not whitespace for Python, but not tokens either.
_INVISIBLE = "\u200b\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff"
TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)+"                # numbers with separators
    r"|''"                              # the doubled apostrophe Algerian papers quote with: one mark
    rf"|[\w{_MARKS}]+"                  # words (letters, digits, marks)
    rf"|[^\s{_INVISIBLE}]",            # any other single visible character
)
_ARTICLE_CLUSTER = re.compile(r"^(?:[وف]?[بكل]?ال|[وف]?لل)(?=\w\w)")
_CLUSTER_FIRST = frozenset("وفبكلا")  # letters an _ARTICLE_CLUSTER match can start with
_CONJ_PREP_NAME = re.compile(r"^(?:[وف][بلك]?|[بلك])(?=\w\w\w)")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with absolute offsets."""
    out: list[Token] = []
    end = len(text) if end is None else end
    for m in TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        w = m.group()
        # Most tokens cannot start an article cluster: skip the regex call for them.
        cm = _ARTICLE_CLUSTER.match(w) if w[0] in _CLUSTER_FIRST else None
        if cm:
            cut = cm.end()
            # «لل» fuses ل + ال: the stem keeps no article letter, so we stop after the ل of the preposition
            # for the article case only when the cluster ends in «ال».
            stem_s = s + (cut - 2 if w[cut - 2:cut] == "ال" else cut)
        else:
            stem_s = s
        out.append(Token(s, e, w, stem_s, e))
    return out


def proclitic_offsets(word: str) -> list[int]:
    """Candidate stem offsets in ``word`` from the most to the least stripped, 0 last.

    «وبالرئيس» → [3 (الرئيس), 2 (بالرئيس→ no: ب stripped), ...]. Callers test each
    candidate against a lexicon and keep the first hit.
    """
    cands: list[int] = []
    m = _ARTICLE_CLUSTER.match(word)
    if m:
        cut = m.end()
        if word[cut - 2:cut] == "ال":
            cands.append(cut - 2)  # keep the article: «والرئيس» → «الرئيس»
        cands.append(cut)
    m = _CONJ_PREP_NAME.match(word)
    if m:
        for k in range(m.end(), 0, -1):
            if k not in cands:
                cands.append(k)
    cands.append(0)
    return cands
