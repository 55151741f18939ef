"""Paragraphs, headings and sentences."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from khabar.text.segment import paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[s.start:s.end] for s in sentences(text, paragraphs(text))]


def test_paragraphs_are_stripped_lines() -> None:
    text = "  السطر الأول.  \n\n\u200fالسطر الثاني.\r\nالثالث.\u2028الرابع."
    ps = paragraphs(text)
    assert [text[p.start:p.end] for p in ps] == ["السطر الأول.", "السطر الثاني.", "الثالث.", "الرابع."]


def test_headings() -> None:
    text = ("قال الوزير إن الاجتماع مهم.\n"
            "اجتماعات سابقة\n"
            "وتوافق الطرفان على بيان.\n"
            "الرياض - واس\n"
            "قال المتحدث:\n"
            "هذا سطر قصير.\n"
            "عنوان أخير")
    got = {text[p.start:p.end]: p.heading for p in paragraphs(text)}
    assert got["اجتماعات سابقة"] is True
    assert got["قال الوزير إن الاجتماع مهم."] is False
    assert got["الرياض - واس"] is False   # a dateline
    assert got["قال المتحدث:"] is False
    assert got["هذا سطر قصير."] is False
    assert got["عنوان أخير"] is False     # the last line has nothing to head


def test_long_unpunctuated_line_is_not_a_heading() -> None:
    line = " ".join(["كلمة"] * 12)
    assert not paragraphs(line + "\nنص.")[0].heading


def test_seed_headings(seed_text: str) -> None:
    heads = [seed_text[p.start:p.end] for p in paragraphs(seed_text) if p.heading]
    assert heads == ["اجتماعات سابقة", "تعاون الماني ليبي"]


def test_sentence_terminators() -> None:
    assert split("هل حضر؟ نعم! حضر؛ ثم غادر. وانتهى") == ["هل حضر؟", "نعم!", "حضر؛", "ثم غادر.", "وانتهى"]
    assert split("قال... ثم سكت") == ["قال...", "ثم سكت"]


def test_missing_space_after_quote_and_dot() -> None:
    text = "وصرح «يصل المشير الى موسكو».واضاف «سيتم ذلك»"
    assert split(text) == ["وصرح «يصل المشير الى موسكو».", "واضاف «سيتم ذلك»"]


def test_no_split_inside_numbers_or_abbreviations() -> None:
    assert split("بلغ النمو 3.5 في المئة. ثم تراجع") == ["بلغ النمو 3.5 في المئة.", "ثم تراجع"]
    assert split("بلغ ٣.٥ في المئة") == ["بلغ ٣.٥ في المئة"]
    assert split("قال د. أحمد إن الوضع جيد") == ["قال د. أحمد إن الوضع جيد"]
    assert split("زار الموقع www.example.com أمس") == ["زار الموقع www.example.com أمس"]


def test_no_split_inside_quotes() -> None:
    text = "وقال «الوضع صعب. لكننا سننجح!» ثم غادر. وعاد"
    assert split(text) == ["وقال «الوضع صعب. لكننا سننجح!» ثم غادر.", "وعاد"]
    text = "وقال “الوضع صعب. لكننا سننجح” ثم غادر."
    assert split(text) == [text]


def test_unbalanced_quote_does_not_protect() -> None:
    assert split("وقال «الوضع صعب. لكننا سننجح") == ["وقال «الوضع صعب.", "لكننا سننجح"]
    assert split("الوضع صعب» ثم. غادر") == ["الوضع صعب» ثم.", "غادر"]


def test_line_end_ends_a_sentence() -> None:
    assert split("سطر بلا نقطة\nسطر آخر.") == ["سطر بلا نقطة", "سطر آخر."]


@given(st.text(alphabet=st.sampled_from(list("اب تث.؟!؛…«»“”\"'\n\r 3٫5\u200f\u2028")), max_size=80)
       | st.text(max_size=80))
def test_sentences_inside_paragraphs_in_order(text: str) -> None:
    ps = paragraphs(text)
    ss = sentences(text, ps)
    prev = 0
    for p in ps:
        assert 0 <= p.start < p.end <= len(text)
        assert p.start >= prev
        prev = p.end
    prev = 0
    for s in ss:
        assert s.start < s.end and s.start >= prev
        assert any(p.start <= s.start and s.end <= p.end for p in ps)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        prev = s.end
