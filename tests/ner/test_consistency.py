from khabar.ner.consistency import propagate, split_conjoined, twice_as_frequent, union


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


def test_propagate_tags_a_surname_after_the_full_name() -> None:
    sents = [["قال", "توفيق", "الحكيم", "إن"], ["ويرى", "الحكيم", "ان"], ["وقال", "توفيق", "إن"]]
    tags = [["O", "B-PER", "I-PER", "O"], ["O", "O", "O"], ["O", "O", "O"]]
    out = propagate(sents, tags)
    assert out[1] == ["O", "B-PER", "O"]
    assert out[2] == ["O", "O", "O"]  # the first name alone is not taken


def test_propagate_looks_behind_a_preposition_the_stems_keep() -> None:
    sents = [["زار", "لبنان", "."], ["اهتمامه", "بلبنان", "و", "ببيروت"]]
    tags = [["O", "B-LOC", "O"], ["O", "O", "O", "O"]]
    assert propagate(sents, tags)[1] == ["O", "B-LOC", "O", "O"]


def test_split_conjoined_separates_two_people_when_the_bare_name_is_more_frequent() -> None:
    rank = {"بلير": 10, "وبلير": 900, "كيري": 40, "وكيري": 60, "وهبي": 30, "ولد": 5}
    sents = [["وقال", "بوش", "وبلير", "ان"], ["زاهي", "وهبي"], ["محمد", "ولد", "عبد", "العزيز"],
             ["شكري", "وكيري"]]
    tags = [["O", "B-PER", "I-PER", "O"], ["B-PER", "I-PER"], ["B-PER", "I-PER", "I-PER", "I-PER"],
            ["B-PER", "I-PER"]]
    out = split_conjoined(sents, tags, rank)
    assert out[0] == ["O", "B-PER", "B-PER", "O"]
    assert out[1] == tags[1]  # «هبي» is no known word: «وهبي» is a name
    assert out[2] == tags[2]
    assert out[3] == tags[3]  # «كيري» is not twice as frequent as «وكيري»


def test_twice_as_frequent_needs_a_known_word_and_half_the_rank() -> None:
    rank = {"بلير": 10, "وبلير": 25, "وهبي": 40, "هبي": 60}
    assert twice_as_frequent("بلير", "وبلير", rank)
    assert not twice_as_frequent("وهبي", "هبي", rank)  # 40 is not half of 60
    assert twice_as_frequent("وهبي", "مجهول", rank)  # an unknown word is rarer than any
    assert not twice_as_frequent("مجهول", "بلير", rank)
