"""Invariants of the whole pipeline on arbitrary input (hypothesis)."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import khabar
from khabar.document import Document

# Arabic letters, marks and punctuation weighted in, so that cues, quote marks, numbers
# and months actually occur; plus the whole of Unicode for robustness.
_ARABIC_BITS = st.sampled_from([
    "قال", "وقال", "وأضاف", "وتابعت", "إن", "أن", "أنه", ":", "«", "»", "“", "”", '"', ".", "،", "؛", "\n",
    " ", "  ", "ـ", "\u064e", "\u200f", "50", "٥٠", "3.5", "مليون", "يورو", "جويلية", "العام", "2016",
    "الرئيس", "محمد", "علي", "وزارة", "الخارجية", "بحسب ما ذكر", "قائلا", "مشيرا إلى", "لـ", "ال",
    # the entity rules' triggers: titles, heads, names, nationality, nunation, days
    "الوزير", "المتحدث باسم", "الأمير", "بن", "عبد", "الإيراني", "نادي", "شركة", "وكالة", "مدينة", "جدة",
    "حفتر", "خليفة", "\u064c", "الأربعاء", "إلا",
])
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_ARABIC_BITS, st.text(max_size=4)), max_size=80).map("".join),
)


def check_offsets(doc: Document) -> None:
    text = doc.text
    n = len(text)
    for layer, start, end, t in doc.iter_spans():
        assert 0 <= start <= end <= n, (layer, start, end)
        assert text[start:end] == t, (layer, start, end, t)
    for p in doc.paragraphs:
        assert 0 <= p.start < p.end <= n
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_analyze_never_raises_and_offsets_hold(text: str) -> None:
    doc = khabar.analyze(text)
    assert doc.text == text  # never normalized
    check_offsets(doc)
    # the analysis is valid JSON and round-trips through the Document model
    d = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    back = Document.from_dict(d)
    assert back.to_dict() == doc.to_dict()


def test_seed_offsets(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, "seed")
    check_offsets(doc)
    assert doc.quotes and doc.entities and doc.figures and doc.dates
