"""Quotation, speaker, attribution and entity figures per set, region and outlet.

    .venv/bin/python bench/score_regions.py [--shared ../shared] [--by country|outlet|both] [--markdown]
                                            [--sets seed,dev,dev-regions,silver-saudi,silver-regional]

A rule that only holds on one country's papers shows up here as a row far below the others.
Every figure comes from ``../shared/eval/score.py`` on the documents of the row:

- ``seed``: the seed article (``../shared/gold/seed.json``);
- ``dev``: ``../shared/gold/dev.jsonl`` (SaudiNewsNet);
- ``dev-regions``: ``../shared/gold/dev-regions.jsonl``, per country and per outlet;
- ``silver-saudi``: the SaudiNewsNet passages of ``bench/silver/quotes.jsonl`` (quotes only);
- ``silver-regional``: ``bench/silver/regional_quotes.jsonl``, per part (``rtrain`` is what the
  speaker model learns from, ``rtest`` is held out), country and outlet (quotes only).

Entity F1 is printed only where the set annotates entities.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "silver"))

import regional  # noqa: E402
import score_silver  # noqa: E402

SETS = ("seed", "dev", "dev-regions", "silver-saudi", "silver-regional")


def _short_country(c: str) -> str:
    return c.split(" (")[0].split(" /")[0]


def _load_set(name: str, shared: Path) -> list[dict]:
    gold = shared / "gold"
    if name == "seed":
        d = json.loads((gold / "seed.json").read_text(encoding="utf-8"))
        return [{**d, "id": d.get("id", "seed"), "country": "Libya (Maghrebi press)", "outlet": "seed"}]
    if name == "dev":
        return [{**json.loads(line), "country": "Saudi Arabia", "outlet": "SaudiNewsNet"}
                for line in (gold / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "dev-regions":
        return [json.loads(line) for line in (gold / "dev-regions.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    if name == "silver-saudi":
        docs = score_silver.with_quotes(score_silver.load(shared))
        return [{**d, "entities": None, "country": "Saudi Arabia", "outlet": "SaudiNewsNet",
                 "part": d["part"]} for d in docs]
    if name == "silver-regional":
        return [{**d, "entities": None} for d in regional.load(shared)]
    raise ValueError(name)


def _row(score, label: str, docs: list[dict], preds: dict[str, dict]) -> dict:  # type: ignore[no-untyped-def]
    with_entities = all(d.get("entities") is not None for d in docs)
    gold = [{**d, "entities": d.get("entities") or []} for d in docs]
    r = score.score(gold, preds)
    q, a = r["quotes"], r["attributed"]
    return {"row": label, "docs": len(docs), "quotes": sum(len(d["quotes"]) for d in docs),
            "quote_f1": q["f1"], "speakers": r["speaker_accuracy_on_matched"], "attributed_f1": a["f1"],
            "entity_f1": r["entities"]["f1"] if with_entities else None}


def rows(shared: Path, sets: list[str], by: str) -> list[dict]:
    from khabar.pipeline import analyze_record

    score = score_silver.scorer(shared)
    out = []
    for name in sets:
        docs = _load_set(name, shared)
        if not docs:
            continue
        preds = {d["id"]: analyze_record({"id": d["id"], "text": d["text"], "date": d.get("date", "")}) for d in docs}
        out.append(_row(score, f"{name}", docs, preds))
        groups: dict[str, list[dict]] = defaultdict(list)
        for d in docs:
            keys = []
            if name in ("silver-regional", "silver-saudi"):
                keys.append(f"part {d['part']}")
            if by in ("country", "both") and name in ("dev-regions", "silver-regional"):
                keys.append(_short_country(d["country"]))
            if by in ("outlet", "both") and name in ("dev-regions", "silver-regional"):
                keys.append("outlet " + d["outlet"].split(" (")[0])
            for k in keys:
                groups[k].append(d)
        for k in sorted(groups, key=lambda k: (not k.startswith("part"), k.startswith("outlet"), k)):
            out.append(_row(score, f"  {k}", groups[k], preds))
    return out


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated, from: " + ", ".join(SETS))
    ap.add_argument("--by", choices=("country", "outlet", "both"), default="both")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    args = ap.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    bad = [s for s in sets if s not in SETS]
    if bad:
        ap.error(f"unknown set(s): {', '.join(bad)}")
    if not (args.shared / "gold").is_dir():
        print(f"error: no gold sets under {args.shared}: pass --shared", file=sys.stderr)
        return 2
    table = rows(args.shared, sets, args.by)
    head = ("set / group", "docs", "quotes", "quote F1", "speakers", "attributed F1", "entity F1")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for r in table:
            label = r["row"].strip() if not r["row"].startswith("  ") else "↳ " + r["row"].strip()
            print(f"| {label} | {r['docs']} | {r['quotes']} | {_fmt(r['quote_f1'])} | {_fmt(r['speakers'])} | "
                  f"**{_fmt(r['attributed_f1'])}** | {_fmt(r['entity_f1'])} |")
    else:
        print(f"{head[0]:34} {head[1]:>5} {head[2]:>6} {head[3]:>9} {head[4]:>9} {head[5]:>14} {head[6]:>10}")
        for r in table:
            print(f"{r['row'][:34]:34} {r['docs']:5d} {r['quotes']:6d} {_fmt(r['quote_f1']):>9} {_fmt(r['speakers']):>9}"
                  f" {_fmt(r['attributed_f1']):>14} {_fmt(r['entity_f1']):>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
