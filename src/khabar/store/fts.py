"""Search text: user input → a safe FTS5 expression over the folded index, and back to raw offsets.

User text never reaches FTS5 as syntax. It is folded (:func:`khabar.text.normalize.fold`), cut
into words (letters and digits only), and every word is re-quoted by us, so operators, column
filters, stray quotes or ``NEAR(`` in the input are just words or nothing. Text between double
quotes (``"…"``, «…», “…”) is a phrase; other words must all occur (AND).

Each word matches either its folded surface form or its *search stem*: the same light prefix
stripping (conjunction + preposition/article, after Larkey et al.'s "light10" Arabic stemmer)
applied to the index and to the query, so «ميركل» finds «وميركل» and «ليبيا» finds «لليبيا».
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.text.normalize import fold, make_view

MAX_QUERY_CHARS = 300
MAX_TERMS = 16

_WORD_RE = re.compile(r"[^\W_]+")
_PHRASE_RE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')
# Proclitic clusters, longest first; the rest of the word must keep three letters.
_PREFIX_RE = re.compile(r"^(?:[وف]?(?:بال|كال|لل|ال|[بكل])|[وف])(?=[^\W_]{3})")


def search_stem(word: str) -> str:
    """Strip one proclitic cluster (و/ف + ب/ك/ل/ال) from a folded word; idempotent enough for search."""
    return _PREFIX_RE.sub("", word, count=1)


def words(text: str) -> list[str]:
    """Folded, lower-cased index words of ``text``."""
    return _WORD_RE.findall(fold(text).lower())


def index_columns(title: str | None, text: str) -> tuple[str, str]:
    """(surface, stems) column values for ``articles_fts``."""
    ws = words(title or "") + words(text)
    return " ".join(ws), " ".join(search_stem(w) for w in ws)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed user query: AND of groups; a group of several words is a phrase."""

    raw: str
    groups: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts(self) -> str:
        """The FTS5 MATCH expression. Every word is quoted here: no user syntax survives."""
        parts = []
        for g in self.groups:
            surface = _quote(" ".join(g))
            stems = _quote(" ".join(search_stem(w) for w in g))
            parts.append(f"(surface : {surface} OR stems : {stems})")
        return " AND ".join(parts)


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def parse_query(q: str) -> Query:
    """Parse user input; the result may be empty (no words), which callers report as a bad query."""
    q = q[:MAX_QUERY_CHARS]
    groups: list[tuple[str, ...]] = []
    pos = 0
    for m in _PHRASE_RE.finditer(q):
        groups.extend((w,) for w in words(q[pos:m.start()]))
        phrase = tuple(words(next(x for x in m.groups() if x is not None)))
        if phrase:
            groups.append(phrase)
        pos = m.end()
    groups.extend((w,) for w in words(q[pos:]))
    seen: list[tuple[str, ...]] = []
    for g in groups:
        if g not in seen:
            seen.append(g)
    return Query(q, tuple(seen[:MAX_TERMS]))


def find_matches(text: str, query: Query, limit: int = 50) -> list[tuple[int, int]]:
    """Raw ``[start, end)`` spans of ``text`` where a query group occurs (the Python twin of the
    FTS5 match, used for offsets and snippets)."""
    view = make_view(text)
    low = view.text.lower()
    toks = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(low)]
    stems = [search_stem(t[2]) for t in toks]
    out: list[tuple[int, int]] = []
    for g in query.groups:
        gs = [search_stem(w) for w in g]
        n = len(g)
        for i in range(len(toks) - n + 1):
            if all(toks[i + k][2] == g[k] or stems[i + k] == gs[k] for k in range(n)):
                out.append(view.raw_span(toks[i][0], toks[i + n - 1][1]))
    out.sort()
    return out[:limit]


def snippet(text: str, spans: list[tuple[int, int]], width: int = 80) -> tuple[str, int]:
    """A stretch of the raw text around the first match: (snippet, its start offset in ``text``)."""
    if not spans:
        end = min(len(text), 2 * width)
        return text[:end], 0
    s, e = spans[0]
    a = max(0, s - width)
    b = min(len(text), e + width)
    # Snap to word boundaries so the snippet does not start or end mid-word.
    if a > 0:
        sp = text.find(" ", a, s)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", e, b)
        b = sp if sp != -1 else b
    return text[a:b], a
