from hypothesis import given
from hypothesis import strategies as st

from khabar.ner.neural import CUT_AFTER, MAX_PIECE
from khabar.ner.pieces import cut, tag_in_pieces


def _pieces(tokens: list[str]) -> list[list[str]]:
    return cut(tokens, MAX_PIECE, CUT_AFTER)  # as the BiLSTM cuts


@given(st.lists(st.sampled_from(["كلمة", "،", ".", "باريس", "و", ":"]), max_size=400))
def test_pieces_cover_the_sentence_in_order(tokens: list[str]) -> None:
    pieces = _pieces(tokens)
    assert [t for p in pieces for t in p] == tokens
    assert all(len(p) <= MAX_PIECE for p in pieces)
    assert all(p for p in pieces) or pieces == [[]]


def test_long_sentence_is_cut_after_punctuation() -> None:
    tokens = ["كلمة"] * 45 + ["،"] + ["كلمة"] * 40
    first, second = cut(tokens, 60, CUT_AFTER)
    assert first[-1] == "،" and len(first) == 46 and len(second) == 40


def test_no_punctuation_means_a_hard_cut() -> None:
    assert [len(p) for p in cut(["كلمة"] * 130, 60, CUT_AFTER)] == [60, 60, 10]
    n = MAX_PIECE
    assert [len(p) for p in _pieces(["كلمة"] * (2 * n + 10))] == [n, n, 10]
    # without cut marks (the combined tagger's 250-token cut) punctuation does not matter
    assert [len(p) for p in cut(["،"] * 130, 60)] == [60, 60, 10]


def test_tags_are_reassembled_per_sentence() -> None:
    sents = [["a"] * 7, [], ["b"] * 3]
    seen: list[int] = []

    def tag_many(pieces: list[list[str]]) -> list[list[str]]:
        seen.extend(len(p) for p in pieces)
        return [[t.upper() for t in p] for p in pieces]

    assert tag_in_pieces(sents, 3, tag_many) == [["A"] * 7, [], ["B"] * 3]
    assert seen == [3, 3, 1, 0, 3]
