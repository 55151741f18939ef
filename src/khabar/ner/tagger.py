"""The shipped NER tagger, loaded lazily once per process (no torch, no network).

Two models can be shipped in ``ner/models/``: the feature CRF ``ner.crfsuite`` (python-crfsuite)
and the BiLSTM-CRF ``ner.npz`` (numpy inference). The tagger runs every model present, keeps the
CRF's spans (the more precise model) plus the BiLSTM's spans that overlap none of them, then
makes labels consistent across nearby sentences (:mod:`khabar.ner.consistency`). Tags are IOB2
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

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        from khabar.ner.consistency import propagate, union

        # very long "sentences" (text without punctuation) are tagged in pieces and many sentences
        # in groups, so that memory stays bounded on a 10 MB article
        pieces: list[list[str]] = []
        owner: list[int] = []
        for i, s in enumerate(sentences):
            for k in range(0, max(len(s), 1), MAX_SENTENCE):
                pieces.append(s[k:k + MAX_SENTENCE])
                owner.append(i)
        tags: list[list[str]] = []
        for g in range(0, len(pieces), GROUP):
            group = pieces[g:g + GROUP]
            t = self.taggers[0].tag_many(group)
            for other in self.taggers[1:]:
                t = union(t, other.tag_many(group))
            tags.extend(t)
        out: list[list[str]] = [[] for _ in sentences]
        for i, t in zip(owner, tags):
            out[i].extend(t)
        return propagate(sentences, out, self.window) if self.window else out

    def tag(self, tokens: list[str]) -> list[str]:
        return self.tag_many([tokens])[0] if tokens else []


def models_dir() -> Path:
    return Path(str(resources.files("khabar.ner").joinpath("models")))


def model_paths() -> list[Path]:
    """The model files :func:`load_tagger` uses, CRF first (absent ones left out).

    ``KHABAR_NER=full`` adds the BiLSTM-CRF to the CRF: about +0.8 F1 points on ANERcorp
    for roughly half the speed; the default is the CRF alone (see the model card)."""
    d = models_dir()
    names = (CRF_FILE, NEURAL_FILE) if os.environ.get("KHABAR_NER", "crf").lower() == "full" else (CRF_FILE,)
    return [d / n for n in names if (d / n).exists()]


def model_path() -> Path:
    """The main model file (for messages): the CRF."""
    return models_dir() / CRF_FILE


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
