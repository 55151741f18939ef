"""Ordered map of :func:`khabar.pipeline.analyze_record` over a stream of articles.

Every backend yields one :class:`Outcome` per input item, in input order, so the
output of ``--workers 4`` or a Dask cluster is identical to a single process.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from khabar.errors import KhabarError
from khabar.io.readers import Article, BadArticle, Item


@dataclass(slots=True)
class Outcome:
    id: str
    result: dict[str, Any] | None
    error: str | None
    words: int = 0
    warning: str | None = None


def process_item(rec: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """Analyse one record; never raises for a bad article (returns the reason instead)."""
    from khabar.pipeline import analyze_record

    try:
        return analyze_record(rec), None
    except KhabarError as e:
        return None, str(e)
    except RecursionError:
        return None, f"{rec.get('id')}: text too deeply nested to analyse"


def _local(items: Iterable[Item]) -> Iterator[Outcome]:
    for it in items:
        yield _run_one(it)


def _run_one(it: Item) -> Outcome:
    if isinstance(it, BadArticle):
        return Outcome(it.id, None, it.reason)
    res, err = process_item(it.to_record())
    return Outcome(it.id, res, err, len(it.text.split()), it.warning)


def run(items: Iterable[Item], workers: int = 1, scheduler: str | None = None) -> Iterator[Outcome]:
    if scheduler:
        from khabar.scale.dask_runner import run_dask

        yield from run_dask(items, scheduler)
    elif workers > 1:
        from khabar.scale.pool import run_pool

        yield from run_pool(items, workers)
    else:
        yield from _local(items)


__all__ = ["Outcome", "run", "process_item", "Article", "BadArticle"]
