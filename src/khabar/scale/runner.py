"""Ordered map of :func:`khabar.pipeline.analyze_record` over a stream of articles.

Every backend yields one :class:`Outcome` per input item, in input order, so the
output of ``--workers 4`` or a Dask cluster is identical to a single process.

All backends share three pieces defined here:

* :func:`process_item` / :func:`process_batch`: the per-article function (the only
  code that runs on a worker);
* :func:`batches`: groups articles so that one task carries ~64k characters, which
  amortizes the pickling/IPC cost per task without letting one task grow unbounded;
* :func:`ordered_window`: a sliding window of at most ``window`` tasks in flight,
  consumed in submission order. Memory is bounded by ``window × batch size``
  whatever the corpus size, and the workers stay busy across task boundaries
  because the next tasks are already queued while the parent waits for the oldest.
"""
from __future__ import annotations

import hashlib
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from khabar.errors import ConfigError, KhabarError
from khabar.io.readers import Article, BadArticle, Item

Result = tuple[dict[str, Any] | None, str | None]
H = TypeVar("H")

# One task carries at most this many characters (or one article, if it is bigger) and
# at most BATCH_MAX_ITEMS articles. 64k characters is ~40 news articles: big enough that
# the per-task overhead (pickling, scheduling) is noise, small enough to keep latency
# and memory low.
BATCH_CHARS = 64_000
BATCH_MAX_ITEMS = 64
# Longest article analysed by default. The longest of SaudiNewsNet's 31,030 articles has
# 33,687 characters; an "article" 30 times longer is a dump or a concatenation, and one
# such item must not stall a corpus run for hours (some stages are not linear in the
# article length). Skipped with a message; ``--max-chars 0`` lifts the limit.
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(slots=True)
class Outcome:
    id: str
    result: dict[str, Any] | None
    error: str | None
    words: int = 0
    warning: str | None = None


def process_item(rec: dict[str, Any]) -> Result:
    """Analyse one record; never raises for a bad article (returns the reason instead)."""
    from khabar.pipeline import analyze_record

    try:
        return analyze_record(rec), None
    except KhabarError as e:
        return None, str(e)
    except RecursionError:
        return None, f"{rec.get('id')}: text too deeply nested to analyse"
    except Exception as e:  # noqa: BLE001 -- the per-article error policy (ARCHITECTURE.md):
        # a bug that one odd article triggers in some stage must not stop a corpus run of
        # 100k articles; the article is reported as skipped (exit status 1) with the place
        # of the failure so that it can be reported and fixed.
        frame = traceback.extract_tb(e.__traceback__)[-1]
        return None, (f"{rec.get('id')}: internal error {type(e).__name__}: {e} "
                      f"at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} (please report this article)")


def process_batch(recs: list[dict[str, Any]]) -> list[Result]:
    """The task that runs on a pool or Dask worker: one result per record, in order."""
    return [process_item(r) for r in recs]


def warm_up() -> str:
    """Build the pipeline and run it once, so that lazily loaded lexicons and models are
    loaded once per worker process, before the first real task. Returns the build
    fingerprint (the Dask runner checks that every worker runs the same code)."""
    fp = build_fingerprint()  # first, so that it describes the code this process loads
    process_item({"id": "warm-up", "text": "قال الرئيس: «نعم». الرياض 12 يناير 2015."})
    return fp


@lru_cache(maxsize=1)
def build_fingerprint() -> str:
    """``VERSION+HASH`` of the khabar package's code and data files.

    Why not just the version: a worker started before an upgrade (or before an edit
    in a development checkout) keeps running the old code, and its output would differ
    from a local run without any error. Cached, so a long-lived worker keeps reporting
    the build it loaded first.
    """
    import khabar

    h = hashlib.sha256()
    root = Path(khabar.__file__).parent
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return f"{khabar.__version__}+{h.hexdigest()[:12]}"


def batches(items: Iterable[Item], max_chars: int | None = None,
            max_items: int | None = None) -> Iterator[list[Item]]:
    # Module-level limits are read at call time so that tests (and tuners) can change them.
    max_chars = BATCH_CHARS if max_chars is None else max_chars
    max_items = BATCH_MAX_ITEMS if max_items is None else max_items
    batch: list[Item] = []
    size = 0
    for it in items:
        n = len(it.text) if isinstance(it, Article) else 0
        if batch and (size + n > max_chars or len(batch) >= max_items):
            yield batch
            batch, size = [], 0
        batch.append(it)
        size += n
    if batch:
        yield batch


