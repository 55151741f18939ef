"""Train the speaker ranker (``src/khabar/extract/models/speaker_ranker.json``) on silver quotations.

    .venv/bin/python bench/train_speakers.py [--shared ../shared] [--cv] [--out PATH]

Training data (never the seed, ``dev-regions.jsonl``, or a held-out part):
- ``bench/silver/regional_quotes.jsonl``, part ``rtrain``: passages of 12 outlets in Tunisia,
  Morocco, Lebanon, Qatar, the UK, the UAE, France and Saudi Arabia (see ``bench/silver/README.md``);
- ``bench/silver/quotes.jsonl``, parts ``tune``, ``check`` and ``fresh2`` (SaudiNewsNet);
- ``../shared/gold/dev.jsonl`` (SaudiNewsNet, the development gold).

For every quotation that khabar's frames find (matched to the annotation as
``../shared/eval/score.py`` matches them), the rules generate candidate speakers with features
(:mod:`khabar.extract.speaker_ranker`); the candidates that ``score.py`` would count right are the
positives. A conditional log-linear model (softmax over the candidates of a quotation, L2
penalty) is fitted by full-batch gradient descent with NumPy. ``--cv`` first prints a
leave-one-country-out estimate on the regional part: speaker accuracy of the rules and of the
ranker on the quotations of a country the model did not see.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "silver"))

import regional  # noqa: E402
import score_silver  # noqa: E402

L2 = 1.0
ITERATIONS = 400


def training_docs(shared: Path) -> list[dict]:
    docs = [{**d, "group": d["country"].split(" (")[0].split(" /")[0]}
            for d in regional.load(shared) if d["part"] == "rtrain"]
    for d in score_silver.with_quotes(score_silver.load(shared)):
        if d["part"] in ("tune", "check", "fresh2"):
            docs.append({**d, "group": "Saudi Arabia"})
    for line in (shared / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            docs.append({**json.loads(line), "group": "Saudi Arabia"})
    return docs


def examples(docs: list[dict], score) -> list[dict]:  # type: ignore[no-untyped-def]
    """One example per matched quotation: its options' features and which are right."""
    from khabar.extract.quotes import speaker_options
    from khabar.pipeline import Pipeline

    pipe = Pipeline(("segment", "tokenize", "figures", "dates", "entities"))
    out = []
    for d in docs:
        doc = pipe.analyze(d["text"], d["id"])
        frames, resolved, options = speaker_options(doc, ranker=False)
        pred = [{"text": doc.text[f.start:f.end]} for f in frames]
        for gi, pj in score.match_quotes(d["quotes"], pred):
            gold_sp = d["quotes"][gi]["speaker"]
            opts = options[pj]
            right = [score.speaker_right(gold_sp, o.name) for o in opts]
            rule = next(i for i, o in enumerate(opts) if "from=rule" in o.features)
            out.append({"group": d["group"], "feats": [o.features for o in opts], "right": right, "rule": rule})
    return out


def fit(exs: list[dict], l2: float = L2, iterations: int = ITERATIONS) -> dict[str, float]:
    exs = [e for e in exs if any(e["right"])]
    names = sorted({k for e in exs for f in e["feats"] for k in f})
    index = {k: i for i, k in enumerate(names)}
    rows, cols, vals, group, pos = [], [], [], [], []
    r = 0
    for q, e in enumerate(exs):
        for f, ok in zip(e["feats"], e["right"]):
            for k, v in f.items():
                rows.append(r)
                cols.append(index[k])
                vals.append(v)
            group.append(q)
            pos.append(1.0 if ok else 0.0)
            r += 1
    X = np.zeros((r, len(names)))  # a few thousand options by a few hundred features: dense is fine
    X[rows, cols] = vals
    g = np.array(group)
    y = np.array(pos)
    n_q = len(exs)
    w = np.zeros(len(names))
    # Adam on the negative log-likelihood of the right options (their summed probability)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, iterations + 1):
        s = X @ w
        mx = np.full(n_q, -np.inf)
        np.maximum.at(mx, g, s)
        es = np.exp(s - mx[g])
        z = np.zeros(n_q)
        np.add.at(z, g, es)
        zp = np.zeros(n_q)
        np.add.at(zp, g, es * y)
        p_all = es / z[g]
        p_pos = es * y / zp[g]
        grad = X.T @ (p_all - p_pos) / n_q + l2 * w / n_q
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
    return {k: round(float(w[i]), 4) for k, i in index.items() if abs(w[i]) >= 1e-4}


def accuracy(exs: list[dict], weights: dict[str, float] | None) -> float:
    right = 0
    for e in exs:
        if weights is None:
            i = e["rule"]
        else:
            scores = [sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in e["feats"]]
            i = int(np.argmax(scores))
        right += e["right"][i]
    return right / len(exs) if exs else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cv", action="store_true", help="print a leave-one-country-out estimate first")
    ap.add_argument("--l2", type=float, default=L2, help=f"L2 penalty (default {L2})")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "khabar" / "extract" / "models" / "speaker_ranker.json")
    args = ap.parse_args(argv)
    if not (args.shared / "corpora").is_dir():
        print(f"error: no corpora under {args.shared}: pass --shared", file=sys.stderr)
        return 2
    score = score_silver.scorer(args.shared)
    docs = training_docs(args.shared)
    exs = examples(docs, score)
    oracle = sum(any(e["right"]) for e in exs) / len(exs)
    print(f"{len(docs)} passages, {len(exs)} matched quotations; a right candidate among the options "
          f"for {oracle:.3f}", file=sys.stderr)
    if args.cv:
        by: dict[str, list[dict]] = defaultdict(list)
        for e in exs:
            by[e["group"]].append(e)
        tot_rule = tot_rank = n = 0.0
        for grp, test in sorted(by.items()):
            w = fit([e for e in exs if e["group"] != grp], args.l2)
            a_rule, a_rank = accuracy(test, None), accuracy(test, w)
            tot_rule += a_rule * len(test)
            tot_rank += a_rank * len(test)
            n += len(test)
            print(f"  held-out {grp:22} {len(test):4d} quotes  speakers: rules {a_rule:.3f}  ranker {a_rank:.3f}",
                  file=sys.stderr)
        print(f"  all countries              {int(n):4d} quotes  speakers: rules {tot_rule / n:.3f}  "
              f"ranker {tot_rank / n:.3f}", file=sys.stderr)
    w = fit(exs, args.l2)
    print(f"training accuracy: rules {accuracy(exs, None):.3f}, ranker {accuracy(exs, w):.3f}; "
          f"{len(w)} weights", file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "version": f"speaker-ranker trained at commit {commit or 'unknown'}",
        "data": {"passages": len(docs), "quotations": len(exs)},
        "l2": args.l2, "iterations": ITERATIONS,
        "weights": dict(sorted(w.items())),
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
