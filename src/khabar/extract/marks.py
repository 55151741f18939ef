"""Quotation marks paired per paragraph, robust to the broken marks of scraped text.

Pairs « », “ ”, „ “, ‘ ’, straight " " and the doubled apostrophe '' '' of Algerian papers
(one token, see :mod:`khabar.text.tokenize`). A mark that is never closed (or a closer with
no opener) never aborts the article: it is reported as unmatched and the quote it
opens ends at the end of its sentence. «»» used as an opener, as in «لـ»مجموعة»,
is recognised by the letter glued to its right.
"""
from __future__ import annotations

from dataclasses import dataclass

from khabar.document import Paragraph, Token

OPENERS = {"«": "»", "“": "”", "„": "“", "‘": "’"}
CLOSERS = frozenset("»”’")
STRAIGHT = '"'
DOUBLE_APOSTROPHE = "''"
# marks that open and close alike: each pairs with the next of its own kind
SYMMETRIC = frozenset((STRAIGHT, DOUBLE_APOSTROPHE))
COMMAS = frozenset("،,")
MARK_TOKENS = frozenset(("«", "»", "“", "”", "„", "‘", "’", STRAIGHT, DOUBLE_APOSTROPHE))
CLOSING_TOKENS = frozenset(("»", "”", "’", STRAIGHT, DOUBLE_APOSTROPHE))


def is_opening_mark(t: str) -> bool:
    """A token that may open a quotation (a straight quote may open or close one)."""
    return t in OPENERS or t in SYMMETRIC


@dataclass(slots=True)
class MarkPair:
    open_tok: int
    close_tok: int | None  # None: never closed in its paragraph

    @property
    def closed(self) -> bool:
        return self.close_tok is not None


def _glued_opener(text: str, tok: Token) -> bool:
    """A closing-looking mark used as an opener: glued to the following letter and not to the previous one."""
    nxt = text[tok.end] if tok.end < len(text) else " "
    prv = text[tok.start - 1] if tok.start > 0 else " "
    return nxt.isalpha() and (not prv.isalpha() or prv in "لوبـ")


def pair_marks(text: str, tokens: list[Token], paragraphs: list[Paragraph]) -> tuple[list[MarkPair], list[int]]:
    """(pairs in order of their opening mark, indices of unmatched closing marks)."""
    pairs: list[MarkPair] = []
    stray: list[int] = []
    pi = 0
    stack: list[tuple[str, int]] = []
    symmetric_open: dict[str, int] = {}  # a straight mark, or '', waiting for its twin
    para_end = paragraphs[0].end if paragraphs else len(text)

    def flush() -> None:
        for _, idx in stack:
            pairs.append(MarkPair(idx, None))
        stack.clear()
        for idx in symmetric_open.values():
            pairs.append(MarkPair(idx, None))
        symmetric_open.clear()

    for i, tok in enumerate(tokens):
        ch = tok.text
        if ch not in MARK_TOKENS:
            continue
        while pi < len(paragraphs) and tok.start >= para_end:
            flush()
            pi += 1
            para_end = paragraphs[pi].end if pi < len(paragraphs) else len(text)
        if ch in SYMMETRIC:
            if ch not in symmetric_open:
                symmetric_open[ch] = i
            else:
                pairs.append(MarkPair(symmetric_open.pop(ch), i))
        elif ch in OPENERS and not (ch == "“" and stack and stack[-1][0] == "„"):
            stack.append((ch, i))
        elif ch in CLOSERS or ch == "“":
            if ch == "»" and _glued_opener(text, tok):
                stack.append(("«", i))
                continue
            for k in range(len(stack) - 1, -1, -1):
                if OPENERS[stack[k][0]] == ch:
                    # Inner openers left unclosed inside this pair are unmatched.
                    for _, idx in stack[k + 1:]:
                        pairs.append(MarkPair(idx, None))
                    pairs.append(MarkPair(stack[k][1], i))
                    del stack[k:]
                    break
            else:
                stray.append(i)
    flush()
    pairs.sort(key=lambda p: p.open_tok)
    return pairs, stray
