"""Read queries shared by the CLI and the web layer. Every function takes a connection
(a read-only one from :func:`khabar.store.db.open_reader` in the web layer) and returns
plain JSON-ready dicts with character offsets into the original article text."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from khabar.errors import InputError, StoreError
from khabar.store.db import guard
from khabar.store.entities import key_of
from khabar.store.fts import find_matches, parse_query, snippet, words

MAX_LIMIT = 100
MAX_OFFSET = 10_000


class NotFound(StoreError):
    """No such article or entity."""

    code = "K404"


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InputError(f"offset must be between 0 and {MAX_OFFSET}, got {offset}")
    return limit, offset


def _like(s: str) -> str:
    """Escape LIKE wildcards in user text (ESCAPE '\\')."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(conn: sqlite3.Connection, q: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Full-text search over the folded articles. Each hit carries the raw offsets of the matches,
    a snippet (with its start offset) and the article's quotes that contain a match."""
    limit, offset = _page(limit, offset)
    query = parse_query(q)
    if not query:
        raise InputError("the query has no words to search for", "type one or more Arabic (or Latin) words")
    expr = query.fts()
    with guard(conn):
        total = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expr,)).fetchone()[0]
        rows = conn.execute(
            "SELECT a.rowid, a.id, a.title, a.date, a.url, a.source, a.text, f.score FROM"
            " (SELECT rowid, bm25(articles_fts, 2.0, 1.0) AS score FROM articles_fts"
            "  WHERE articles_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?) f"
            " JOIN articles a ON a.rowid = f.rowid ORDER BY f.score",
            (expr, limit, offset)).fetchall()
        hits = []
        for r in rows:
            spans = find_matches(r["text"], query)
            snip, snip_start = snippet(r["text"], spans)
            quotes = [_quote_row(qr) for qr in conn.execute(
                "SELECT q.*, a.id AS article_id, a.title AS article_title FROM quotes q"
                " JOIN articles a ON a.rowid = q.article WHERE q.article = ? ORDER BY q.ord", (r["rowid"],))
                if any(s < qr["end"] and e > qr["start"] for s, e in spans)]
            hits.append({
                "id": r["id"], "title": r["title"], "date": r["date"], "url": r["url"], "source": r["source"],
                "score": round(-float(r["score"]), 4),
                "snippet": snip, "snippet_start": snip_start,
                "matches": [{"start": s, "end": e, "text": r["text"][s:e]} for s, e in spans],
                "quotes": quotes,
            })
    return {"query": q, "total": int(total), "limit": limit, "offset": offset, "hits": hits}


def _quote_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"], "article": r["article_id"], "article_title": r["article_title"], "ord": r["ord"],
        "start": r["start"], "end": r["end"], "text": r["text"], "kind": r["kind"], "cue": r["cue"],
        "speaker": ({"name": r["speaker_name"], "type": r["speaker_type"], "entity": r["entity_id"]}
                    if r["speaker_name"] or r["entity_id"] is not None or r["speaker_type"] else None),
        "confidence": r["confidence"],
        "link": f"/articles/{_url_part(r['article_id'])}#q{r['ord']}",
    }


