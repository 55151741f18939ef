from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES

ANALYSES = FIXTURES / "store" / "analyses.jsonl"
TABLES = ("articles", "entities", "aliases", "article_entities", "mentions", "quotes", "figures", "dates",
          "articles_fts_docsize")


def counts(db: Path) -> dict[str, int]:
    """Row counts of every table (articles_fts_docsize has one row per indexed article)."""
    c = sqlite3.connect(db)
    try:
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        c.close()


def load_analyses() -> list[dict[str, Any]]:
    """Hand-annotated analyses (tests/fixtures/store): the seed article and two short ones about
    the same person spelled differently, so that the store is tested whatever the extractors find."""
    return [json.loads(line) for line in ANALYSES.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_db(db: Path, *extra: dict[str, Any]) -> Path:
    """A knowledge base holding the fixture analyses (and ``extra`` ones)."""
    from khabar.store.ingest import Writer

    with Writer(db) as w:
        for a in [*load_analyses(), *extra]:
            w.add(a)
    return db


@pytest.fixture()
def fixture_db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "kb.db")
