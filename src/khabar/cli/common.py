"""Options shared by ``extract`` and ``ingest``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def run_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on standard error.")(f)
    f = click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                     help="Run on an existing Dask distributed cluster (same output as a local run).")(f)
    f = click.option("--workers", "-w", type=click.IntRange(1, 256), default=1, show_default=True,
                     help="Local worker processes; output order and content are identical to 1.")(f)
    return f
