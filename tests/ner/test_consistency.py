from khabar.ner.consistency import propagate, union


def test_union_keeps_first_and_adds_non_overlapping() -> None:
    a = [["B-PER", "I-PER", "O", "O", "O"]]
    b = [["O", "B-ORG", "O", "B-LOC", "O"]]
    assert union(a, b) == [["B-PER", "I-PER", "O", "B-LOC", "O"]]


def test_propagate_tags_repeats_within_the_window_only() -> None:
    sents = [["قال", "جوزيه", "إن"], ["ورفض", "جوزيه", "الحديث"], ["ثم", "غادر"], ["وعاد", "جوزيه"]]
    tags = [["O", "B-PER", "O"], ["O", "O", "O"], ["O", "O"], ["O", "O"]]
    out = propagate(sents, tags, window=1)
    assert out[1] == ["O", "B-PER", "O"]
    assert out[3] == ["O", "O"]  # three sentences away: outside the window
    assert propagate(sents, tags, window=3)[3] == ["O", "B-PER"]


def test_propagate_ignores_stop_words_and_short_keys() -> None:
    sents = [["في", "مصر"], ["في", "البيت"]]
    tags = [["B-LOC", "I-LOC"], ["O", "O"]]
    assert propagate(sents, tags)[1] == ["O", "O"]
