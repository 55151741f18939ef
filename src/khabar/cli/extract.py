"""``khabar extract``: articles in, one JSON analysis per line out (CONTRACT.md).

Everything streams: articles are read one at a time, analysed (in this process, a
local pool or a Dask cluster) and each analysis is written and flushed as soon as it
is ready, in input order. Memory does not grow with the corpus.

Exit status: 0 when every article was analysed, 1 when some were skipped (each one is
named on standard error with the reason), 2 for bad usage (bad option, unreachable
scheduler, unwritable output).
"""
from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from khabar.cli.common import run_options
from khabar.cli.progress import Progress
from khabar.errors import KhabarError
from khabar.scale.runner import DEFAULT_MAX_CHARS


@click.command("extract")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", "out", type=click.Path(allow_dash=True), default="-",
              help="Write JSON Lines here instead of standard output (a directory with --shard-size).")
@click.option("--shard-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Write OUT as a directory of JSONL shards of N analyses each "
                   "(part-00000.jsonl, part-00001.jsonl, ...), for very large corpora.")
@click.option("--max-chars", type=click.IntRange(min=0), default=DEFAULT_MAX_CHARS, show_default=True,
              metavar="N", help="Skip (with a message) articles longer than N characters; 0: no limit.")
@run_options
def extract(paths: tuple[str, ...], out: str, shard_size: int | None, max_chars: int, workers: int,
            scheduler: str | None, quiet: bool) -> None:
    """Analyse Arabic news articles.

    PATHS are .txt files (one article each, id = file name without extension),
    .jsonl or .jsonl.gz files (one {"id", "text", ...} object per line),
    directories (every .txt/.jsonl/.html inside, sorted), or - for standard input.

    Writes one JSON analysis per article, in input order. Bad articles are reported
    on standard error and skipped; exit status is 1 if any was skipped, 2 for bad usage.
    """
    from khabar.io.readers import count_articles, iter_articles
    from khabar.scale.runner import run
    from khabar.scale.sinks import open_sink

    try:
        outcomes = run(iter_articles(paths), workers=workers, scheduler=scheduler, max_chars=max_chars)
        sink = open_sink(out, shard_size)
    except KhabarError as e:
        _fail(e)
    skipped = 0
    try:
        # The total (for the ETA) is counted in the background, and only when the bar shows.
        with Progress(enabled=not quiet, total_fn=(lambda: count_articles(paths)) if paths else None) as prog:
            for oc in outcomes:
                if oc.warning:
                    prog.log(f"warning: {oc.warning}")
                if oc.result is None:
                    skipped += 1
                    prog.log(f"skipped {oc.id}: {oc.error}")
                else:
                    sink.write(oc.result)
                prog.advance(oc.words)
    except BrokenPipeError:  # `khabar extract ... | head`: the reader has all it wants
        # Point stdout at /dev/null so that the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KhabarError as e:  # the scheduler went away, a worker died, ...
        sink.close()
        _fail(e)
    sink.close()
    if not quiet:
        click.echo(prog.summary() + (f", {skipped} skipped" if skipped else ""), err=True)
    sys.exit(1 if skipped else 0)


def _fail(e: KhabarError) -> NoReturn:
    click.echo(f"error: {e}", err=True)
    sys.exit(2)
