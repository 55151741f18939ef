"""The held-out entity annotations of bench/silver: well-formed here, and anchored in the corpus
when ../shared is present."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECORDS = [json.loads(line) for line in (ROOT / "bench" / "silver" / "entities.jsonl").read_text(encoding="utf-8").splitlines()]


def test_records_are_well_formed() -> None:
    assert len(RECORDS) == 200 and len({r["id"] for r in RECORDS}) == 200
    assert {r["part"] for r in RECORDS} == {"tune", "check", "fresh", "fresh2", "heldout", "heldout2"}
    for r in RECORDS:
        assert r["source"].startswith("saudinewsnet:") and 0 <= r["start"] < r["end"]
        for e in r["entities"]:
            assert e["type"] in ("PER", "ORG", "LOC") and e["name"] in e["mentions"]


@pytest.mark.skipif(not (SHARED / "corpora" / "saudinewsnet" / "articles.jsonl.gz").exists(),
                    reason="../shared/corpora/saudinewsnet is absent (CI has it)")
def test_passages_rebuild_from_the_corpus_and_hold_every_mention() -> None:
    spec = importlib.util.spec_from_file_location("score_silver", ROOT / "bench" / "score_silver.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    docs = mod.load(SHARED)  # checks each passage's SHA-1
    assert len(docs) == 200
    for d in docs:
        for e in d["entities"]:
            assert all(m in d["text"] for m in e["mentions"]), (d["id"], e["name"])
    quoted = mod.with_quotes(docs)
    assert len(quoted) == 112 and sum(len(d["quotes"]) for d in quoted) == 168
    for d in quoted:
        for q in d["quotes"]:
            assert q["quote"].strip() and q["cue"].strip() and q["kind"] in ("direct", "indirect")
            assert q["speaker"] is None or q["speaker"] in d["text"]
