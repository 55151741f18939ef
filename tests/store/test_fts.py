"""The Python offset finder agrees with the FTS5 index it explains (property test)."""
from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.store.fts import find_matches, index_columns, parse_query, search_stem

VOCAB = ["ميركل", "أنجيلا", "انجيلا", "وميركل", "لميركل", "الهجرة", "والهجرة", "للهجرة", "ليبيا", "لليبيا",
         "وزير", "الوزير", "بوزير", "مصر", "فإن", "قال", "إن", "Merkel", "MERKEL", "2016", "٢٠١٦"]
MARKS = ["", "", "", "\u064e", "\u0650", "\u0640", "\u200f", "\u0651"]
SEPS = [" ", " ", "، ", ": «", "» ", "\n", " - ", "_"]


def _decorate(word: str, marks: list[str]) -> str:
    """The word with diacritics/tatweel/direction marks sprinkled after its letters."""
    return "".join(c + marks[i % len(marks)] for i, c in enumerate(word))


text_st = st.lists(st.tuples(st.sampled_from(VOCAB), st.lists(st.sampled_from(MARKS), min_size=1, max_size=4),
                             st.sampled_from(SEPS)), min_size=1, max_size=12).map(
    lambda parts: "".join(_decorate(w, m) + s for w, m, s in parts))
query_st = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=2).flatmap(
    lambda ws: st.sampled_from([" ".join(ws), '"' + " ".join(ws) + '"']))


@settings(max_examples=300, deadline=None)
@given(text_st, query_st)
def test_offsets_agree_with_fts(text: str, q: str) -> None:
    query = parse_query(q)
    c = sqlite3.connect(":memory:")
    c.execute("CREATE VIRTUAL TABLE t USING fts5(surface, stems, content='', tokenize='unicode61')")
    c.execute("INSERT INTO t(rowid, surface, stems) VALUES (1, ?, ?)", index_columns(None, text))
    fts_hit = c.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query.fts(),)).fetchone()[0] == 1
    spans = find_matches(text, query)
    # every group must be found for an FTS (AND) hit; spans only ever point at real text
    found_groups = {g for g in query.groups if find_matches(text, type(query)(q, (g,)))}
    assert fts_hit == (len(found_groups) == len(query.groups))
    for s, e in spans:
        assert 0 <= s < e <= len(text) and text[s:e].strip()


def test_search_stem() -> None:
    assert search_stem("والهجره") == "هجره"
    assert search_stem("لليبيا") == "يبيا" == search_stem("ليبيا")
    assert search_stem("ميركل") == "ميركل"
    assert search_stem("وله") == "وله"  # too short to strip
