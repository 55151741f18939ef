"""Numbered schema migrations, recorded in ``schema_migrations`` and run in transactions.

Each migration is applied once, in order, inside one transaction together with the
row that records it (the way Datasette / sqlite-utils do it), so a crash halfway
through leaves either the old schema or the new one. Add new migrations at the
end; never edit an applied one.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from khabar.errors import StoreError

# (version, name, SQL). FTS5 indexes the *folded* view of the text (khabar.text.normalize.fold)
# so that spelling variants (أ/ا، ى/ي، ة/ه, diacritics, tatweel) match. ``surface`` holds folded
# words, ``stems`` the same words with proclitics stripped (khabar.store.fts.search_stem), so that
# «ميركل» also finds «وميركل» and «لميركل». The FTS tables are contentless: snippets and offsets
# are computed from the original text, never from the folded copy.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE articles (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,      -- public id: the input id, suffixed when already taken
    input_id     TEXT NOT NULL,             -- the id as given by the input
    hash         TEXT NOT NULL UNIQUE,      -- sha256 of the text: each article is stored once
    title        TEXT,
    date         TEXT,
    url          TEXT,
    source       TEXT,
    text         TEXT NOT NULL,
    analysis     TEXT NOT NULL,             -- the full JSON analysis (CONTRACT.md)
    n_words      INTEGER NOT NULL DEFAULT 0,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_input_id ON articles(input_id);

CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,             -- canonical: the fullest form seen
    type         TEXT NOT NULL,             -- PER | ORG | LOC | MISC
    key          TEXT NOT NULL,             -- fold(name)
    n_articles   INTEGER NOT NULL DEFAULT 0,
    n_mentions   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_type_key ON entities(type, key);

-- Folded name variants. kind 'full': a form the articles used for the entity;
-- kind 'part': the surname of a multi-word person name (used only when unambiguous).
CREATE TABLE aliases (
    entity_id    INTEGER NOT NULL REFERENCES entities(id),
    folded       TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('full', 'part')),
    form         TEXT NOT NULL,             -- one surface spelling of it
    count        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (folded, kind, entity_id)
) WITHOUT ROWID;
CREATE INDEX aliases_entity ON aliases(entity_id);

-- One row per entity of one article (its local id "e1" in the analysis).
CREATE TABLE article_entities (
    article      INTEGER NOT NULL REFERENCES articles(rowid),
    local_id     TEXT NOT NULL,
    entity_id    INTEGER NOT NULL REFERENCES entities(id),
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    PRIMARY KEY (article, local_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities(entity_id);

CREATE TABLE mentions (
    article      INTEGER NOT NULL REFERENCES articles(rowid),
    entity_id    INTEGER NOT NULL REFERENCES entities(id),
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY,
    article        INTEGER NOT NULL REFERENCES articles(rowid),
    ord            INTEGER NOT NULL,        -- index in the article's "quotes" list (anchor #q<ord>)
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    cue            TEXT,
    speaker_name   TEXT,
    speaker_type   TEXT,
    speaker_folded TEXT,                    -- fold(speaker_name), for --speaker
    entity_id      INTEGER REFERENCES entities(id),
    confidence     REAL
);
CREATE INDEX quotes_article ON quotes(article);
CREATE INDEX quotes_entity ON quotes(entity_id);

CREATE TABLE figures (
    article      INTEGER NOT NULL REFERENCES articles(rowid),
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    kind         TEXT,
    value        REAL,
    unit         TEXT
);
CREATE INDEX figures_article ON figures(article);

CREATE TABLE dates (
    article      INTEGER NOT NULL REFERENCES articles(rowid),
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    year         INTEGER,
    month        INTEGER,
    day          INTEGER
);
CREATE INDEX dates_article ON dates(article);
CREATE INDEX dates_ym ON dates(year, month);

CREATE VIRTUAL TABLE articles_fts USING fts5(surface, stems, content='', tokenize='unicode61');
"""),
    # Measured on the full SaudiNewsNet corpus (bench/bench_store.py): an entity page took 43 s
    # (mentions were looked up by entity only, once per article) and quotes by speaker 80 ms
    # (LIKE over every quote). Composite indexes and an FTS index of the folded speaker names.
    (2, "indexes for entity pages, speaker search, entity ranking", """
CREATE INDEX mentions_entity_article ON mentions(entity_id, article);
DROP INDEX mentions_entity;
CREATE INDEX article_entities_entity_article ON article_entities(entity_id, article);
DROP INDEX article_entities_entity;
CREATE INDEX entities_rank ON entities(n_articles DESC, n_mentions DESC, id);
CREATE INDEX articles_words ON articles(n_words);  -- sum(n_words) without reading every text
CREATE VIRTUAL TABLE quotes_speaker_fts USING fts5(speaker, content='', tokenize='unicode61');
INSERT INTO quotes_speaker_fts(rowid, speaker)
    SELECT id, speaker_folded FROM quotes WHERE speaker_folded IS NOT NULL;
"""),
]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the pending migrations; returns the schema version. Idempotent."""
    version = current_version(conn)
    latest = MIGRATIONS[-1][0]
    if version > latest:
        raise StoreError(f"the database has schema version {version}, newer than this khabar ({latest})",
                         "upgrade khabar or use another --db")
    for num, name, sql in MIGRATIONS:
        if num <= version:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            # executescript() would commit on its own; run statement by statement instead so
            # that the migration and its record share one transaction.
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                         (num, name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"migration {num} ({name}) failed: {e}",
                             "the database was left as it was; check the file is a khabar database") from e
        version = num
    return version


def _statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (sqlite3.complete_statement)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
