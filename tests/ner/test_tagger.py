from pathlib import Path

import pytest

from khabar.ner.conll import read_conll, score
from khabar.ner.tagger import load_tagger, model_path

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ner_tiny.conll"
_TAGS = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"}


@pytest.fixture(scope="module")
def tagger():  # type: ignore[no-untyped-def]
    t = load_tagger()
    if t is None:
        pytest.fail(f"the shipped NER model is missing at {model_path()}")
    return t


def test_loaded_once(tagger) -> None:  # type: ignore[no-untyped-def]
    assert load_tagger() is tagger


def test_tags_are_valid_and_aligned(tagger) -> None:  # type: ignore[no-untyped-def]
    sents = read_conll(FIX)
    pred = tagger.tag_many([t for t, _ in sents])
    assert [len(p) for p in pred] == [len(t) for t, _ in sents]
    assert {t for p in pred for t in p} <= _TAGS
    assert tagger.tag([]) == []
    assert pred[1] == tagger.tag(sents[1][0])  # batching does not change a sentence's tags


def test_shipped_model_finds_clear_entities(tagger) -> None:  # type: ignore[no-untyped-def]
    sents = read_conll(FIX)
    pred = tagger.tag_many([t for t, _ in sents])
    f1 = score([g for _, g in sents], pred).prf()[2]
    assert f1 >= 0.6, f1


def test_mode_picks_the_model_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.ner.tagger import CRF_FILE, NEURAL_FILE, model_paths

    monkeypatch.delenv("KHABAR_NER", raising=False)
    assert [p.name for p in model_paths()] == [NEURAL_FILE]
    monkeypatch.setenv("KHABAR_NER", "CRF")
    assert [p.name for p in model_paths()] == [CRF_FILE]
    monkeypatch.setenv("KHABAR_NER", "both")
    assert [p.name for p in model_paths()] == [NEURAL_FILE, CRF_FILE]


def test_unknown_mode_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.errors import ModelError
    from khabar.ner.tagger import model_paths

    monkeypatch.setenv("KHABAR_NER", "bert")
    with pytest.raises(ModelError, match="KHABAR_NER"):
        model_paths()


def test_long_sentence_gets_one_tag_per_token(tagger) -> None:  # type: ignore[no-untyped-def]
    words = ["قال", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "في", "باريس", "،", "إن", "فرنسا", "ستدعم", "ليبيا", "."]
    sent = words * 12
    tags = tagger.tag(sent)
    assert len(tags) == len(sent) > 120
    assert tags[sent.index("باريس")].endswith("LOC")
