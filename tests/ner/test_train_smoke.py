"""Training smoke runs on a tiny slice: seconds, not minutes."""
from pathlib import Path

import pytest

from khabar.ner.conll import read_conll
from khabar.ner.train import Params, train_crf

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ner_tiny.conll"


def test_crf_training_smoke(tmp_path: Path) -> None:
    from khabar.ner.crf import CrfTagger

    sents = read_conll(FIX)
    model = train_crf(sents, tmp_path / "tiny.crfsuite", Params(max_iterations=30), log=lambda m: None)
    tagger = CrfTagger(model)
    # it memorises its training sentences
    assert tagger.tag(sents[0][0]) == sents[0][1]


def test_neural_training_smoke(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="torch is only in the optional `train` extra")
    np = pytest.importorskip("numpy")
    from khabar.ner.neural import NeuralTagger
    from khabar.ner.train_neural import NParams, train

    words = ["خليفة", "حفتر", "موسكو", "باريس", "ميركل"]
    vec = tmp_path / "vec.npz"
    np.savez(vec, vectors=np.eye(len(words), 8, dtype=np.float16),
             vocab=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8))
    sents = read_conll(FIX)
    logged: list[str] = []
    out = train(sents[2:], vec, tmp_path / "tiny.npz",
                NParams(hidden=8, word_dim=8, char_dim=4, char_out=8, clus_dims=(2, 2, 2), epochs=3, threads=1,
                        pretrain_epochs=1, average_last=2),
                log=logged.append, pretrain_set=sents[:2])
    tags = NeuralTagger(out).tag_many([t for t, _ in sents])
    assert [len(t) for t in tags] == [len(t) for t, _ in sents]
    assert [m.split(" loss")[0] for m in logged[:4]] == ["pretrain epoch 1/1", "epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert logged[-1] == "mean of the last 2 epochs"


def test_neural_training_with_language_model_stage(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="torch is only in the optional `train` extra")
    np = pytest.importorskip("numpy")
    from khabar.ner.neural import NeuralTagger
    from khabar.ner.train_neural import NParams, train

    vec = tmp_path / "vec.npz"
    np.savez(vec, vectors=np.eye(2, 8, dtype=np.float16), vocab=np.frombuffer("حفتر\nموسكو".encode(), dtype=np.uint8))
    sents = read_conll(FIX)
    news = [["قال", "خليفة", "حفتر", "في", "موسكو", "."], ["وأضاف", "حفتر", "إن", "باريس", "تدعم", "."]] * 3
    logged: list[str] = []
    out = train(sents, vec, tmp_path / "lm.npz",
                NParams(hidden=8, word_dim=8, char_dim=4, char_out=8, clus_dims=(2, 2, 2), epochs=1, threads=1,
                        pretrain_epochs=0, average_last=0, lm_epochs=2, lm_vocab=5, lm_batch=2),
                log=logged.append, lm_set=news)
    assert logged[0].startswith("language model: 6 pieces, 36 tokens, 6 targets")
    assert [m.split(" loss")[0] for m in logged[1:3]] == ["language model epoch 1/2", "language model epoch 2/2"]
    assert [len(t) for t in NeuralTagger(out).tag_many([t for t, _ in sents])] == [len(t) for t, _ in sents]


def test_news_sentences_split_punctuation_and_stop_at_the_budget(tmp_path: Path) -> None:
    import gzip
    import json

    from khabar.ner.train_neural import news_sentences

    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for i in range(20):
            fh.write(json.dumps({"text": f"قال الرئيس:«نعم»، اليوم {i}. وأضاف الوزير إن باريس اتفقت!\nسطر ثان هنا"}) + "\n")
    sents = news_sentences(corpus, max_tokens=10**6)
    assert len(sents) == 60
    assert sents[0][:8] == ["قال", "الرئيس", ":", "«", "نعم", "»", "،", "اليوم"]
    assert all(s[-1] in ".!" or s == ["سطر", "ثان", "هنا"] for s in sents)
    assert len(news_sentences(corpus, max_tokens=5)) == 3  # the first article read, whole


def test_word_vectors_smoke(tmp_path: Path) -> None:
    pytest.importorskip("gensim", reason="gensim is only in the optional `train` extra")
    import gzip
    import json

    import numpy as np

    from khabar.ner import vectors

    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for i in range(30):
            fh.write(json.dumps({"text": f"قال الرئيس إن موسكو وباريس اتفقتا {i}\nوأضاف الوزير"}) + "\n")
    out = vectors.build(corpus, tmp_path / "v.npz", limit=100, epochs=1)
    z = np.load(out)
    words = bytes(z["vocab"]).decode("utf-8").split("\n")
    assert "موسكو" in words and z["vectors"].shape == (len(words), vectors.DIM)
    assert np.allclose(np.linalg.norm(z["vectors"].astype(np.float32), axis=1), 1.0, atol=1e-2)


def test_train_cli_refuses_missing_shared(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from khabar.cli.ner import ner_train

    res = CliRunner().invoke(ner_train, ["--shared", str(tmp_path)])
    assert res.exit_code != 0 and "not found" in res.output
