"""Ordered stages over one Document, and a per-article runner with an error policy.

Each stage declares the layers it ``requires`` and ``assigns``; :class:`Pipeline`
checks the order when it is built (like spaCy's factories), not deep inside a run.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from khabar.document import Document
from khabar.errors import ConfigError, InputError


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[[Document], None]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


def _segment(doc: Document) -> None:
    from khabar.text.segment import paragraphs, sentences

    doc.paragraphs = paragraphs(doc.text)
    doc.sentences = sentences(doc.text, doc.paragraphs)


def _tokenize(doc: Document) -> None:
    from khabar.text.normalize import make_view
    from khabar.text.tokenize import tokenize

    doc.tokens = tokenize(doc.text)
    doc.cache["view"] = make_view(doc.text)


def _figures(doc: Document) -> None:
    from khabar.extract.figures import extract_figures

    doc.figures = extract_figures(doc)


def _dates(doc: Document) -> None:
    from khabar.extract.dates import extract_dates

    doc.dates = extract_dates(doc)


def _entities(doc: Document) -> None:
    from khabar.extract.entities import extract_entities

    doc.entities = extract_entities(doc)


def _quotes(doc: Document) -> None:
    from khabar.extract.quotes import extract_quotes

    doc.quotes = extract_quotes(doc)


STAGES: dict[str, Stage] = {s.name: s for s in (
    Stage("segment", _segment, (), ("paragraphs", "sentences")),
    Stage("tokenize", _tokenize, (), ("tokens", "view")),
    Stage("figures", _figures, ("tokens", "view"), ("figures",)),
    Stage("dates", _dates, ("tokens", "view"), ("dates",)),
    Stage("entities", _entities, ("sentences", "tokens", "view"), ("entities",)),
    Stage("quotes", _quotes, ("paragraphs", "sentences", "tokens", "entities"), ("quotes",)),
)}
DEFAULT_STAGES = ("segment", "tokenize", "figures", "dates", "entities", "quotes")


class Pipeline:
    def __init__(self, names: tuple[str, ...] = DEFAULT_STAGES) -> None:
        have: set[str] = set()
        stages: list[Stage] = []
        for n in names:
            if n not in STAGES:
                raise ConfigError(f"unknown pipeline stage {n!r}", f"choose from {', '.join(STAGES)}")
            st = STAGES[n]
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise ConfigError(f"stage {n!r} needs {', '.join(missing)} from an earlier stage",
                                  "reorder the stages")
            have.update(st.assigns)
            stages.append(st)
        self.stages = tuple(stages)

    def analyze(self, text: str, doc_id: str = "doc", **meta: Any) -> Document:
        if not isinstance(text, str):
            raise InputError(f"{doc_id}: text must be a string, got {type(text).__name__}")
        doc = Document(id=str(doc_id), text=text, meta={k: v for k, v in meta.items() if v is not None})
        for st in self.stages:
            st.func(doc)
        doc.cache.clear()
        return doc


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def analyze_record(rec: dict[str, Any]) -> dict[str, Any]:
    """The per-article function shared by the CLI, the process pool and Dask.

    Takes ``{"id", "text", ...meta}`` and returns the analysis dict. Raises
    :class:`InputError` for an article that cannot be analysed (empty text).
    """
    text = rec.get("text")
    doc_id = str(rec.get("id"))
    if not isinstance(text, str):
        raise InputError(f"{doc_id}: no text")
    if not text.strip():
        raise InputError(f"{doc_id}: empty text")
    meta = {k: rec.get(k) for k in ("title", "date", "url", "source")}
    return default_pipeline().analyze(text, doc_id, **meta).to_dict()
