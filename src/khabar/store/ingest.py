"""Writing analyses into the knowledge base: once per text, in all-or-nothing batches.

Crash safety: articles are written inside a transaction that commits every ``batch_size``
articles or ``batch_seconds`` seconds. A process killed at any moment (even ``kill -9``)
leaves the committed batches, and SQLite rolls the open one back on the next open. Each
article's rows (its JSON, normalized tables, FTS entry) are written under one SAVEPOINT, so
a single bad analysis is reported and skipped without losing the rest of the batch. The
``hash`` column is UNIQUE: a text can never be stored twice, whatever happens.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from khabar.errors import InputError, StoreError
from khabar.io.readers import Article, BadArticle, Item
from khabar.store.db import open_writer
from khabar.store.entities import add_aliases, key_of, resolve
from khabar.store.fts import index_columns


def content_hash(text: str) -> str:
    """The identity of an article: sha256 of its text, line endings and outer blanks aside
    (the same article as a .txt file with a final newline and as a JSONL line is one article)."""
    norm = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class IngestStats:
    stored: int = 0
    known: int = 0
    skipped: int = 0
    dropped_spans: int = 0


class Writer:
    """Adds analyses to a database; use as a context manager so the last batch commits."""

    def __init__(self, path: str | Path, batch_size: int = 200, batch_seconds: float = 2.0) -> None:
        self.conn = open_writer(path)
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.stats = IngestStats()
        self._in_batch = 0
        self._t_batch = 0.0

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit what was added (every added article is complete) and close."""
        if self.conn is None:
            return
        self.commit()
        self.conn.close()
        self.conn = None  # type: ignore[assignment]

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self._in_batch = 0

    # -- reading -----------------------------------------------------------------------
    def known(self, h: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE hash = ?", (h,)).fetchone() is not None

    # -- writing -----------------------------------------------------------------------
    def add(self, analysis: dict[str, Any]) -> str | None:
        """Store one analysis; returns its public id, or None when the same text is already stored.

        Raises :class:`InputError` for an analysis that does not follow CONTRACT.md (that
        article is left out; the batch goes on).
        """
        text = analysis.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{analysis.get('id')}: analysis without text", "pass `khabar extract` output")
        h = content_hash(text)
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self._t_batch = time.monotonic()
        if self.known(h):
            self.stats.known += 1
            self._maybe_commit()
            return None
        self.conn.execute("SAVEPOINT article")
        try:
            public = self._insert(analysis, text, h)
        except (KeyError, TypeError, ValueError) as e:
            self.conn.execute("ROLLBACK TO article")
            self.conn.execute("RELEASE article")
            raise InputError(f"{analysis.get('id')}: malformed analysis ({type(e).__name__}: {e})",
                             "check it against CONTRACT.md") from e
        except sqlite3.Error as e:
            self.conn.execute("ROLLBACK TO article")
            self.conn.execute("RELEASE article")
            raise StoreError(f"{analysis.get('id')}: cannot store ({e})", "check the disk and the --db file") from e
        self.conn.execute("RELEASE article")
        self.stats.stored += 1
        self._in_batch += 1
        self._maybe_commit()
        return public

    def _maybe_commit(self) -> None:
        if self._in_batch >= self.batch_size or time.monotonic() - self._t_batch >= self.batch_seconds:
            self.commit()

    def _insert(self, a: dict[str, Any], text: str, h: str) -> str:
        c = self.conn
        input_id = str(a.get("id") or h[:12])
        public = input_id
        if c.execute("SELECT 1 FROM articles WHERE id = ?", (public,)).fetchone():
            public = f"{input_id}-{h[:8]}"  # same id, different text: keep both, deterministically
        # The text has its own column; the JSON keeps the key (null) so that the analysis reads
        # back with its keys in the original order (queries.article puts the text back).
        stored = {k: (None if k == "text" else v) for k, v in a.items()}
        if public != input_id:
            stored["id"] = public
            stored["input_id"] = input_id
        title = _str(a.get("title"))
        cur = c.execute(
            "INSERT INTO articles(id, input_id, hash, title, date, url, source, text, analysis, n_words, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (public, input_id, h, title, _str(a.get("date")), _str(a.get("url")), _str(a.get("source")), text,
             json.dumps(stored, ensure_ascii=False, separators=(",", ":")), len(text.split()),
             datetime.now(timezone.utc).isoformat(timespec="seconds")))
        art = int(cur.lastrowid)

        ok = _span_checker(text, self.stats)
        local: dict[str, int] = {}
        for e in a.get("entities") or []:
            name, etype = str(e["name"]), str(e.get("type") or "MISC")
            mentions = [m for m in e.get("mentions") or [] if ok(m)]
            eid = resolve(c, name, etype)
            local[str(e["id"])] = eid
            add_aliases(c, eid, etype, name, [m["text"] for m in mentions])
            c.execute("INSERT OR IGNORE INTO article_entities(article, local_id, entity_id, name, type)"
                      " VALUES (?, ?, ?, ?, ?)", (art, str(e["id"]), eid, name, etype))
            c.executemany("INSERT INTO mentions(article, entity_id, start, end, text) VALUES (?, ?, ?, ?, ?)",
                          [(art, eid, int(m["start"]), int(m["end"]), m["text"]) for m in mentions])
            c.execute("UPDATE entities SET n_articles = n_articles + 1, n_mentions = n_mentions + ? WHERE id = ?",
                      (len(mentions), eid))
        by_key = {key_of(str(e["name"])): local[str(e["id"])] for e in a.get("entities") or []}

        rows = []
        for ordinal, q in enumerate(a.get("quotes") or []):
            if not ok(q):
                continue
            sp = q.get("speaker") or {}
            sname = _str(sp.get("name"))
            eid = local.get(str(sp.get("entity"))) if sp.get("entity") is not None else None
            if eid is None and sname:
                eid = by_key.get(key_of(sname))
            cue = q.get("cue") or {}
            rows.append((art, ordinal, int(q["start"]), int(q["end"]), q["text"], str(q.get("kind") or "direct"),
                         _str(cue.get("text")), sname, _str(sp.get("type")), key_of(sname) if sname else None,
                         eid, float(q.get("confidence") or 0.0)))
        c.executemany("INSERT INTO quotes(article, ord, start, end, text, kind, cue, speaker_name, speaker_type,"
                      " speaker_folded, entity_id, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        c.execute("INSERT INTO quotes_speaker_fts(rowid, speaker) SELECT id, speaker_folded FROM quotes"
                  " WHERE article = ? AND speaker_folded IS NOT NULL", (art,))
        c.executemany("INSERT INTO figures(article, start, end, text, kind, value, unit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [(art, int(f["start"]), int(f["end"]), f["text"], _str(f.get("kind")), _num(f.get("value")),
                        _str(f.get("unit"))) for f in a.get("figures") or [] if ok(f)])
        c.executemany("INSERT INTO dates(article, start, end, text, year, month, day) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [(art, int(d["start"]), int(d["end"]), d["text"], d.get("year"), d.get("month"), d.get("day"))
                       for d in a.get("dates") or [] if ok(d)])
        surface, stems = index_columns(title, text)
        c.execute("INSERT INTO articles_fts(rowid, surface, stems) VALUES (?, ?, ?)", (art, surface, stems))
        return public


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _num(v: Any) -> float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _span_checker(text: str, stats: IngestStats) -> Callable[[dict[str, Any]], bool]:
    """Spans whose offsets do not point at their text are left out of the tables (and counted):
    every stored offset can then be trusted by the web page that highlights it."""
    def ok(s: dict[str, Any]) -> bool:
        try:
            good = 0 <= int(s["start"]) <= int(s["end"]) <= len(text) and text[int(s["start"]):int(s["end"])] == s["text"]
        except (KeyError, TypeError, ValueError):
            good = False
        if not good:
            stats.dropped_spans += 1
        return good
    return ok


