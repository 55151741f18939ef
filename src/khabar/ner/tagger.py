"""The shipped NER tagger, loaded lazily once per process (no torch, no network).

Two model kinds can be shipped in ``ner/models/``: the BiLSTM-CRF ``ner.npz`` (numpy inference,
preferred when present) and the feature CRF ``ner.crfsuite`` (python-crfsuite). Both tag a
sentence of surface tokens with IOB2 tags over PER/LOC/ORG/MISC.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol


class Tagger(Protocol):
    def tag(self, tokens: list[str]) -> list[str]: ...

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]: ...


NEURAL_FILE = "ner.npz"
CRF_FILE = "ner.crfsuite"


def models_dir() -> Path:
    return Path(str(resources.files("khabar.ner").joinpath("models")))


def model_path() -> Path:
    """The model file that :func:`load_tagger` uses (it may be missing)."""
    d = models_dir()
    return d / NEURAL_FILE if (d / NEURAL_FILE).exists() else d / CRF_FILE


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    """The shipped tagger, or None when no model file is installed (the pattern layer still works)."""
    p = model_path()
    if not p.exists():
        return None
    if p.suffix == ".npz":
        from khabar.ner.neural import NeuralTagger

        return NeuralTagger(p)
    from khabar.ner.crf import CrfTagger

    return CrfTagger(p)
