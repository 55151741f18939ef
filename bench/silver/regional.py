"""The multi-outlet silver quotation set: rebuild its passages from ``../shared/corpora``.

``bench/silver/regional_quotes.jsonl`` holds no article text. Each record names a corpus file,
an article id and a character range, with the SHA-1 of the passage; the quotes and cues are
character offsets into the rebuilt passage, the speakers are names (see ``bench/silver/README.md``).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGIONAL = HERE / "regional_quotes.jsonl"
REGIONAL_B = HERE / "regional_quotes_b.jsonl"  # the second, independent pass over the rtest part


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _articles(shared: Path, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    texts: dict[tuple[str, str], str] = {}
    for corpus, ids in wanted.items():
        with gzip.open(shared / "corpora" / corpus, "rt", encoding="utf-8") as fh:
            for line in fh:
                # the id is the first key of every line: skip the JSON decoding of unwanted articles
                head = line[:200]
                if not any(f'"{i}"' in head for i in ids):
                    continue
                a = json.loads(line)
                if a["id"] in ids:
                    texts[(corpus, a["id"])] = a["text"]
    return texts


def load(shared: Path, path: Path = REGIONAL) -> list[dict]:
    """Gold-schema documents (``text`` and string ``quotes``) with ``outlet``, ``country``, ``part``."""
    if not path.exists():
        return []
    recs = _records(path)
    wanted: dict[str, set[str]] = defaultdict(set)
    for r in recs:
        wanted[r["corpus"]].add(r["article"])
    texts = _articles(shared, wanted)
    out = []
    for r in recs:
        art = texts.get((r["corpus"], r["article"]))
        if art is None:
            raise SystemExit(f"error: article {r['article']} is not in {r['corpus']}")
        t = art[r["start"]:r["end"]]
        if hashlib.sha1(t.encode("utf-8")).hexdigest() != r["text_sha1"]:
            raise SystemExit(f"error: passage {r['id']} does not match its checksum (a different corpus?)")
        quotes = [{"quote": t[q["start"]:q["end"]], "cue": t[q["cue_start"]:q["cue_end"]], "speaker": q["speaker"],
                   "speaker_type": q["speaker_type"], "kind": q["kind"],
                   "start": q["start"], "end": q["end"], "cue_start": q["cue_start"], "cue_end": q["cue_end"]}
                  for q in r["quotes"]]
        out.append({"id": r["id"], "part": r["part"], "outlet": r["outlet"], "country": r["country"],
                    "source": f"{r['corpus']}#{r['article']}", "text": t, "quotes": quotes, "entities": []})
    return out


def agreement(shared: Path) -> dict:
    """How far the two independent passes over the ``rtest`` part agree, scored as khabar is
    scored: pass A as the reference, pass B as the prediction (``../shared/eval/score.py``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("khabar_gold_score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    b = {d["id"]: d for d in load(shared, REGIONAL_B)}
    a = [d for d in load(shared) if d["id"] in b]
    preds = {i: {"quotes": [{"text": q["quote"], "speaker": q["speaker"]} for q in d["quotes"]], "entities": []}
             for i, d in b.items()}
    r = score.score(a, preds)
    return {"passages": len(a), "quotes_a": sum(len(d["quotes"]) for d in a),
            "quotes_b": sum(len(d["quotes"]) for d in b.values()), "quote_f1": r["quotes"]["f1"],
            "speakers": r["speaker_accuracy_on_matched"], "attributed_f1": r["attributed"]["f1"]}


if __name__ == "__main__":
    import sys

    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1].parent / "shared"
    print(json.dumps(agreement(shared_dir), indent=1))
