"""``khabar ingest | search | quotes | entities | stats``: thin commands over khabar.store."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from khabar.cli.common import run_options
from khabar.cli.progress import Progress
from khabar.errors import KhabarError
from khabar.store.db import DEFAULT_DB

db_option = click.option("--db", "db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
                         help="The SQLite knowledge base.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one hit per line.")
page_options = [
    click.option("--limit", "-n", type=click.IntRange(1, 100), default=20, show_default=True, help="Hits to show."),
    click.option("--offset", type=click.IntRange(0, 10_000), default=0, show_default=True, help="Hits to skip."),
]


def _paged(f: Any) -> Any:
    for opt in reversed(page_options):
        f = opt(f)
    return f


def _fail(e: KhabarError) -> None:
    click.echo(f"error: {e}", err=True)
    sys.exit(2 if e.code.startswith("K1") else 1)


def _reader(db: str) -> Any:
    from khabar.store.db import open_reader

    try:
        return open_reader(db, time_limit=None)
    except KhabarError as e:
        _fail(e)


def _ask(db: str, fn: Any, as_json: bool = False, **kw: Any) -> dict[str, Any]:
    """Run one query function on a read-only connection; with ``as_json`` print its hits and exit."""
    try:
        res: dict[str, Any] = fn(_reader(db), **kw)
    except KhabarError as e:
        _fail(e)
        raise  # unreachable: _fail exits
    if as_json:
        _print_jsonl(res["hits"] if "hits" in res else [res])
        sys.exit(0)
    return res


def _print_jsonl(hits: list[dict[str, Any]]) -> None:
    for h in hits:
        click.echo(json.dumps(h, ensure_ascii=False))


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@db_option
@click.option("--analysed", is_flag=True,
              help="PATHS hold analyses already made by `khabar extract` (JSON Lines): store them as they are.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Articles per transaction (a batch also commits every 2 seconds).")
@run_options
def ingest(paths: tuple[str, ...], db: str, analysed: bool, batch_size: int, workers: int,
           scheduler: str | None, quiet: bool) -> None:
    """Analyse articles and store them in the knowledge base.

    PATHS: .txt, .jsonl(.gz), .html/.htm, RSS/Atom feeds (.rss, .atom, .xml), WARC files
    (.warc, .warc.gz) and directories. Each text is stored once: articles already in the
    database are skipped before analysis, so re-running after an interruption (even kill -9)
    finishes the work without duplicates. Bad articles are reported on standard error and
    skipped; exit status is 1 if any was skipped.
    """
    from khabar.io.readers import count_articles
    from khabar.store.ingest import Writer

    try:
        writer = Writer(db, batch_size=batch_size)
    except KhabarError as e:
        _fail(e)
        return
    bad = 0
    total = count_articles(paths) if not quiet and not analysed else None

    def report(name: str, reason: str) -> None:
        nonlocal bad
        bad += 1
        click.echo(f"skipped {name}: {reason}", err=True)

    try:
        with writer, Progress(total, enabled=not quiet) as prog:
            _ingest_stream(paths, writer, prog, analysed, workers, scheduler, quiet, report)
    except KhabarError as e:  # an unreachable scheduler, a worker that died: what was committed stays
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    st = writer.stats
    if not quiet:
        extra = f", {st.dropped_spans} spans with bad offsets left out" if st.dropped_spans else ""
        click.echo(f"{prog.summary()}: {st.stored} stored, {st.known} already stored, {bad} skipped{extra} → {db}",
                   err=True)
    sys.exit(1 if bad else 0)


def _ingest_stream(paths: tuple[str, ...], writer: Any, prog: Progress, analysed: bool, workers: int,
                   scheduler: str | None, quiet: bool, report: Callable[[str, str], None]) -> None:
    """Analyse (or read analysed) articles and hand each result to the writer."""
    from khabar.io.readers import Article, BadArticle, iter_articles
    from khabar.store.ingest import iter_analyses, unseen

    if analysed:
        stream: Iterator[Any] = ((it.id, None, it.reason, 0, None) if isinstance(it, BadArticle)
                                 else (str(it.get("id")), it, None, len(it["text"].split()), None)
                                 for it in iter_analyses(paths))
    else:
        from khabar.scale.runner import run

        def known(a: Article) -> None:
            prog.advance(len(a.text.split()))

        outcomes = run(unseen(iter_articles(paths), writer, known), workers=workers, scheduler=scheduler)
        stream = ((oc.id, oc.result, oc.error, oc.words, oc.warning) for oc in outcomes)
    for doc_id, result, error, words, warning in stream:
        if warning and not quiet:
            click.echo(f"warning: {warning}", err=True)
        if result is None:
            report(doc_id, error or "not analysed")
        else:
            try:
                writer.add(result)
            except KhabarError as e:
                report(doc_id, str(e))
        prog.advance(words)


@click.command("search")
@click.argument("query")
@db_option
@json_option
@_paged
def search(query: str, db: str, as_json: bool, limit: int, offset: int) -> None:
    """Full-text search, Arabic spelling folded (انجيلا = أنجيلا, ى = ي, ة = ه, diacritics ignored).

    Words must all occur; "double quotes" or «guillemets» make a phrase.
    """
    from khabar.store.queries import search as do_search

    res = _ask(db, do_search, as_json, q=query, limit=limit, offset=offset)
    click.echo(f"{res['total']} articles match «{query}»" + (f" (showing {offset + 1}–{offset + len(res['hits'])})"
                                                            if res["total"] > len(res["hits"]) else ""))
    for h in res["hits"]:
        click.echo(f"\n{h['id']}  {h['title'] or ''}".rstrip())
        click.echo("  " + _marked(h["snippet"], h["snippet_start"], h["matches"]).replace("\n", " "))
        for q in h["quotes"]:
            who = (q["speaker"] or {}).get("name") or "?"
            click.echo(f"  quote [{who}]: «{q['text']}»")


def _marked(snip: str, base: int, matches: list[dict[str, Any]]) -> str:
    """The snippet with matches wrapped in [[ ]] (offsets are relative to the article)."""
    out, pos = [], 0
    for m in matches:
        s, e = m["start"] - base, m["end"] - base
        if s < pos or e > len(snip):
            continue
        out += [snip[pos:s], "[[", snip[s:e], "]]"]
        pos = e
    out.append(snip[pos:])
    return "".join(out)


@click.command("quotes")
@click.option("--speaker", "-s", default=None, help="Speaker name or part of it (spelling folded), e.g. ميركل.")
@db_option
@json_option
@_paged
def quotes(speaker: str | None, db: str, as_json: bool, limit: int, offset: int) -> None:
    """List stored quotations, optionally those of one speaker."""
    from khabar.store.queries import quotes as do_quotes

    res = _ask(db, do_quotes, as_json, speaker=speaker, limit=limit, offset=offset)
    click.echo(f"{res['total']} quotes" + (f" by «{speaker}»" if speaker else ""))
    for q in res["hits"]:
        who = (q["speaker"] or {}).get("name") or "?"
        click.echo(f"\n{who} ({q['kind']}, {q['article']} [{q['start']}:{q['end']}]):\n  «{q['text']}»")


@click.command("entities")
@click.argument("query", required=False)
@click.option("--type", "etype", type=click.Choice(["PER", "ORG", "LOC", "MISC"], case_sensitive=False),
              default=None, help="Only entities of this type.")
@db_option
@json_option
@_paged
def entities(query: str | None, etype: str | None, db: str, as_json: bool, limit: int, offset: int) -> None:
    """List stored entities (most frequent first) with their name variants; QUERY filters by name."""
    from khabar.store.queries import entities as do_entities

    res = _ask(db, do_entities, as_json, q=query, etype=etype, limit=limit, offset=offset)
    click.echo(f"{res['total']} entities")
    for e in res["hits"]:
        click.echo(f"{e['id']:>6} {e['type']:<4} {e['name']}  ({e['articles']} articles, {e['mentions']} mentions,"
                   f" {e['quotes']} quotes)  " + " / ".join(e["aliases"]))


@click.command("stats")
@db_option
@json_option
def stats(db: str, as_json: bool) -> None:
    """Counts of what the knowledge base holds."""
    from khabar.store.queries import stats as do_stats

    res = _ask(db, do_stats, as_json)
    for k, v in res.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a or '-'} {b}" for a, b in v.items()) or "-"
        click.echo(f"{k:<20} {v}")
