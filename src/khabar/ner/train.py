"""Rebuild the shipped NER files from ``../shared/data`` (``khabar ner-train``).

Steps, each reproducible (fixed seeds, sorted outputs):

1. gazetteers ``resources/gaz_*.txt`` from ``data/gazetteers`` and ``resources/gaz_wiki.tsv`` from
   the WikiANN train/dev/extra splits (:mod:`khabar.ner.gazetteers`);
2. word clusters ``resources/ner_clusters.tsv`` from the SaudiNewsNet corpus (:mod:`khabar.ner.clusters`);
3. a CRF (python-crfsuite, L-BFGS with elastic-net regularisation) on the ANERcorp CAMeL train
   split (all of it for the shipped model; ``--dev`` holds out the last ``DEV_FRACTION`` of its
   sentences, in corpus order so that articles are not split at random, to report a dev score);
4. with torch and gensim installed (``pip install -e .[train]``): word vectors from SaudiNewsNet
   (:mod:`khabar.ner.vectors`), then the BiLSTM-CRF of :mod:`khabar.ner.neural`: its encoder
   first as a language model over SaudiNewsNet sentences, then tagging the out-of-domain
   ``PRETRAIN`` sentences, then the same ANERcorp sentences as the CRF; exported to ``ner.npz``
   (the default model of :func:`khabar.ner.tagger.load_tagger`);
5. the article layer's common-word list ``resources/common_words.txt``: the words of a
   SaudiNewsNet sample that the model just trained almost never tags as a name
   (:mod:`khabar.ner.common_words`; not with ``--dev``).

The test files are never read here.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from khabar.ner.conll import Sentence, read_conll, score

DEV_FRACTION = 0.1
ANER_TRAIN = Path("ner/anercorp/ANERCorp_CamelLab_train.rebuilt.txt")
EXTRA = {"aqmar": Path("ner/aqmar/aqmar_all_merged.conll"), "wikiann": Path("ner/wikiann_ar/train"),
         "wojood": Path("ner/wojood_sample/train.txt")}
# Out-of-domain sentences the BiLSTM-CRF sees first (``NParams.pretrain_epochs``) before ANERcorp:
# WikiANN silver PER/LOC/ORG (train and dev splits, never test) and AQMAR (Wikipedia, MISC).
PRETRAIN = (Path("ner/wikiann_ar/train"), Path("ner/wikiann_ar/dev"), Path("ner/aqmar/aqmar_all_merged.conll"))


@dataclass
class Params:
    c1: float = 0.05
    c2: float = 0.05
    max_iterations: int = 200
    min_freq: int = 1
    extra_limit: int | None = None
    extra: tuple[str, ...] = field(default_factory=tuple)


def package_dirs() -> tuple[Path, Path]:
    """(resources dir, models dir) of the installed (editable) package."""
    import khabar.ner
    import khabar.resources

    return Path(khabar.resources.__file__).parent, Path(khabar.ner.__file__).parent / "models"


def split_dev(sents: list[Sentence], fraction: float = DEV_FRACTION) -> tuple[list[Sentence], list[Sentence]]:
    cut = int(len(sents) * (1 - fraction))
    return sents[:cut], sents[cut:]


def train_crf(train: list[Sentence], model_path: Path, params: Params,
              log: Callable[[str], None] = print) -> Path:
    import pycrfsuite

    from khabar.ner.features import FeatureCache, lexicons, sentence_features

    cache = FeatureCache(lexicons())
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in train:
        trainer.append(sentence_features(toks, cache), tags)
    trainer.set_params({"c1": params.c1, "c2": params.c2, "max_iterations": params.max_iterations,
                        "feature.possible_transitions": True, "feature.minfreq": params.min_freq})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    trainer.train(str(model_path))
    log(f"trained CRF on {len(train)} sentences in {time.time() - t0:.0f}s -> {model_path}")
    return model_path


def evaluate(model_path: Path, sents: list[Sentence]) -> str:
    tagger: Any
    if model_path.suffix == ".npz":
        from khabar.ner.neural import NeuralTagger

        tagger = NeuralTagger(model_path)
    else:
        from khabar.ner.crf import CrfTagger

        tagger = CrfTagger(model_path)
    pred = tagger.tag_many([t for t, _ in sents])
    gold = [[_map(t) for t in tags] for _, tags in sents]
    return score(gold, pred).report()


def _map(tag: str) -> str:
    from khabar.ner.crf import map_tag

    return map_tag(tag)


def load_training(shared: Path, params: Params, dev: bool) -> tuple[list[Sentence], list[Sentence]]:
    aner = read_conll(shared / "data" / ANER_TRAIN)
    train, held = split_dev(aner) if dev else (aner, [])
    for name in params.extra:
        train = train + read_conll(shared / "data" / EXTRA[name], params.extra_limit)
    return train, held


def neural_stage_sets(shared: Path, nparams: Any, limit: int | None = None
                      ) -> tuple[list[Sentence], list[list[str]] | None]:
    """The BiLSTM-CRF's sentences before ANERcorp: the out-of-domain ``PRETRAIN`` sentences
    (when ``nparams.pretrain_epochs``) and the unlabelled SaudiNewsNet sentences of its
    language-model stage (when ``nparams.lm_epochs``). ``limit`` (smoke tests) keeps few."""
    pre: list[Sentence] = []
    if nparams.pretrain_epochs:
        for rel in PRETRAIN:
            pre += read_conll(shared / "data" / rel, limit)
    news = None
    if nparams.lm_epochs:
        from khabar.ner.train_neural import news_sentences

        corpus = shared / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
        news = news_sentences(corpus, nparams.lm_tokens if limit is None else 2000)
    return pre, news


def run(shared: Path, *, dev: bool = False, params: Params | None = None, rebuild_lexicons: bool = True,
        neural: bool = False, nparams: Any = None,
        res_dir: Path | None = None, model_dir: Path | None = None, train_limit: int | None = None,
        log: Callable[[str], None] = print) -> Path:
    """The whole rebuild; returns the model path. ``train_limit`` (smoke tests) trains on the
    first sentences only."""
    from khabar.ner import clusters, gazetteers
    from khabar.ner.features import lexicons
    from khabar.resources import load_columns, load_lines, read_text

    params = params or Params()
    pkg_res, pkg_models = package_dirs()
    res_dir = res_dir or pkg_res
    model_dir = model_dir or pkg_models
    # the word vectors are an intermediate: embedded in ner.npz, never shipped on their own
    work = Path(tempfile.gettempdir()) / "khabar-ner-train"
    work.mkdir(parents=True, exist_ok=True)
    if dev and model_dir == pkg_models:
        model_dir = work  # dev-split models are for reporting, never shipped
    vectors = work / "vectors.npz"
    if rebuild_lexicons or (neural and not vectors.exists()):
        gazetteers.build(shared / "data" / "gazetteers", res_dir)
        gazetteers.build_wiki(shared / "data" / "ner" / "wikiann_ar", res_dir)
        log("gazetteers written")
        corpus = shared / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
        clusters.build(corpus, res_dir / "ner_clusters.tsv", limit=None if train_limit is None else 200)
        log("word clusters written")
        if neural:
            from khabar.ner import vectors as word_vectors

            word_vectors.build(corpus, vectors, limit=None if train_limit is None else 200)
            log("word vectors written")
        for f in (read_text, load_lines, load_columns, lexicons):
            f.cache_clear()
    train, held = load_training(shared, params, dev)
    if train_limit is not None:
        train = train[:train_limit]
    model = train_crf(train, model_dir / ("ner-dev.crfsuite" if dev else "ner.crfsuite"), params, log)
    if held:
        log("CRF, dev split (last 10% of ANERcorp train):\n" + evaluate(model, held))
    if neural:
        from khabar.ner.train_neural import NParams
        from khabar.ner.train_neural import train as train_neural

        nparams = nparams or NParams()
        mapped = [(t, [_map(x) for x in g]) for t, g in train]
        pre, news = neural_stage_sets(shared, nparams, train_limit)
        model = train_neural(mapped, vectors, model_dir / ("ner-dev.npz" if dev else "ner.npz"),
                             nparams, dev_set=[(t, [_map(x) for x in g]) for t, g in held] or None,
                             log=log, pretrain_set=pre or None, lm_set=news)
        if held:
            log("BiLSTM-CRF, dev split:\n" + evaluate(model, held))
    if not dev:
        _common_words(shared, model, res_dir, train_limit, log)
    return model


def _common_words(shared: Path, model: Path, res_dir: Path, train_limit: int | None,
                  log: Callable[[str], None]) -> None:
    """The article layer's common-word list, from the model just trained (see
    :mod:`khabar.ner.common_words`): the BiLSTM-CRF, or the CRF with ``--crf-only``."""
    from khabar.ner import common_words
    from khabar.ner.consistency import WINDOW
    from khabar.ner.tagger import CombinedTagger, open_model

    corpus = shared / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
    tagger = CombinedTagger([open_model(model)], WINDOW)
    common_words.build(corpus, tagger, res_dir / common_words.FILE,
                       common_words.SAMPLE_TOKENS if train_limit is None else 2000, log)
