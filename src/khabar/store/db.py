"""Opening the knowledge base: a writer (migrates, WAL) and read-only readers with a time limit."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from khabar.errors import StoreError

DEFAULT_DB = "khabar.db"


class ReaderConnection(sqlite3.Connection):
    """A connection that carries its own query deadline (see :class:`guard`)."""

    deadline: float = 0.0
    time_limit: float | None = None


class QueryTimeout(StoreError):
    """A read query ran past its time limit."""

    code = "K410"


def open_writer(path: str | Path) -> sqlite3.Connection:
    """A read-write connection with the schema migrated.

    Autocommit mode (``isolation_level=None``): callers open explicit transactions, so that
    a batch of articles is all-or-nothing. WAL keeps readers (``khabar serve``) working while
    an ingest runs, and a process killed mid-batch leaves only the committed batches.
    """
    from khabar.store.migrations import migrate

    p = Path(path)
    if p.parent and not p.parent.exists():
        raise StoreError(f"cannot create {p}: folder {p.parent} does not exist", "create the folder first")
    try:
        conn = sqlite3.connect(str(p), isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"cannot open {p} as a khabar database: {e}",
                         "check the path, or remove the file to start a new knowledge base") from e
    conn.row_factory = sqlite3.Row
    return conn


def open_reader(path: str | Path, time_limit: float | None = 2.0) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``); queries running past ``time_limit`` seconds are
    interrupted and raise :class:`QueryTimeout` from :func:`guard`."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"no knowledge base at {p}", "run `khabar ingest PATH --db FILE` first, or pass --db")
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                               factory=ReaderConnection)
        conn.row_factory = sqlite3.Row
        version = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p} is not a khabar database ({e})", "pass the file written by `khabar ingest`") from e
    if not version:
        raise StoreError(f"{p} has no schema yet", "run `khabar ingest` on it first")
    from khabar.store.migrations import MIGRATIONS

    if version < MIGRATIONS[-1][0]:
        conn.close()
        raise StoreError(f"{p} has schema version {version}, older than this khabar's {MIGRATIONS[-1][0]}",
                         f"run `khabar ingest PATH --db {p}` once: it upgrades the schema in place")
    if time_limit is not None:
        conn.time_limit = time_limit

        def _tick() -> int:
            # A non-zero return makes SQLite interrupt the running statement.
            return 1 if conn.deadline and time.monotonic() > conn.deadline else 0

        conn.set_progress_handler(_tick, 10_000)
    return conn


class guard:
    """``with guard(conn): ...`` arms the reader's time limit and turns an interrupt into QueryTimeout."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        c = self.conn
        if isinstance(c, ReaderConnection) and c.time_limit is not None:
            c.deadline = time.monotonic() + c.time_limit
        return c

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: object) -> None:
        if isinstance(self.conn, ReaderConnection):
            self.conn.deadline = 0.0
        if isinstance(ev, sqlite3.OperationalError) and "interrupt" in str(ev):
            raise QueryTimeout("the query took too long and was stopped", "use more specific words") from ev
