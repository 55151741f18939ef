"""Turn annotated batches (gold schema, strings) into ``regional_quotes.jsonl`` (offsets and hashes).

    .venv/bin/python bench/silver/store_regional.py --work /tmp/regional-silver --pass passA \\
        --out bench/silver/regional_quotes.jsonl [--only-part rtest]

``--work`` is the folder written by ``select_regional.py`` (``passages.jsonl``) with one
sub-folder of annotated batches per pass. Every quote and cue string is located in its passage:
a quote at its first occurrence not yet taken, a cue at the occurrence nearest to the quote.
A string that does not occur stops the script: the annotation is fixed, not dropped.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _locate(text: str, s: str, taken: set[int]) -> int:
    i = text.find(s)
    while i >= 0 and i in taken:
        i = text.find(s, i + 1)
    if i < 0:
        i = text.find(s)
    return i


def _nearest(text: str, s: str, lo: int, hi: int) -> int:
    best, i = -1, text.find(s)
    while i >= 0:
        d = lo - (i + len(s)) if i < lo else (i - hi if i >= hi else 0)
        if best < 0 or abs(d) < abs(bd):
            best, bd = i, d
        i = text.find(s, i + 1)
    return best


def convert(passages: list[dict], annotations: dict[str, dict]) -> list[dict]:
    out = []
    for p in passages:
        a = annotations.get(p["id"])
        if a is None:
            continue
        t = p["text"]
        taken: set[int] = set()
        quotes = []
        for q in a["quotes"]:
            s = _locate(t, q["quote"], taken)
            if s < 0:
                raise SystemExit(f"error: {p['id']}: quote not in passage: {q['quote'][:60]!r}")
            taken.add(s)
            e = s + len(q["quote"])
            c = _nearest(t, q["cue"], s, e)
            if c < 0:
                raise SystemExit(f"error: {p['id']}: cue not in passage: {q['cue']!r}")
            if q["speaker"] is not None and q["speaker"] not in t:
                raise SystemExit(f"error: {p['id']}: speaker not in passage: {q['speaker']!r}")
            quotes.append({"start": s, "end": e, "cue_start": c, "cue_end": c + len(q["cue"]),
                           "speaker": q["speaker"], "speaker_type": q["speaker_type"], "kind": q["kind"]})
        quotes.sort(key=lambda q: q["start"])
        out.append({"id": p["id"], "part": p["part"], "corpus": p["corpus"], "article": p["article"],
                    "outlet": p["outlet"], "country": p["country"], "date": p["date"],
                    "start": p["start"], "end": p["end"], "text_sha1": p["text_sha1"], "quotes": quotes})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--pass", dest="pass_", default="passA", help="sub-folder of annotated batches")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only-part", help="keep only the passages of this part")
    args = ap.parse_args(argv)
    passages = [json.loads(line) for line in (args.work / "passages.jsonl").open(encoding="utf-8")]
    if args.only_part:
        passages = [p for p in passages if p["part"] == args.only_part]
    annotations: dict[str, dict] = {}
    for f in sorted((args.work / args.pass_).glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                annotations[d["id"]] = d
    recs = convert(passages, annotations)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    n = sum(len(r["quotes"]) for r in recs)
    print(f"{len(recs)} passages, {n} quotes -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
