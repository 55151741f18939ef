"""The shipped NER tagger, loaded lazily once per process (no torch, no network).

Two models are shipped in ``ner/models/``: the BiLSTM-CRF ``ner.npz`` (numpy inference, the
default) and the feature CRF ``ner.crfsuite`` (python-crfsuite). ``KHABAR_NER`` chooses which
run (:func:`model_paths`); with both, the first model's spans win and the second adds the spans
that overlap none of them. Labels are then made consistent across nearby sentences
(:mod:`khabar.ner.consistency`). Tags are IOB2
over PER/LOC/ORG/MISC.
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

CRF_FILE = "ner.crfsuite"
MAX_SENTENCE = 250  # tokens tagged at once; longer runs are cut
GROUP = 500  # sentences per model call
NEURAL_FILE = "ner.npz"


class Tagger(Protocol):
    def tag(self, tokens: list[str]) -> list[str]: ...

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]: ...


class CombinedTagger:
    def __init__(self, taggers: list[Tagger], window: int) -> None:
        self.taggers = taggers
        self.window = window
        # word frequency ranks for :func:`split_conjoined`: the BiLSTM's word-vector vocabulary
        # is sorted by corpus frequency (the CRF has none, and then nothing is split)
        self.rank = next((t.vocab.pre for t in taggers if hasattr(t, "vocab")), None)

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        from khabar.ner.pieces import tag_in_pieces

        # very long "sentences" (text without punctuation) are tagged in pieces and many sentences
        # in groups, so that memory stays bounded on a 10 MB article
        out = tag_in_pieces(sentences, MAX_SENTENCE, self._tag_groups)
        if not self.window:  # the models' own tags (``ner-eval --components``)
            return out
        return self.postprocess(sentences, out)

    def postprocess(self, sentences: list[list[str]], tags: list[list[str]]) -> list[list[str]]:
        """The models' tags split where one person span holds two people, then made consistent
        across ``window`` sentences (:mod:`khabar.ner.consistency`)."""
        from khabar.ner.consistency import propagate, split_conjoined

        if self.rank is not None:
            tags = split_conjoined(sentences, tags, self.rank)
        return propagate(sentences, tags, self.window)

    def _tag_groups(self, pieces: list[list[str]]) -> list[list[str]]:
        from khabar.ner.consistency import union

        tags: list[list[str]] = []
        for g in range(0, len(pieces), GROUP):
            group = pieces[g:g + GROUP]
            t = self.taggers[0].tag_many(group)
            for other in self.taggers[1:]:
                t = union(t, other.tag_many(group))
            tags.extend(t)
        return tags

    def tag(self, tokens: list[str]) -> list[str]:
        return self.tag_many([tokens])[0] if tokens else []


def models_dir() -> Path:
    return Path(str(resources.files("khabar.ner").joinpath("models")))


MODES = {"nn": (NEURAL_FILE,), "crf": (CRF_FILE,), "both": (NEURAL_FILE, CRF_FILE)}


def model_paths() -> list[Path]:
    """The model files :func:`load_tagger` uses, the one whose spans win first (absent ones
    left out; with no BiLSTM file the CRF stands in).

    ``KHABAR_NER`` picks them: ``nn`` (default) the BiLSTM-CRF, ``crf`` the feature CRF,
    ``both`` the BiLSTM-CRF's spans plus the CRF's that overlap none (see the model card)."""
    d = models_dir()
    mode = os.environ.get("KHABAR_NER", "nn").strip().lower() or "nn"
    if mode not in MODES:
        from khabar.errors import ModelError

        raise ModelError(f"unknown KHABAR_NER value {mode!r}", "use one of: " + ", ".join(MODES))
    paths = [d / n for n in MODES[mode] if (d / n).exists()]
    if not paths and mode == "nn":
        paths = [d / CRF_FILE] if (d / CRF_FILE).exists() else []
    return paths


def model_path() -> Path:
    """The main model file (for messages)."""
    paths = model_paths()
    return paths[0] if paths else models_dir() / NEURAL_FILE


def open_model(p: Path) -> Tagger:
    if p.suffix == ".npz":
        from khabar.ner.neural import NeuralTagger

        return NeuralTagger(p)
    from khabar.ner.crf import CrfTagger

    return CrfTagger(p)


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    """The shipped tagger, or None when no model file is installed (the pattern layer still works)."""
    from khabar.ner.consistency import WINDOW

    paths = model_paths()
    if not paths:
        return None
    return CombinedTagger([open_model(p) for p in paths], WINDOW)
