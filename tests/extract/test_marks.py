"""Quotation-mark pairing per paragraph."""
from __future__ import annotations

import khabar
from khabar.extract.marks import pair_marks


def pairs_of(text: str) -> list[tuple[str, str | None]]:
    doc = khabar.analyze(text)
    toks = [t for t in doc.tokens if not t.text.isspace()]
    pairs, _stray = pair_marks(text, toks, doc.paragraphs)
    return [(toks[p.open_tok].text, toks[p.close_tok].text if p.close_tok is not None else None) for p in pairs]


def test_guillemets_and_curly_quotes_pair() -> None:
    assert pairs_of("قال «نعم» ثم قال “لا”.") == [("«", "»"), ("“", "”")]


def test_straight_quotes_pair_in_order() -> None:
    assert pairs_of('قال "نعم" وقال "لا".') == [('"', '"'), ('"', '"')]


def test_unclosed_mark_does_not_cross_the_paragraph() -> None:
    assert pairs_of("قال «نعم\nوقال «لا».") == [("«", None), ("«", "»")]


def test_closing_mark_glued_to_a_word_opens() -> None:
    # «لـ»مجموعة» in scraped text: the closing-looking mark opens the quotation
    assert pairs_of("يخططون لـ»مجموعة من العمليات» أخرى") == [("»", "»")]


def test_stray_closer_is_reported() -> None:
    text = "انتهى الاجتماع» بلا نتيجة."
    doc = khabar.analyze(text)
    toks = [t for t in doc.tokens if not t.text.isspace()]
    pairs, stray = pair_marks(text, toks, doc.paragraphs)
    assert pairs == [] and [toks[i].text for i in stray] == ["»"]


def test_doubled_apostrophe_of_algerian_papers_is_one_mark_and_pairs() -> None:
    assert pairs_of("وقال الوزير ''نعم'' ثم قال ''لا''.") == [("''", "''"), ("''", "''")]


def test_single_curly_quotes_pair() -> None:
    assert pairs_of("وقال الناطق ‘لن نتراجع’ أمس.") == [("‘", "’")]
