"""A progress bar on standard error: articles/s, words/s, ETA when the total is known.

Silent when standard error is not a terminal or with ``--quiet``, so logs and CI
output stay clean.
"""
from __future__ import annotations

import sys
import time
from types import TracebackType


class Progress:
    def __init__(self, total: int | None, enabled: bool, label: str = "articles") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = total
        self.label = label
        self.done = 0
        self.words = 0
        self.t0 = time.perf_counter()
        self._bar = None
        self._task = None

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                       TextColumn, TimeElapsedColumn, TimeRemainingColumn)
            from rich.console import Console

            self._bar = RichProgress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total, rate="")
        return self

    def advance(self, words: int) -> None:
        self.done += 1
        self.words += words
        if self._bar is not None:
            dt = max(time.perf_counter() - self.t0, 1e-9)
            self._bar.update(self._task, advance=1,
                             rate=f"{self.done / dt:,.1f} art/s {self.words / dt:,.0f} words/s")

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(et, ev, tb)

    def summary(self) -> str:
        dt = max(time.perf_counter() - self.t0, 1e-9)
        return f"{self.done} {self.label}, {self.words:,} words in {dt:.1f}s ({self.words / dt:,.0f} words/s)"
