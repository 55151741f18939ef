"""Schema, ingest (once per text), entities across articles, folded search, quotes by speaker."""
from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import InputError, StoreError
from khabar.store import queries as Q
from khabar.store.db import open_reader, open_writer
from khabar.store.fts import parse_query
from khabar.store.ingest import Writer, content_hash
from khabar.store.migrations import MIGRATIONS
from tests.store.conftest import counts, load_analyses

def test_migrations_recorded_and_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    open_writer(db).close()
    open_writer(db).close()
    c = sqlite3.connect(db)
    rows = c.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_newer_schema_refused(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    open_writer(db).close()
    c = sqlite3.connect(db)
    c.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    c.commit()
    c.close()
    with pytest.raises(StoreError, match="newer"):
        open_writer(db)


def test_not_a_database(tmp_path: Path) -> None:
    p = tmp_path / "x.db"
    p.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError):
        open_writer(p)
    with pytest.raises(StoreError):
        open_reader(p)
    with pytest.raises(StoreError, match="khabar ingest"):
        open_reader(tmp_path / "missing.db")


def test_reingest_changes_nothing(fixture_db: Path) -> None:
    before = counts(fixture_db)
    assert before["articles"] == 3 and before["quotes"] == 8
    with Writer(fixture_db) as w:
        for a in load_analyses():
            assert w.add(a) is None
        assert w.stats.known == 3 and w.stats.stored == 0
    assert counts(fixture_db) == before


def test_same_text_other_whitespace_is_one_article(tmp_path: Path) -> None:
    a = load_analyses()[2]
    assert content_hash(a["text"]) == content_hash(a["text"] + "\n") == content_hash(a["text"].replace("\n", "\r\n"))


def test_same_id_other_text_kept_apart(fixture_db: Path) -> None:
    a = load_analyses()[2]
    b = copy.deepcopy(a)
    b["text"] = a["text"] + " وأضاف أن اللقاء سيتكرر."
    with Writer(fixture_db) as w:
        new_id = w.add(b)
    assert new_id is not None and new_id.startswith("short-1-") and new_id != "short-1"
    c = open_reader(fixture_db)
    assert Q.article(c, new_id)["text"] == b["text"]
    assert Q.article(c, "short-1")["text"] == a["text"]


def test_analysis_stored_whole(fixture_db: Path) -> None:
    seed = load_analyses()[0]
    got = Q.article(open_reader(fixture_db), "seed")
    assert got == seed
    with pytest.raises(Q.NotFound):
        Q.article(open_reader(fixture_db), "nope")


def test_bad_offsets_left_out_of_tables(tmp_path: Path) -> None:
    a = copy.deepcopy(load_analyses()[1])
    a["quotes"][0]["start"] += 3  # offsets no longer point at the quote's text
    a["entities"][0]["mentions"].append({"start": 10_000, "end": 10_005, "text": "ميركل"})
    with Writer(tmp_path / "kb.db") as w:
        w.add(a)
        assert w.stats.dropped_spans == 2
    assert counts(tmp_path / "kb.db")["quotes"] == len(a["quotes"]) - 1


def test_malformed_analysis_skipped_batch_kept(tmp_path: Path) -> None:
    good, bad = load_analyses()[1], copy.deepcopy(load_analyses()[2])
    bad["entities"][0].pop("name")
    with Writer(tmp_path / "kb.db") as w:
        with pytest.raises(InputError, match="malformed"):
            w.add(bad)
        w.add(good)
        with pytest.raises(InputError):
            w.add({"id": "x", "text": "   "})
    assert counts(tmp_path / "kb.db")["articles"] == 1
    assert counts(tmp_path / "kb.db")["quotes"] == len(good["quotes"])


