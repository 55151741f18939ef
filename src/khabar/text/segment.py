"""Paragraphs, headings and sentences as standoff spans over the raw text.

Sentences end at . ! ? ؟ ؛ … and at line ends, also when the next sentence is glued
on without a space («».واضاف»). A full stop between digits (3.5) or after a single
letter (abbreviations such as «د.») does not end a sentence, and no sentence ends
inside a « » or “ ” quotation that closes within the same paragraph.
"""
from __future__ import annotations

import re

from khabar.document import Paragraph, Sentence

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029]+")
_TERMINATORS = frozenset(".!?؟؛…")
_CLOSERS = frozenset("»”\"')]’")
_OPEN = {"«": "»", "“": "”", "‘": "’"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_TERMINATOR_RE = re.compile("[" + re.escape("".join(sorted(_TERMINATORS))) + "]")
_QUOTE_MARK_RE = re.compile("[" + re.escape("".join(sorted(_OPEN) + sorted(_CLOSE))) + "]")
_FINAL_PUNCT = frozenset(".!?؟؛…:،,»\"”)'-–—")
_WS = " \t\u00a0\u200f\u200e\ufeff\u2007\u202f"


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in _WS):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in _WS):
        e -= 1
    return s, e


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-blank line; short unpunctuated lines become headings."""
    paras: list[Paragraph] = []
    for m in _LINE_RE.finditer(text):
        s, e = _strip(text, *m.span())
        if e > s:
            paras.append(Paragraph(s, e, False))
    for i, p in enumerate(paras):
        if i + 1 < len(paras) and _is_heading(text[p.start:p.end]):
            p.heading = True
    return paras


def _is_heading(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 8 or len(line) > 70:
        return False
    if line[-1] in _FINAL_PUNCT:
        return False
    # Datelines («الرياض - واس») and bylines are not headings: no dash-separated bits.
    if " - " in line or line.endswith(("-", ":")):
        return False
    return any("\u0600" <= ch <= "\u06ff" or ch.isalpha() for ch in line)


def _quote_ranges(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Balanced « » / “ ” ranges in a paragraph (outermost only); unmatched marks are ignored."""
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    # Visit only the quote marks (a regex scan), not every character of the paragraph.
    for qm in _QUOTE_MARK_RE.finditer(text, s, e):
        i = qm.start()
        ch = text[i]
        if ch in _OPEN:
            stack.append((ch, i))
        elif ch in _CLOSE:
            # Close the nearest matching opener; an unmatched closer is ignored.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == _CLOSE[ch]:
                    o = stack[k][1]
                    del stack[k:]
                    if not stack:
                        ranges.append((o, i))
                    break
    return ranges


def sentences(text: str, paras: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in paras:
        out.extend(_split_paragraph(text, p.start, p.end))
    return out


def _split_paragraph(text: str, s: int, e: int) -> list[Sentence]:
    protected = _quote_ranges(text, s, e)
    qi = 0
    cut_points: list[int] = []
    pos = s  # everything before pos is decided (inside the previous terminator run)
    # Visit only the terminators (a regex scan), not every character of the paragraph.
    for tm in _TERMINATOR_RE.finditer(text, s, e):
        i = tm.start()
        if i < pos:
            continue
        while qi < len(protected) and protected[qi][1] < i:
            qi += 1
        if qi < len(protected) and protected[qi][0] < i < protected[qi][1]:
            continue  # inside a quotation that closes in this paragraph
        if _is_inner_dot(text, i, s, e):
            continue
        j = i + 1
        while j < e and (text[j] in _TERMINATORS or text[j] in _CLOSERS):
            j += 1
        cut_points.append(j)
        pos = j
    out: list[Sentence] = []
    prev = s
    for c in cut_points + [e]:
        a, b = _strip(text, prev, c)
        if b > a:
            out.append(Sentence(a, b))
        prev = c
    return out


def _is_inner_dot(text: str, i: int, s: int, e: int) -> bool:
    if text[i] != ".":
        return False
    before = text[i - 1] if i > s else " "
    after = text[i + 1] if i + 1 < e else " "
    if before.isdigit() and after.isdigit():
        return True  # 3.5
    # A single-letter abbreviation («د.», «أ.ف.ب», "U.S.").
    if before.isalpha() and (i - 1 == s or not text[i - 2].isalpha()):
        return True
    # Letter-by-letter acronyms glued with dots («بي.بي.سي»): a short word, then a letter right after.
    if before.isalpha() and after.isalpha() and (i - 2 == s or i - 3 < s or not text[i - 3].isalpha()):
        return True
    # A dot glued between two Latin letters (www.example.com).
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return True
    return False
