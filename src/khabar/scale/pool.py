"""Local process pool: ordered, bounded in memory, workers kept busy.

The parent reads and batches articles, keeps ``window`` batches in flight (a few per
worker, so that a worker finishing a batch always finds the next one queued), and
yields results in input order. Memory is bounded by ``window × BATCH_CHARS`` however
large the corpus.

Why :class:`concurrent.futures.ProcessPoolExecutor` rather than ``multiprocessing.Pool``:
when a worker dies (killed by the OOM killer, a crash in a C extension) the executor
raises ``BrokenProcessPool`` instead of hanging forever.

Why ``forkserver`` rather than ``fork``: the progress bar runs a thread in the parent
and forking a threaded process can deadlock; the fork server is started before any
work with the khabar modules preloaded, so workers start fast.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from khabar.errors import ConfigError
from khabar.io.readers import Item
from khabar.scale.runner import Outcome, Result, ordered_window, process_batch, warm_up

# Batches in flight per worker: 1 would leave a worker idle while the parent collects
# its result; 3 keeps every worker fed with little memory (3 × 64k characters each).
IN_FLIGHT_PER_WORKER = 3


def _context() -> mp.context.BaseContext:
    if sys.platform != "win32" and "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["khabar.scale.runner", "khabar.pipeline"])
        return ctx
    return mp.get_context("spawn")


def _wait(fut: Future[list[Result]]) -> list[Result]:
    try:
        return fut.result()
    except BrokenProcessPool:
        raise ConfigError("a worker process died (killed for lack of memory?)",
                          "retry with fewer --workers, or find the article that crashes it with --workers 1") from None


def run_pool(items: Iterable[Item], workers: int, window: int | None = None) -> Iterator[Outcome]:
    """Outcomes in input order from ``workers`` processes; same content as one process."""
    window = window or workers * IN_FLIGHT_PER_WORKER
    ex = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init)
    try:
        def submit(recs: list[dict[str, Any]]) -> Future[list[Result]]:
            return ex.submit(process_batch, recs)

        yield from ordered_window(items, submit, _wait, window)
    finally:
        # On early exit (`| head`, an error) drop the queued batches instead of finishing them.
        ex.shutdown(wait=True, cancel_futures=True)


# One BLAS/OpenMP thread per worker: N workers each starting one thread per core would
# oversubscribe the machine (the NER model uses numpy). Dask's nanny does the same for its
# workers. Set before numpy is imported (by warm_up); a user's explicit setting wins.
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init() -> None:
    for var in _ONE_THREAD:
        os.environ.setdefault(var, "1")
    # Load the pipeline (lexicons, NER model) once per worker, before the first task.
    warm_up()
