"""The folded view and its offset map back to the raw text."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.text.normalize import fold, fold_digits, fold_word, make_view, strip_marks


@pytest.mark.parametrize("raw, folded", [
    ("أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"),   # hamza/madda/wasla alef forms
    ("مستشفى على", "مستشفي علي"),                          # alef maqsura
    ("مدرسة", "مدرسه"),                                    # ta marbuta
    ("مؤتمر رئيس", "موتمر رييس"),                          # hamza on waw / ya
    ("كتابٌ مُحَمَّدٌ", "كتاب محمد"),                        # diacritics (tanwin, shadda, sukun …)
    ("مـحـمـد", "محمد"),                                    # tatweel
    ("قال\u200f:", "قال:"),                                 # RLM
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),                          # Eastern Arabic digits
    ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),                          # Persian digits
    ("٣٫٥ و١٬٢٠٠", "3.5 و1,200"),                          # Arabic decimal / thousands separators
    ("ک گ ی", "ك ك ي"),                                    # Persian letters
    ("a\u00a0b", "a b"),                                    # NBSP
    ("Hello 123", "Hello 123"),
])
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert fold_word(raw) == folded
    assert make_view(raw).text == folded


def test_fold_digits_keeps_length() -> None:
    s = "سنة ٢٠١٥ و۳٫۵ أحمد"
    out = fold_digits(s)
    assert out == "سنة 2015 و3.5 أحمد"
    assert len(out) == len(s)


def test_strip_marks_keeps_letters() -> None:
    assert strip_marks("أَحْمَـدُ\u200f") == "أحمد"


def test_identity_view_has_no_map() -> None:
    v = make_view("قال احمد 35")
    assert v._map is None
    assert v.raw_span(4, 8) == (4, 8)
    assert v.to_raw(3) == 3 and v.to_view(3) == 3


def test_raw_span_skips_deleted_marks() -> None:
    raw = "قالَ أحمـد ٣٫٥"
    v = make_view(raw)
    assert v.text == "قال احمد 3.5"
    i = v.text.index("احمد")
    s, e = v.raw_span(i, i + 4)
    assert raw[s:e] == "أحمـد"
    s, e = v.raw_span(0, 3)
    assert raw[s:e] == "قال"  # the trailing fatha is not part of the view span
    j = v.text.index("3.5")
    s, e = v.raw_span(j, j + 3)
    assert raw[s:e] == "٣٫٥"


def test_to_view_on_deleted_characters() -> None:
    raw = "ًًا ب"
    v = make_view(raw)
    assert v.text == "ا ب"
    assert v.to_view(0) == 0 and v.to_view(1) == 0 and v.to_view(2) == 0
    assert v.to_view(len(raw)) == len(v.text)
    assert v.to_raw(len(v.text)) == len(raw)  # the sentinel


def test_empty_span() -> None:
    v = make_view("ًًا")
    assert v.raw_span(1, 1) == (3, 3)
    assert make_view("").text == ""


@given(st.text(alphabet=st.sampled_from(list("ابتةىأإآؤئ ـًٌٍَُِّْ٠١٢٫٬0.\u200f\u200e\u00a0xyz")), max_size=60)
       | st.text(max_size=60))
def test_view_maps_every_character_back(raw: str) -> None:
    v = make_view(raw)
    assert v.text == fold(raw)
    for i, ch in enumerate(v.text):
        r = v.to_raw(i)
        assert fold(raw[r]) == ch
    if v.text:
        s, e = v.raw_span(0, len(v.text))
        assert fold(raw[s:e]) == v.text
        # the map is strictly increasing
        assert all(v.to_raw(i) < v.to_raw(i + 1) for i in range(len(v.text)))
