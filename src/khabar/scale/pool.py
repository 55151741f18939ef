"""Local process pool, ordered, bounded in memory."""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from itertools import islice

from khabar.io.readers import Article, BadArticle, Item
from khabar.scale.runner import Outcome, process_item


def _work(rec: dict) -> tuple:
    return process_item(rec)


def run_pool(items: Iterable[Item], workers: int, window: int = 256) -> Iterator[Outcome]:
    """Bounded window: at most ``window`` articles in flight, so memory stays flat."""
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    it = iter(items)
    with ctx.Pool(workers) as pool:
        while True:
            batch = list(islice(it, window))
            if not batch:
                return
            recs = [b.to_record() for b in batch if isinstance(b, Article)]
            results = iter(pool.imap(_work, recs, chunksize=4))
            for b in batch:
                if isinstance(b, BadArticle):
                    yield Outcome(b.id, None, b.reason)
                else:
                    res, err = next(results)
                    yield Outcome(b.id, res, err, len(b.text.split()), b.warning)