# -- entities across articles -----------------------------------------------------------
def test_spelling_variants_and_surname_fold_into_one_entity(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    res = Q.entities(c, "ميركل")
    assert res["total"] == 1
    merkel = res["hits"][0]
    assert merkel["name"] == "أنجيلا ميركل" and merkel["type"] == "PER"
    assert merkel["articles"] == 3 and merkel["quotes"] == 5
    assert Q.entities(c, "انجيلا")["hits"][0]["id"] == merkel["id"]


def test_ambiguous_surname_not_merged(tmp_path: Path) -> None:
    def art(i: str, text: str, name: str) -> dict:
        s = text.index(name)
        return {"id": i, "text": text, "entities": [{"id": "e1", "name": name, "type": "PER", "titles": [],
                                                      "mentions": [{"start": s, "end": s + len(name), "text": name}]}],
                "quotes": [], "figures": [], "dates": []}

    db = tmp_path / "kb.db"
    with Writer(db) as w:
        w.add(art("a", "زار محمد علي الرياض أمس.", "محمد علي"))
        w.add(art("b", "زار أحمد علي جدة أمس.", "أحمد علي"))
        w.add(art("c", "قال علي إن الزيارة ناجحة.", "علي"))  # which علي? neither
        w.add(art("d", "وصل محمد علي إلى القاهرة.", "محمد علي"))
    c = open_reader(db)
    names = sorted(h["name"] for h in Q.entities(c, limit=10)["hits"])
    assert names == ["أحمد علي", "علي", "محمد علي"]
    assert [h["articles"] for h in Q.entities(c, "محمد")["hits"]] == [2]


def test_surname_first_then_full_name_merges_upward(tmp_path: Path) -> None:
    a3, a2 = load_analyses()[2], load_analyses()[1]  # «ميركل» alone first, then «انجيلا ميركل»
    db = tmp_path / "kb.db"
    with Writer(db) as w:
        w.add(a3)
        w.add(a2)
    hits = Q.entities(open_reader(db), "ميركل")["hits"]
    assert len(hits) == 1 and hits[0]["name"] == "انجيلا ميركل" and hits[0]["articles"] == 2


# -- search -----------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["انجيلا ميركل", "أنجيلا ميركل", "أَنْجِيلا ميـــركل", '"انجيلا ميركل"', "«أنجيلا ميركل»"])
def test_folded_search_finds_seed(fixture_db: Path, q: str) -> None:
    res = Q.search(open_reader(fixture_db), q)
    ids = [h["id"] for h in res["hits"]]
    assert "seed" in ids and "short-1" not in ids
    hit = next(h for h in res["hits"] if h["id"] == "seed")
    text = load_analyses()[0]["text"]
    found = " ".join(m["text"] for m in hit["matches"])
    assert "أنجيلا" in found and "ميركل" in found
    for m in hit["matches"]:
        assert text[m["start"]:m["end"]] == m["text"]
    assert text[hit["snippet_start"]:hit["snippet_start"] + len(hit["snippet"])] == hit["snippet"]


def test_phrase_query_needs_adjacent_words(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    assert Q.search(c, "الهجرة ميركل")["total"] == 2        # both words, anywhere
    assert Q.search(c, '"الهجرة ميركل"')["total"] == 0      # never adjacent in this order
    assert Q.search(c, '"ميركل الهجرة"')["total"] == 1      # the berlin-1 title «ميركل: الهجرة»
    assert [h["id"] for h in Q.search(c, '"خفر السواحل"')["hits"]] != []


def test_clitics_and_ta_marbuta(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    # «وميركل» (in the seed title) and «لليبيا»-style prefixes are found from the bare word.
    assert Q.search(c, "والمهاجرين")["total"] >= 1
    assert Q.search(c, "الحكومه الليبيه")["total"] == 1     # ة typed as ه


def test_search_hit_lists_quotes_containing_the_match(fixture_db: Path) -> None:
    res = Q.search(open_reader(fixture_db), "التمويل")
    [hit] = res["hits"]
    assert [q["speaker"]["name"] for q in hit["quotes"]] == ["أنجيلا ميركل"]
    assert hit["quotes"][0]["link"] == f"/articles/seed#q{hit['quotes'][0]['ord']}"


HOSTILE = ['"', '""', "'", "NEAR(ميركل", "ميركل OR", "* ^ : - +", "surface:ميركل", "ميركل AND NOT",
           "'); DROP TABLE articles; --", "\\", "%_%", "«", "\x00", "a" * 5000, "ميركل\u200f\u0640"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_are_words_or_a_clean_error(fixture_db: Path, q: str) -> None:
    c = open_reader(fixture_db)
    try:
        res = Q.search(c, q)
        assert res["total"] >= 0
    except InputError:
        assert not parse_query(q)
    Q.quotes(c, speaker=q) if q.strip() and parse_query(q) else None
    Q.entities(c, q)  # LIKE wildcards escaped: must not raise
    assert counts_ok(c)


def counts_ok(c: sqlite3.Connection) -> bool:
    return c.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_safe_query(tmp_path_factory: pytest.TempPathFactory, q: str) -> None:
    db = _hyp_db(tmp_path_factory)
    c = open_reader(db)
    try:
        Q.search(c, q, limit=5)
    except InputError:
        assert not parse_query(q)
    try:
        Q.quotes(c, speaker=q, limit=5)
        Q.entities(c, q, limit=5)
    except InputError:
        pass


_HYP_DB: dict[str, Path] = {}


def _hyp_db(factory: pytest.TempPathFactory) -> Path:
    if "db" not in _HYP_DB:
        db = factory.mktemp("hyp") / "kb.db"
        with Writer(db) as w:
            for a in load_analyses():
                w.add(a)
        _HYP_DB["db"] = db
    return _HYP_DB["db"]


def test_pagination_limits(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    p1 = Q.quotes(c, limit=3, offset=0)
    p2 = Q.quotes(c, limit=3, offset=3)
    assert p1["total"] == p2["total"] == 8
    assert not {q["id"] for q in p1["hits"]} & {q["id"] for q in p2["hits"]}
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        with pytest.raises(InputError):
            Q.quotes(c, **bad)


# -- quotes by speaker ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ميركل", "ميركِل", "انجيلا ميركل", "أنجيلا ميركل"])
def test_quotes_by_speaker(fixture_db: Path, name: str) -> None:
    res = Q.quotes(open_reader(fixture_db), speaker=name)
    assert res["total"] == 5
    assert {q["article"] for q in res["hits"]} == {"seed", "berlin-1", "short-1"}
    assert len({q["speaker"]["entity"] for q in res["hits"]}) == 1


def test_quotes_by_speaker_whole_words_only(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    assert Q.quotes(c, speaker="ميرك")["total"] == 0
    assert {q["speaker"]["name"] for q in Q.quotes(c, speaker="مينيتي")["hits"]} == {"ماركو مينيتي"}


def test_entity_page_data(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    eid = Q.entities(c, "ميركل")["hits"][0]["id"]
    e = Q.entity(c, eid)
    assert e["quote_list"]["total"] == 5
    assert {a["id"] for a in e["article_list"]} == {"seed", "berlin-1", "short-1"}
    with pytest.raises(Q.NotFound):
        Q.entity(c, 10_000)


def test_stats(fixture_db: Path) -> None:
    s = Q.stats(open_reader(fixture_db))
    assert s["articles"] == 3 and s["quotes"] == 8 and s["figures"] == 1 and s["dates"] == 1
    assert s["schema_version"] == MIGRATIONS[-1][0]


def test_reader_is_read_only(fixture_db: Path) -> None:
    c = open_reader(fixture_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        c.execute("DELETE FROM articles")


def test_reader_time_limit(fixture_db: Path) -> None:
    from khabar.store.db import QueryTimeout, guard

    c = open_reader(fixture_db, time_limit=0.05)
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(QueryTimeout):
        with guard(c):
            c.execute(slow).fetchone()
    with guard(c):  # the connection is still usable afterwards
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_migration_2_upgrades_a_version_1_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database written before migration 2 gets its indexes and a backfilled speaker index."""
    import khabar.store.migrations as M

    db = tmp_path / "old.db"
    monkeypatch.setattr(M, "MIGRATIONS", M.MIGRATIONS[:1])
    c = open_writer(db)
    c.execute("INSERT INTO articles(id, input_id, hash, text, analysis, ingested_at) VALUES"
              " ('a', 'a', 'h', 'قالت ميركل إن ...', '{}', 'now')")
    c.execute("INSERT INTO quotes(article, ord, start, end, text, kind, speaker_name, speaker_folded)"
              " VALUES (1, 0, 0, 3, 'x', 'direct', 'أنجيلا ميركل', 'انجيلا ميركل')")
    c.close()
    monkeypatch.undo()
    open_writer(db).close()
    r = open_reader(db)
    assert [v for (v,) in r.execute("SELECT version FROM schema_migrations ORDER BY version")] == [1, 2]
    assert Q.quotes(r, speaker="ميركل")["total"] == 1
    assert r.execute("SELECT count(*) FROM sqlite_master WHERE name = 'mentions_entity_article'").fetchone()[0] == 1


def test_reader_refuses_an_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.store.migrations as M

    db = tmp_path / "old.db"
    monkeypatch.setattr(M, "MIGRATIONS", M.MIGRATIONS[:1])
    open_writer(db).close()
    monkeypatch.undo()
    with pytest.raises(StoreError, match="upgrades the schema"):
        open_reader(db)