@dataclass(slots=True)
class _Pending(Generic[H]):
    items: list[Item]
    handle: H | None  # None when the batch holds only bad articles (nothing to compute)


def ordered_window(items: Iterable[Item], submit: Callable[[list[dict[str, Any]]], H],
                   wait: Callable[[H], list[Result]], window: int) -> Iterator[Outcome]:
    """Submit batches as tasks, keep at most ``window`` in flight, yield in input order."""
    if window < 1:
        raise ConfigError(f"window must be at least 1, got {window}")
    pending: deque[_Pending[H]] = deque()
    for batch in batches(items):
        recs = [b.to_record() for b in batch if isinstance(b, Article)]
        pending.append(_Pending(batch, submit(recs) if recs else None))
        if len(pending) >= window:
            yield from _collect(pending.popleft(), wait)
    while pending:
        yield from _collect(pending.popleft(), wait)


def _collect(p: _Pending[H], wait: Callable[[H], list[Result]]) -> Iterator[Outcome]:
    results = iter(wait(p.handle)) if p.handle is not None else iter(())
    for it in p.items:
        if isinstance(it, BadArticle):
            yield Outcome(it.id, None, it.reason)
        else:
            res, err = next(results)
            yield _outcome(it, res, err)


def _outcome(it: Article, res: dict[str, Any] | None, err: str | None) -> Outcome:
    return Outcome(it.id, res, err, len(it.text.split()), it.warning)


def _local(items: Iterable[Item]) -> Iterator[Outcome]:
    for it in items:
        if isinstance(it, BadArticle):
            yield Outcome(it.id, None, it.reason)
        else:
            yield _outcome(it, *process_item(it.to_record()))


def check_options(workers: int = 1, scheduler: str | None = None) -> None:
    """Reject inconsistent options before any work starts (the CLI turns this into exit 2)."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ConfigError(f"--workers must be a whole number of at least 1, got {workers!r}",
                          "use --workers 1 for a single process")
    if scheduler is not None:
        if not scheduler.strip():
            raise ConfigError("--scheduler is empty", "give the scheduler address, e.g. tcp://10.0.0.5:8786")
        if workers > 1:
            raise ConfigError("--workers and --scheduler cannot be combined",
                              "with --scheduler the cluster's `dask worker` processes do the work; "
                              "drop --workers")
    from khabar.ner.tagger import model_paths

    # a bad KHABAR_NER is a setting of the whole run, not a fault of each article
    try:
        model_paths()
    except KhabarError as e:
        raise ConfigError(e.message, e.remedy) from None


def limit_length(items: Iterable[Item], max_chars: int) -> Iterator[Item]:
    """Turn articles longer than ``max_chars`` (0: no limit) into bad articles with the reason."""
    for it in items:
        if max_chars and isinstance(it, Article) and len(it.text) > max_chars:
            yield BadArticle(it.id, f"{it.id}: {len(it.text):,} characters, more than the limit of "
                                    f"{max_chars:,} for one article (split it into articles, "
                                    f"or raise the limit with --max-chars)")
        else:
            yield it


def run(items: Iterable[Item], workers: int = 1, scheduler: str | None = None,
        max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Outcome]:
    """One :class:`Outcome` per item, in input order, on the chosen backend.

    Options are checked now (raising :class:`ConfigError`); the work starts when the
    returned iterator is consumed.
    """
    check_options(workers, scheduler)
    if max_chars < 0:
        raise ConfigError(f"--max-chars must be 0 (no limit) or more, got {max_chars}")
    items = limit_length(items, max_chars)
    if scheduler:
        from khabar.scale.dask_runner import run_dask

        return run_dask(items, scheduler)
    if workers > 1:
        from khabar.scale.pool import run_pool

        return run_pool(items, workers)
    return _local(items)


__all__ = ["Outcome", "run", "process_item", "process_batch", "warm_up", "build_fingerprint", "check_options",
           "ordered_window", "batches", "limit_length", "DEFAULT_MAX_CHARS", "Article", "BadArticle"]
