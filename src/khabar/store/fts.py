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
from functools import lru_cache

from khabar.text.normalize import fold

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


@lru_cache(maxsize=1)
def _fold_classes() -> tuple[dict[str, str], str]:
    """For each folded letter, the raw characters that fold to it; and the characters fold()
    deletes (diacritics, tatweel, direction marks). Derived from fold() itself, so the
    offset finder can never disagree with the index."""
    inv: dict[str, set[str]] = {}
    deleted: list[str] = []
    for cp in [*range(0x0600, 0x0700), *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
               0xFEFF]:
        ch = chr(cp)
        f = fold(ch)
        if f == "":
            deleted.append(ch)
        elif len(f) == 1 and f != ch:
            inv.setdefault(f, {f}).add(ch)
    classes = {k: "[" + re.escape("".join(sorted(v))) + "]" for k, v in inv.items()}
    return classes, "[" + re.escape("".join(deleted)) + "]"


@lru_cache(maxsize=512)
def _group_re(group: tuple[str, ...]) -> re.Pattern[str]:
    """A regex over the *raw* text that finds every place where ``group`` may match: each word
    as its search stem behind optional proclitics, any spelling variant or diacritic allowed
    between letters. Candidates are then checked exactly by :func:`_group_matches`."""
    classes, marks = _fold_classes()

    def raw(folded: str) -> str:  # a folded string as it may be written, marks after any letter
        return "".join(classes.get(c, re.escape(c)) + f"{marks}*" for c in folded)

    conj = f"(?:{raw('و')}|{raw('ف')})"
    prep = "|".join(raw(p) for p in ("بال", "كال", "لل", "ال", "ب", "ك", "ل"))
    proclitic = f"(?:{conj}?(?:{prep})|{conj})?"  # the same clusters as _PREFIX_RE
    words = [proclitic + raw(search_stem(w)) for w in group]
    # Between words: any non-letters (spaces, punctuation, marks), as the FTS5 tokenizer sees it.
    # A word starts after a non-letter that is not a mark either (a mark means mid-word).
    start = rf"(?<![^\W_])(?<!{marks})"
    end = rf"(?![^\W_])(?!{marks})"
    return re.compile(start + r"[\W_]+?".join(words) + end, re.IGNORECASE)


def _group_matches(raw: str, group: tuple[str, ...]) -> bool:
    toks = _WORD_RE.findall(fold(raw).lower())
    return len(toks) == len(group) and all(
        t == w or search_stem(t) == search_stem(w) for t, w in zip(toks, group))


def find_matches(text: str, query: Query, limit: int = 50) -> list[tuple[int, int]]:
    """Raw ``[start, end)`` spans of ``text`` where a query group occurs: the Python twin of the
    FTS5 match, used for offsets and snippets. A regex over the raw text finds candidates (fast,
    no folded copy of the article needed) and the fold of each candidate is checked exactly."""
    out: list[tuple[int, int]] = []
    for g in query.groups:
        for m in _group_re(g).finditer(text):
            if _group_matches(m.group(), g):
                out.append(m.span())
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
