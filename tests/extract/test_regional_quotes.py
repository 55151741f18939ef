"""Quotation styles of the Arab press beyond Saudi Arabia (issue: outlets khabar has never seen)."""
from __future__ import annotations

from khabar.document import Quote
from tests.extract.test_quotes import quotes_of, speaker


def _one(text: str) -> Quote:
    qs = quotes_of(text)
    assert len(qs) >= 1, qs
    return qs[0]


def test_doubled_apostrophe_quote_is_direct_and_inside_the_marks() -> None:
    q = _one("وقال الوزير أحمد أويحيى ''إن الحكومة ستواصل الإصلاحات''، أمام النواب.")
    assert q.kind == "direct"
    assert q.text == "إن الحكومة ستواصل الإصلاحات"
    assert speaker(q) == "أحمد أويحيى"


def test_single_curly_quote_is_direct() -> None:
    q = _one("وقال الوزير مصطفى الخلفي ‘الحكومة لن تتراجع عن قرارها’ في ندوة صحفية.")
    assert q.kind == "direct"
    assert q.text == "الحكومة لن تتراجع عن قرارها"