def _url_part(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def speaker_entities(conn: sqlite3.Connection, name: str) -> list[int]:
    """Entities one of whose folded forms (or a person's surname) is ``name``."""
    k = key_of(name)
    return [int(r[0]) for r in conn.execute("SELECT DISTINCT entity_id FROM aliases WHERE folded = ?", (k,))]


def quotes(conn: sqlite3.Connection, speaker: str | None = None, entity: int | None = None,
           limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Stored quotes, optionally by speaker name (folded: ميركل = مِيركل; matches whole words of the
    speaker's name or any name form of the linked entity) or by stored entity id."""
    limit, offset = _page(limit, offset)
    where, args = [], []  # type: list[str], list[Any]
    if speaker is not None:
        name_words = words(speaker)
        if not name_words:
            raise InputError("the speaker name has no letters", "give a name, e.g. --speaker ميركل")
        ids = speaker_entities(conn, speaker)
        # Whole words of the folded speaker name, in order: the FTS5 phrase of its words
        # (letters and digits only, so user text is never FTS syntax).
        phrase = '"' + " ".join(name_words) + '"'
        cond = "q.id IN (SELECT rowid FROM quotes_speaker_fts WHERE quotes_speaker_fts MATCH ?)"
        args.append(phrase)
        if ids:
            cond += f" OR q.entity_id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        where.append(f"({cond})")
    if entity is not None:
        where.append("q.entity_id = ?")
        args.append(entity)
    sql_where = (" WHERE " + " AND ".join(where)) if where else ""
    with guard(conn):
        total = conn.execute(f"SELECT count(*) FROM quotes q{sql_where}", args).fetchone()[0]
        rows = conn.execute(
            "SELECT q.*, a.id AS article_id, a.title AS article_title FROM quotes q"
            f" JOIN articles a ON a.rowid = q.article{sql_where} ORDER BY q.article, q.ord LIMIT ? OFFSET ?",
            [*args, limit, offset]).fetchall()
    return {"speaker": speaker, "entity": entity, "total": int(total), "limit": limit, "offset": offset,
            "hits": [_quote_row(r) for r in rows]}


def _entity_row(conn: sqlite3.Connection, r: sqlite3.Row) -> dict[str, Any]:
    aliases = [a[0] for a in conn.execute(
        "SELECT form FROM aliases WHERE entity_id = ? AND kind = 'full' ORDER BY count DESC, form", (r["id"],))]
    n_quotes = conn.execute("SELECT count(*) FROM quotes WHERE entity_id = ?", (r["id"],)).fetchone()[0]
    return {"id": r["id"], "name": r["name"], "type": r["type"], "aliases": aliases,
            "articles": r["n_articles"], "mentions": r["n_mentions"], "quotes": int(n_quotes),
            "link": f"/entities/{r['id']}"}


def entities(conn: sqlite3.Connection, q: str | None = None, etype: str | None = None,
             limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Entities, most frequent first; ``q`` matches any folded name form (substring)."""
    limit, offset = _page(limit, offset)
    where, args = [], []  # type: list[str], list[Any]
    if q is not None and q.strip():
        k = key_of(q)
        if not k:
            raise InputError("the entity query has no letters", "give part of a name")
        where.append("e.id IN (SELECT entity_id FROM aliases WHERE folded LIKE ? ESCAPE '\\')")
        args.append(f"%{_like(k)}%")
    if etype:
        where.append("e.type = ?")
        args.append(etype.upper())
    sql_where = (" WHERE " + " AND ".join(where)) if where else ""
    with guard(conn):
        total = conn.execute(f"SELECT count(*) FROM entities e{sql_where}", args).fetchone()[0]
        rows = conn.execute(f"SELECT e.* FROM entities e{sql_where} ORDER BY e.n_articles DESC, e.n_mentions DESC,"
                            " e.id LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        hits = [_entity_row(conn, r) for r in rows]
    return {"query": q, "type": etype, "total": int(total), "limit": limit, "offset": offset, "hits": hits}


def entity(conn: sqlite3.Connection, eid: int, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """One stored entity, its quotes (with links to the exact passage) and the articles naming it."""
    with guard(conn):
        r = conn.execute("SELECT * FROM entities WHERE id = ?", (eid,)).fetchone()
        if r is None:
            raise NotFound(f"no entity {eid}", "search entities at /entities?q=")
        out = _entity_row(conn, r)
        arts = conn.execute(
            "SELECT a.id, a.title, (SELECT count(*) FROM mentions m WHERE m.entity_id = ae.entity_id"
            " AND m.article = ae.article) AS n FROM article_entities ae JOIN articles a ON a.rowid = ae.article"
            " WHERE ae.entity_id = ? ORDER BY ae.article LIMIT 100", (eid,)).fetchall()
    out["quote_list"] = quotes(conn, entity=eid, limit=limit, offset=offset)
    out["article_list"] = [{"id": a["id"], "title": a["title"], "mentions": a["n"]} for a in arts]
    return out


def article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """The stored analysis of one article (CONTRACT.md), exactly as ingested."""
    with guard(conn):
        r = conn.execute("SELECT analysis, text FROM articles WHERE id = ?", (article_id,)).fetchone()
    if r is None:
        raise NotFound(f"no article {article_id!r}", "search for it at /search?q=")
    analysis: dict[str, Any] = json.loads(r["analysis"])
    analysis["text"] = r["text"]
    return analysis


def article_links(conn: sqlite3.Connection, article_id: str) -> dict[str, int]:
    """Local entity id in the article ("e1") → stored entity id, for links from the page."""
    with guard(conn):
        rows = conn.execute("SELECT ae.local_id, ae.entity_id FROM article_entities ae JOIN articles a"
                            " ON a.rowid = ae.article WHERE a.id = ?", (article_id,)).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """What the knowledge base holds."""
    with guard(conn):
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        by = lambda sql: {r[0]: r[1] for r in conn.execute(sql)}  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "words": one("SELECT coalesce(sum(n_words), 0) FROM articles"),
            "entities": one("SELECT count(*) FROM entities"),
            "entities_by_type": by("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"),
            "aliases": one("SELECT count(*) FROM aliases WHERE kind = 'full'"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "quotes_by_kind": by("SELECT kind, count(*) FROM quotes GROUP BY kind ORDER BY kind"),
            "quotes_with_speaker": one("SELECT count(*) FROM quotes WHERE speaker_name IS NOT NULL"),
            "figures": one("SELECT count(*) FROM figures"),
            "dates": one("SELECT count(*) FROM dates"),
            "sources": by("SELECT coalesce(source, ''), count(*) FROM articles GROUP BY source ORDER BY 2 DESC LIMIT 20"),
            "schema_version": one("SELECT max(version) FROM schema_migrations"),
        }
