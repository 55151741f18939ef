"""The shipped NER tagger, loaded lazily once per process (no torch, no network)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol


class Tagger(Protocol):
    def tag(self, tokens: list[str]) -> list[str]: ...


MODEL_FILE = "ner.crfsuite"


def model_path() -> Path:
    return Path(str(resources.files("khabar.ner").joinpath("models", MODEL_FILE)))


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    """The CRF tagger, or None when no model file is installed (the pattern layer still works)."""
    p = model_path()
    if not p.exists():
        return None
    from khabar.ner.crf import CrfTagger

    return CrfTagger(p)
