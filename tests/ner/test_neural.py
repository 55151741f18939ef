from hypothesis import given
from hypothesis import strategies as st

from khabar.ner.neural import MAX_PIECE, _pieces


@given(st.lists(st.sampled_from(["كلمة", "،", ".", "باريس", "و", ":"]), max_size=400))
def test_pieces_cover_the_sentence_in_order(tokens: list[str]) -> None:
    pieces = _pieces(tokens)
    assert [t for p in pieces for t in p] == tokens
    assert all(len(p) <= MAX_PIECE for p in pieces)
    assert all(p for p in pieces) or pieces == [[]]


def test_long_sentence_is_cut_after_punctuation() -> None:
    tokens = ["كلمة"] * 45 + ["،"] + ["كلمة"] * 40
    first, second = _pieces(tokens)
    assert first[-1] == "،" and len(first) == 46 and len(second) == 40


def test_no_punctuation_means_a_hard_cut() -> None:
    assert [len(p) for p in _pieces(["كلمة"] * 130)] == [MAX_PIECE, MAX_PIECE, 10]
