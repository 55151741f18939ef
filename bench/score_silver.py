"""Entity F1 (and quotation scores) of ``khabar extract`` on held-out SaudiNewsNet passages
annotated by the team.

    .venv/bin/python bench/score_silver.py [--shared ../shared] [--part PART] [--errors]
    .venv/bin/python bench/score_silver.py --quotes [--errors]

``../shared/gold/dev.jsonl`` is the only gold the project was given, and the article layer's
rules were tuned on it, so its score says little about news the rules have not seen. This set
(``bench/silver/entities.jsonl``, see ``bench/silver/README.md``) holds entity annotations of
200 more passages, made by the team's assistant agents under the same conventions
(``../shared/gold/README.md``) without looking at khabar's output. The passages themselves are not copied here: each record names its
article and character range in ``../shared/corpora/saudinewsnet/articles.jsonl.gz`` and the
SHA-1 of the passage, and the script rebuilds them, runs the pipeline and scores with
``../shared/eval/score.py``, per part and in all. ``--quotes`` scores the quotations, speakers
and attributed quotes of the 72 passages whose reported speech was annotated too
(``bench/silver/quotes.jsonl``: character offsets into the rebuilt passages).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "bench" / "silver" / "entities.jsonl"
QUOTES = ROOT / "bench" / "silver" / "quotes.jsonl"


def load(shared: Path) -> list[dict]:
    """The annotated records with their passage text rebuilt from the corpus."""
    records = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {r["source"].split(":", 1)[1] for r in records}
    texts: dict[str, str] = {}
    with gzip.open(shared / "corpora" / "saudinewsnet" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            if a["id"] in wanted:
                texts[a["id"]] = a["text"]
    out = []
    for r in records:
        art = texts.get(r["source"].split(":", 1)[1])
        if art is None:
            raise SystemExit(f"error: article {r['source']} is not in the corpus")
        text = art[r["start"]:r["end"]]
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != r["text_sha1"]:
            raise SystemExit(f"error: passage {r['id']} does not match its checksum (a different corpus?)")
        out.append({**r, "text": text, "quotes": []})
    return out


def with_quotes(docs: list[dict]) -> list[dict]:
    """The passages whose quotations were annotated, with the quote, cue and speaker strings."""
    by_id = {d["id"]: d for d in docs}
    out = []
    for line in QUOTES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        d = by_id[r["id"]]
        t = d["text"]
        quotes = [{"quote": t[q["start"]:q["end"]], "cue": t[q["cue_start"]:q["cue_end"]], "speaker": q["speaker"],
                   "speaker_type": q["speaker_type"], "kind": q["kind"]} for q in r["quotes"]]
        out.append({**d, "part": r["part"], "quotes": quotes})
    return out


def scorer(shared: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("khabar_gold_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: no scorer at {shared / 'eval' / 'score.py'}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--part", choices=("tune", "check", "fresh", "heldout", "fresh2", "heldout2"), help="score one part only")
    ap.add_argument("--errors", action="store_true", help="list the entities missed and the spurious ones")
    ap.add_argument("--quotes", action="store_true", help="score quotations and speakers instead of entities")
    args = ap.parse_args()
    if not (args.shared / "corpora" / "saudinewsnet" / "articles.jsonl.gz").exists():
        print(f"error: no SaudiNewsNet corpus under {args.shared}", file=sys.stderr)
        return 2

    from khabar.pipeline import analyze_record

    gold = load(args.shared)
    if args.quotes:
        return _score_quotes(scorer(args.shared), with_quotes(gold), args.errors)
    gold = [g for g in gold if args.part in (None, g["part"])]
    preds = {g["id"]: analyze_record({"id": g["id"], "text": g["text"]}) for g in gold}
    score = scorer(args.shared)
    parts = [args.part] if args.part else ["tune", "check", "fresh", "fresh2", "heldout", "heldout2", None]
    for part in parts:
        docs = [g for g in gold if part in (None, g["part"])]
        if not docs:
            continue
        r = score.score(docs, preds)
        e = r["entities"]
        by = " ".join(f"{t} {s['f1']:.3f}" for t, s in r["entities_by_type"].items())
        print(f"{part or 'all':6} {len(docs):3d} passages  entities P {e['precision']:.3f}  R {e['recall']:.3f}"
              f"  F1 {e['f1']:.3f}  ({by})")
    if args.errors:
        _errors(score, gold, preds)
    return 0


def _score_quotes(score, gold: list[dict], errors: bool) -> int:  # type: ignore[no-untyped-def]
    from khabar.pipeline import analyze_record

    preds = {g["id"]: analyze_record({"id": g["id"], "text": g["text"]}) for g in gold}
    for part in ("tune", "check", "fresh2", "heldout2", None):
        docs = [g for g in gold if part in (None, g["part"])]
        r = score.score(docs, preds, show_errors=100 if errors and part is None else 0)
        q, a = r["quotes"], r["attributed"]
        print(f"{part or 'all':6} {len(docs):3d} passages  quotes P {q['precision']:.3f}  R {q['recall']:.3f}"
              f"  F1 {q['f1']:.3f}  speakers {r['speaker_accuracy_on_matched']:.3f}  attributed F1 {a['f1']:.3f}")
        for line in r.get("errors", []):
            print("  " + line)
    return 0


def _errors(score, gold: list[dict], preds: dict[str, dict]) -> None:  # type: ignore[no-untyped-def]
    for g in gold:
        gf = [(score._TYPE[e["type"]], score._entity_forms(e), e["name"]) for e in g["entities"]]
        pe = [e for e in preds[g["id"]].get("entities") or [] if score._TYPE.get(str(e.get("type", "")).upper())]
        pf = [(score._TYPE[str(e["type"]).upper()], score._entity_forms(e), e["name"]) for e in pe]
        used: set[int] = set()
        hit: set[int] = set()
        for i, (gt, gs, _) in enumerate(gf):
            for j, (pt, ps, _) in enumerate(pf):
                if j not in used and pt == gt and gs & ps:
                    used.add(j)
                    hit.add(i)
                    break
        for i, (gt, _, name) in enumerate(gf):
            if i not in hit:
                print(f"{g['id']} missed   {gt} {name}")
        for j, (pt, _, name) in enumerate(pf):
            if j not in used:
                print(f"{g['id']} spurious {pt} {name}")


if __name__ == "__main__":
    sys.exit(main())
