"""A progress bar on standard error: articles/s, words/s, ETA when the total is known.

Silent when standard error is not a terminal or with ``--quiet``, so logs, pipes and
CI output stay clean; standard output (the analyses) is never touched.

The total is counted in a background thread (``total_fn``), so that a large gzipped
corpus starts processing at once and the ETA appears when the count is ready; the
count is never run when the bar is not shown.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import click

# Redraw at most this often: updating rich on every article costs more than a fast
# pipeline spends on a short article.
_UPDATE_EVERY_S = 0.1


class Progress:
    def __init__(self, total: int | None = None, enabled: bool = True, label: str = "articles",
                 total_fn: Callable[[], int | None] | None = None) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = total
        self.label = label
        self.done = 0
        self.words = 0
        self.t0 = time.perf_counter()
        self._total_fn = total_fn
        self._bar: Any = None
        self._task: Any = None
        self._shown_done = 0
        self._next_update = 0.0

    def __enter__(self) -> "Progress":
        self.t0 = time.perf_counter()
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            _RateColumn(), TimeElapsedColumn(), _EtaColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task(self.label, total=self.total, words=0)
        if self.total is None and self._total_fn is not None:
            threading.Thread(target=self._count, name="khabar-count", daemon=True).start()
        return self

    def _count(self) -> None:
        try:
            total = self._total_fn() if self._total_fn else None
        except OSError:
            return  # the reader reports unreadable paths itself; the bar just has no total
        if total is not None and self._bar is not None:
            self.total = total
            self._bar.update(self._task, total=total)

    def advance(self, words: int) -> None:
        self.done += 1
        self.words += words
        if self._bar is None:
            return
        now = time.perf_counter()
        if now >= self._next_update:
            self._next_update = now + _UPDATE_EVERY_S
            self._flush()

    def _flush(self) -> None:
        self._bar.update(self._task, advance=self.done - self._shown_done, words=self.words)
        self._shown_done = self.done

    def log(self, message: str) -> None:
        """A line on standard error that does not tear the bar."""
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(message, err=True)

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._flush()
            self._bar.__exit__(et, ev, tb)
            self._bar = None

    def summary(self) -> str:
        dt = max(time.perf_counter() - self.t0, 1e-9)
        return (f"{self.done:,} {self.label}, {self.words:,} words in {dt:.1f}s "
                f"({self.done / dt:,.1f} {self.label}/s, {self.words / dt:,.0f} words/s)")


def _columns() -> tuple[type, type]:
    from rich.progress import ProgressColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            dt = task.elapsed or 0.0
            if dt <= 0:
                return Text("")
            return Text(f"{task.completed / dt:,.1f} art/s {task.fields.get('words', 0) / dt:,.0f} words/s")

    class EtaColumn(TimeRemainingColumn):
        def render(self, task: Any) -> Text:
            if task.total is None:
                return Text("")  # no total (standard input, a feed): no ETA rather than a fake one
            return Text("ETA ") + super().render(task)

    return RateColumn, EtaColumn


def _RateColumn() -> Any:  # noqa: N802 -- column factories; rich is imported only when a bar is shown
    return _columns()[0]()


def _EtaColumn() -> Any:  # noqa: N802
    return _columns()[1]()
