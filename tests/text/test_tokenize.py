"""Tokens with offsets and the clitic stem sub-span."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from khabar.text.tokenize import proclitic_offsets, tokenize

_INVISIBLE = frozenset("\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def texts(s: str) -> list[str]:
    return [t.text for t in tokenize(s)]


def test_words_and_punctuation() -> None:
    assert texts("قال: «نعم»، ثم غادر.") == ["قال", ":", "«", "نعم", "»", "،", "ثم", "غادر", "."]


def test_numbers_with_separators_are_one_token() -> None:
    assert "3.5" in texts("بلغ 3.5 مليون")
    assert "1,200" in texts("نحو 1,200 شخص")
    assert "٣٫٥" in texts("نحو ٣٫٥ مليون")
    assert texts("عام 2015.") == ["عام", "2015", "."]


def test_diacritics_and_tatweel_stay_inside_words() -> None:
    assert texts("مُحَمَّـدٌ قال") == ["مُحَمَّـدٌ", "قال"]


def test_invisible_direction_marks_are_not_tokens() -> None:
    assert texts("قال\u200f: \u200e«نعم»\ufeff") == ["قال", ":", "«", "نعم", "»"]


def test_offsets() -> None:
    s = "  وقال   الرئيس،"
    for t in tokenize(s):
        assert s[t.start:t.end] == t.text
        assert t.start <= t.stem_start <= t.stem_end == t.end
    assert [t.text for t in tokenize(s, 2, 6)] == ["وقال"]


def test_stems_skip_safe_clitic_clusters() -> None:
    toks = {t.text: t.text[t.stem_start - t.start:] for t in tokenize("والرئيس بالمدينة وبالرئيس للرئيس الرئيس وزارة")}
    assert toks["والرئيس"] == "الرئيس"
    assert toks["بالمدينة"] == "المدينة"
    assert toks["وبالرئيس"] == "الرئيس"
    assert toks["للرئيس"] == "رئيس"
    assert toks["الرئيس"] == "الرئيس"
    assert toks["وزارة"] == "وزارة"  # a bare و is ambiguous: left to lexicon-aware callers


def test_proclitic_offsets() -> None:
    assert proclitic_offsets("وبالرئيس") == [2, 4, 1, 0]
    assert proclitic_offsets("وزارة") == [1, 0]
    assert proclitic_offsets("للرئيس") == [2, 1, 0]
    assert proclitic_offsets("من") == [0]
    for w in ("وبالرئيس", "وزارة", "فلسطين", "كتاب", "ال"):
        c = proclitic_offsets(w)
        assert c[-1] == 0 and len(c) == len(set(c)) and all(0 <= k < len(w) for k in c)


@given(st.text(max_size=80))
def test_tokens_cover_all_visible_characters(s: str) -> None:
    toks = tokenize(s)
    prev = 0
    for t in toks:
        assert s[t.start:t.end] == t.text
        assert t.start >= prev and t.end > t.start
        assert all(c.isspace() or c in _INVISIBLE for c in s[prev:t.start])
        prev = t.end
    assert all(c.isspace() or c in _INVISIBLE for c in s[prev:])
