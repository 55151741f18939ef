"""CRF tagger (python-crfsuite) over :mod:`khabar.ner.features`; inference needs no numpy/torch."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from khabar.errors import ModelError
from khabar.ner.features import FeatureCache, lexicons, sentence_features

# ANERcorp spells the person type PERS; khabar's Entity.type is PER.
TYPE_MAP = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


@lru_cache(maxsize=64)
def map_tag(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    bio, typ = tag.split("-", 1)
    return f"{bio}-{TYPE_MAP.get(typ, typ)}"


class CrfTagger:
    """Tags one sentence (a list of surface tokens) with IOB2 tags PER/LOC/ORG/MISC."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        try:
            self.tagger.open(str(path))
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot open the NER model {path}: {e}",
                             "rebuild it with `khabar ner-train` or reinstall khabar") from None
        self.cache = FeatureCache(lexicons())

    def tag(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        return [map_tag(t) for t in self.tagger.tag(sentence_features(tokens, self.cache))]

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        return [self.tag(s) for s in sentences]
