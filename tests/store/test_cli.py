"""``khabar ingest/search/quotes/entities/stats`` end to end, including kill -9 in the middle of an ingest."""
from __future__ import annotations

import gzip
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli.main import cli
from tests.conftest import SEED_TEXT, shared_path
from tests.store.conftest import ANALYSES, counts

def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_real_pipeline_on_seed_then_search(tmp_path: Path) -> None:
    """The seed analysed by the real pipeline (whatever its layers hold today) is stored and found."""
    db = str(tmp_path / "kb.db")
    code, _, err = invoke("ingest", str(SEED_TEXT), "--db", db, "--quiet")
    assert code == 0, err
    code, out, _ = invoke("search", "انجيلا ميركل", "--db", db, "--json")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert [h["id"] for h in hits] == ["seed-libya-2017"]
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert all(text[m["start"]:m["end"]] == m["text"] for m in hits[0]["matches"])
    code, out, _ = invoke("stats", "--db", db, "--json")
    stats = json.loads(out)
    assert stats["articles"] == 1 and stats["words"] == len(text.split())
    # the stored analysis is what `khabar extract` prints for the same file
    code, extracted, _ = invoke("extract", str(SEED_TEXT))
    from khabar.store.db import open_reader
    from khabar.store.queries import article

    assert article(open_reader(db), "seed-libya-2017") == json.loads(extracted)
    # `quotes --speaker ميركل` lists exactly the quotes the analysis gives to a speaker named so
    # (however many today's extractors find)
    analysis = json.loads(extracted)
    theirs = sorted(q["start"] for q in analysis["quotes"] if "ميركل" in ((q.get("speaker") or {}).get("name") or ""))
    code, out, _ = invoke("quotes", "--speaker", "ميركل", "--db", db, "--json", "-n", "100")
    assert sorted(json.loads(line)["start"] for line in out.splitlines()) == theirs


def test_analysed_fixture_quotes_entities(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    assert invoke("ingest", "--analysed", str(ANALYSES), "--db", db, "-q")[0] == 0
    code, out, _ = invoke("quotes", "--speaker", "ميركل", "--db", db, "--json")
    hits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(hits) == 5 and {h["speaker"]["entity"] for h in hits} == {hits[0]["speaker"]["entity"]}
    code, out, _ = invoke("quotes", "--speaker", "ميركل", "--db", db)
    assert "5 quotes" in out and "جهود تحسين أوضاع المهاجرين" in out
    code, out, _ = invoke("entities", "ميركل", "--db", db, "--json")
    [e] = [json.loads(line) for line in out.splitlines()]
    assert e["name"] == "أنجيلا ميركل" and e["articles"] == 3
    code, out, _ = invoke("search", "انجيلا ميركل", "--db", db)
    assert code == 0 and "[[أنجيلا]] [[ميركل]]" in out and "2 articles" in out


def test_cli_errors(tmp_path: Path) -> None:
    code, _, err = invoke("search", "ميركل", "--db", str(tmp_path / "none.db"))
    assert code != 0 and "khabar ingest" in err
    db = str(tmp_path / "kb.db")
    invoke("ingest", "--analysed", str(ANALYSES), "--db", db, "-q")
    code, _, err = invoke("search", '" * :', "--db", db)
    assert code == 2 and "no words" in err and "Traceback" not in err
    code, _, _ = invoke("search", "ميركل", "--db", db, "--limit", "1000")
    assert code == 2


def test_bad_articles_reported_and_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "قال الوزير إن الاجتماع ناجح."}\n{broken\n{"id": "c", "text": ""}\n'
                   '{"id": "d", "text": "أعلنت الوزارة أن المشروع اكتمل."}\n', encoding="utf-8")
    db = str(tmp_path / "kb.db")
    code, _, err = invoke("ingest", str(src), "--db", db, "-q")
    assert code == 1
    assert "skipped" in err and "broken JSON" in err and "empty text" in err
    assert counts(Path(db))["articles"] == 2
    code, _, err = invoke("ingest", str(src), "--db", db)
    assert code == 1 and "0 stored, 2 already stored, 2 skipped" in err


