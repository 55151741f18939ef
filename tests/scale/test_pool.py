"""The local pool gives exactly the outcomes of one process, in input order, with a
bounded number of batches in flight."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import ConfigError
from khabar.io.readers import Article, BadArticle, Item, iter_articles
from khabar.scale import runner
from khabar.scale.pool import run_pool
from khabar.scale.runner import Outcome, batches, ordered_window, process_batch, run

MIXED = Path(__file__).resolve().parents[1] / "fixtures" / "scale" / "mixed.jsonl"


def _key(o: Outcome) -> tuple[Any, ...]:
    return (o.id, o.result, o.error, o.words, o.warning)


def _items() -> list[Item]:
    return list(iter_articles([str(MIXED)]))


def test_fixture_mixes_good_and_bad_articles() -> None:
    items = _items()
    assert sum(isinstance(i, BadArticle) for i in items) == 4  # broken JSON, empty, no text, not an object
    assert sum(isinstance(i, Article) for i in items) == 6


# The one-worker reference runs in a fresh process too: this checkout is edited by
# several people at once, and a reference computed with modules imported minutes ago
# could differ from what new worker processes import now. (tests/cli/test_extract.py
# compares `--workers 2` with the in-process run, both in fresh processes.)
def _reference(items: list[Item]) -> list[tuple[Any, ...]]:
    return [_key(o) for o in run_pool(items, workers=1)]


@pytest.mark.parametrize("workers", [2, 3])
def test_pool_output_identical_to_one_worker(workers: int) -> None:
    one = _reference(_items())
    many = [_key(o) for o in run(_items(), workers=workers)]
    assert many == one
    assert [k[0] for k in one] == [i.id for i in _items()]  # input order, bad ones included
    assert sum(k[1] is None for k in one) == 4


def test_pool_across_many_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny batches and a window of 2 force many window refills, the case where an
    # off-by-one would drop or reorder articles.
    monkeypatch.setattr(runner, "BATCH_CHARS", 1)
    items = _items() * 5
    one = _reference(items)
    pooled = [_key(o) for o in run_pool(items, workers=2, window=2)]
    assert pooled == one


def test_batches_bound_size_and_keep_order() -> None:
    items: list[Item] = [Article(str(i), "x" * n) for i, n in enumerate([10, 10, 100, 5, 0, 300, 1])]
    items.insert(3, BadArticle("bad", "reason"))
    out = list(batches(items, max_chars=100, max_items=3))
    assert [i for b in out for i in b] == items
    for b in out:
        assert len(b) <= 3
        chars = sum(len(i.text) for i in b if isinstance(i, Article))
        assert chars <= 100 or len(b) == 1  # an article bigger than the limit travels alone


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(0, 50), max_size=60), window=st.integers(1, 6),
       bad=st.sets(st.integers(0, 59)))
def test_ordered_window_is_ordered_and_bounded(sizes: list[int], window: int, bad: set[int]) -> None:
    items: list[Item] = [BadArticle(f"b{i}", "bad") if i in bad else Article(f"a{i}", "و" * n + " كلمة")
                         for i, n in enumerate(sizes)]
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def fake_batch(recs: list[dict[str, Any]]) -> list[runner.Result]:
        nonlocal in_flight
        with lock:
            in_flight -= 1
        return [({"id": r["id"], "n": len(r["text"])}, None) for r in recs]

    with ThreadPoolExecutor(3) as ex:
        def submit(recs: list[dict[str, Any]]) -> Future[list[runner.Result]]:
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            return ex.submit(fake_batch, recs)

        original = runner.BATCH_CHARS
        try:
            runner.BATCH_CHARS = 40
            outs = list(ordered_window(items, submit, lambda f: f.result(), window))
        finally:
            runner.BATCH_CHARS = original
    assert [o.id for o in outs] == [i.id for i in items]
    for o, i in zip(outs, items):
        if isinstance(i, BadArticle):
            assert o.result is None and o.error == "bad"
        else:
            assert o.result == {"id": i.id, "n": len(i.text)}
    assert peak <= window


def test_process_batch_reports_bad_records_without_raising() -> None:
    res = process_batch([{"id": "e", "text": "  "}, {"id": "n", "text": None}, {"id": "ok", "text": "قال الوزير."}])
    assert res[0][0] is None and "empty" in (res[0][1] or "")
    assert res[1][0] is None and "no text" in (res[1][1] or "")
    assert res[2][1] is None and res[2][0] is not None and res[2][0]["id"] == "ok"


def test_internal_error_in_a_stage_skips_only_that_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.pipeline as pipeline

    real = pipeline.analyze_record

    def flaky(rec: dict[str, Any]) -> dict[str, Any]:
        if rec["id"] == "boom":
            raise IndexError("list index out of range")
        return real(rec)

    monkeypatch.setattr(pipeline, "analyze_record", flaky)
    outs = list(run([Article("boom", "نص"), Article("fine", "قال الوزير.")]))
    assert outs[0].result is None and "IndexError" in (outs[0].error or "") and "please report" in (outs[0].error or "")
    assert outs[1].result is not None


@pytest.mark.parametrize("workers,scheduler", [(0, None), (-1, None), (2, "tcp://127.0.0.1:8786"), (1, " ")])
def test_bad_options_fail_before_any_work(workers: int, scheduler: str | None) -> None:
    def never() -> Iterator[Item]:
        raise AssertionError("items must not be read when the options are wrong")
        yield  # pragma: no cover

    with pytest.raises(ConfigError):
        run(never(), workers=workers, scheduler=scheduler)
