"""Tagging long sentences in pieces: one splitter and one reassembly for every tagger."""
from __future__ import annotations

from collections.abc import Callable


def cut(tokens: list[str], max_len: int, after: frozenset[str] = frozenset()) -> list[list[str]]:
    """``tokens`` in order, in pieces of at most ``max_len``; a piece ends after the last token of
    its second half that is in ``after`` when there is one (a hard cut otherwise). An empty
    sentence is one empty piece."""
    out = []
    start = 0
    n = len(tokens)
    while n - start > max_len:
        end = start + max_len
        for j in range(end - 1, start + max_len // 2, -1):
            if tokens[j] in after:
                end = j + 1
                break
        out.append(tokens[start:end])
        start = end
    out.append(tokens[start:])
    return out


def tag_in_pieces(sentences: list[list[str]], max_len: int,
                  tag_many: Callable[[list[list[str]]], list[list[str]]],
                  after: frozenset[str] = frozenset()) -> list[list[str]]:
    """Tags of ``sentences`` from ``tag_many`` run over their pieces (see :func:`cut`)."""
    pieces: list[list[str]] = []
    owner: list[int] = []
    for i, s in enumerate(sentences):
        for piece in cut(s, max_len, after):
            pieces.append(piece)
            owner.append(i)
    out: list[list[str]] = [[] for _ in sentences]
    for i, tags in zip(owner, tag_many(pieces)):
        out[i].extend(tags)
    return out