def test_seed_and_dev_twice_same_counts(tmp_path: Path) -> None:
    dev = shared_path("gold", "dev.jsonl")
    db = str(tmp_path / "kb.db")
    assert invoke("ingest", str(SEED_TEXT), str(dev), "--db", db, "-q")[0] == 0
    first = counts(Path(db))
    assert first["articles"] == 21
    code, _, err = invoke("ingest", str(SEED_TEXT), str(dev), "--db", db)
    assert code == 0 and "0 stored, 21 already stored" in err
    assert counts(Path(db)) == first


def test_workers_give_the_same_knowledge_base(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    synthetic_corpus(src, 40, 5)
    dumps = []
    for workers in ("1", "2"):
        db = tmp_path / f"kb{workers}.db"
        code, _, err = invoke("ingest", str(src), "--db", str(db), "-q", "--workers", workers)
        assert code == 0, err
        c = sqlite3.connect(db)
        dumps.append(c.execute("SELECT id, hash, analysis FROM articles ORDER BY rowid").fetchall())
        c.close()
    assert dumps[0] == dumps[1] and len(dumps[0]) == 40


# -- kill -9 in the middle --------------------------------------------------------------
WORDS = ("قال أعلن الوزير الحكومة الاجتماع المهاجرين ليبيا موسكو برلين الاتفاق النفط الأمن المجلس "
         "الرئيس العام الماضي مليون دولار المنطقة الدولية مصدر مسؤول اليوم أمس القوات السلام").split()


def synthetic_corpus(path: Path, n: int, dups: int) -> int:
    """n articles of random Arabic words plus ``dups`` exact repeats under other ids; returns the unique count."""
    rng = random.Random(4)
    texts = [" ".join(rng.choice(WORDS) for _ in range(80)) + f" ({i})." for i in range(n)]
    rows = [{"id": f"a{i}", "text": t} for i, t in enumerate(texts)]
    rows += [{"id": f"dup{i}", "text": texts[rng.randrange(n)]} for i in range(dups)]
    rng.shuffle(rows)
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return n


def kill_midway_then_finish(src: Path, db: Path, unique: int, batch: int, kill_after: int) -> None:
    cmd = [sys.executable, "-m", "khabar.cli.main", "ingest", str(src), "--db", str(db), "--quiet",
           "--batch-size", str(batch)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stored = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = c.execute("SELECT count(*) FROM articles").fetchone()[0]
                    c.close()
                except sqlite3.OperationalError:
                    stored = 0  # schema not created yet
            if stored >= kill_after:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "ingest finished before it could be killed: make the corpus larger"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after_kill = counts(db)
    assert kill_after <= after_kill["articles"] < unique
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every stored article is complete: its FTS row is there
    assert after_kill["articles_fts_docsize"] == after_kill["articles"]
    c.close()

    rerun = subprocess.run(cmd[:-2] + ["--batch-size", "50"], capture_output=True, text=True, env=env, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    final = counts(db)
    assert final["articles"] == unique
    assert final["articles_fts_docsize"] == unique
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(DISTINCT hash) FROM articles").fetchone()[0] == unique
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a third run is a no-op
    third = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert third.returncode == 0 and counts(db) == final


@pytest.mark.slow
def test_kill_minus_9_synthetic(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    unique = synthetic_corpus(src, 3000, 200)
    kill_midway_then_finish(src, tmp_path / "kb.db", unique, batch=20, kill_after=100)


@pytest.mark.slow
@pytest.mark.shared
def test_kill_minus_9_saudinewsnet(tmp_path: Path) -> None:
    corpus = shared_path("corpora", "saudinewsnet", "articles.jsonl.gz")
    src = tmp_path / "slice.jsonl"
    texts: set[str] = set()
    with gzip.open(corpus, "rt", encoding="utf-8") as fin, open(src, "w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i == 250:  # enough to kill mid-way; CI time matters more than size here
                break
            fout.write(line)
            t = json.loads(line)["text"]
            if t.strip():
                texts.add(t.replace("\r\n", "\n").strip())
    kill_midway_then_finish(src, tmp_path / "kb.db", len(texts), batch=10, kill_after=20)
