def test_a_full_type_cache_keeps_the_tags(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from khabar.ner import neural
    from khabar.ner.conll import read_conll
    from khabar.ner.tagger import NEURAL_FILE, models_dir

    fix = Path(__file__).resolve().parents[1] / "fixtures" / "ner_tiny.conll"
    sents = [t for t, _ in read_conll(fix)]
    articles = [sents[i:i + 3] for i in range(0, len(sents), 3)]
    full = neural.NeuralTagger(models_dir() / NEURAL_FILE)
    expected = [full.tag_many(a) for a in articles]
    # a cache smaller than the fixture's vocabulary: rows are evicted between articles
    vocab = len({w for s in sents for w in s})
    biggest = max(len({w for s in a for w in s}) for a in articles)
    monkeypatch.setattr(neural, "MAX_CACHED_TYPES", max(biggest, vocab // 3))
    small = neural.NeuralTagger(models_dir() / NEURAL_FILE)
    assert [small.tag_many(a) for a in articles] == expected
    assert len(small.type_cache) <= neural.MAX_CACHED_TYPES < vocab
    assert small.row_words == sorted(small.type_cache, key=small.type_cache.__getitem__)