def unseen(items: Iterable[Item], writer: Writer, on_known: Callable[[Article], None]) -> Iterator[Item]:
    """Drop articles whose text is already stored *before* they are analysed, so a re-run is fast
    (and articles repeated within one run are analysed once)."""
    seen: set[str] = set()
    for it in items:
        if isinstance(it, Article):
            h = content_hash(it.text)
            if h in seen or writer.known(h):
                writer.stats.known += 1
                on_known(it)
                continue
            seen.add(h)
        yield it


def iter_analyses(paths: Iterable[str]) -> Iterator[dict[str, Any] | BadArticle]:
    """Analyses already computed (``khabar extract`` output, JSON Lines), for ``ingest --analysed``."""
    import gzip

    for p in paths:
        path = Path(p)
        opener: Callable[..., Any] = gzip.open if path.name.endswith(".gz") else open
        try:
            fh = opener(path, "rt", encoding="utf-8")
        except OSError as e:
            yield BadArticle(path.name, f"cannot read {path}: {e.strerror}")
            continue
        with fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    yield BadArticle(f"{path}:{n}", f"{path}:{n}: broken JSON ({e.msg})")
                    continue
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    yield BadArticle(f"{path}:{n}", f"{path}:{n}: not an analysis object (no \"text\")")
                    continue
                yield obj
