"""``khabar extract``: articles in, one JSON analysis per line out (CONTRACT.md)."""
from __future__ import annotations

import json
import sys
from typing import IO

import click

from khabar.cli.common import run_options
from khabar.cli.progress import Progress


@click.command("extract")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", help="Write JSON Lines here instead of standard output.")
@run_options
def extract(paths: tuple[str, ...], out: str, workers: int, scheduler: str | None, quiet: bool) -> None:
    """Analyse Arabic news articles.

    PATHS are .txt files (one article each, id = file name without extension),
    .jsonl or .jsonl.gz files (one {"id", "text", ...} object per line),
    directories (every .txt/.jsonl/.html inside, sorted), or - for standard input.

    Writes one JSON analysis per article, in input order. Bad articles are reported
    on standard error and skipped; exit status is 1 if any was skipped.
    """
    from khabar.io.readers import count_articles, iter_articles
    from khabar.scale.runner import run

    total = count_articles(paths) if paths and not quiet else None
    fh: IO[str] = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")
    skipped = 0
    try:
        with Progress(total, enabled=not quiet) as prog:
            for oc in run(iter_articles(paths), workers=workers, scheduler=scheduler):
                if oc.warning and not quiet:
                    click.echo(f"warning: {oc.warning}", err=True)
                if oc.result is None:
                    skipped += 1
                    click.echo(f"skipped {oc.id}: {oc.error}", err=True)
                else:
                    fh.write(json.dumps(oc.result, ensure_ascii=False))
                    fh.write("\n")
                prog.advance(oc.words)
        if not quiet:
            click.echo(prog.summary() + (f", {skipped} skipped" if skipped else ""), err=True)
    except BrokenPipeError:  # `khabar extract ... | head`
        sys.stderr.close()
        sys.exit(0)
    finally:
        if fh is not sys.stdout:
            fh.close()
        else:
            fh.flush()
    sys.exit(1 if skipped else 0)
