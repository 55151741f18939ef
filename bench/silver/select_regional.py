"""Draw the passages of the multi-outlet silver quotation set (``bench/silver/regional_quotes.jsonl``).

The passages are not stored in the repository: each record names its corpus file, article and
character range, with the SHA-1 of the text. This script draws them again, deterministically,
from ``../shared/corpora`` and writes them (with their text) to a work folder, in batches that
annotators read one at a time.

    .venv/bin/python bench/silver/select_regional.py --out /tmp/regional-silver

Selection: for every outlet, articles with reported speech (at least three reporting cues or
quotation marks, counted with a deliberately broad pattern that is not khabar's cue lexicon, so
that the passages do not favour what khabar already finds) are drawn at random with a fixed
seed, leaving out the articles of ``../shared/gold/dev-regions.jsonl`` and ``dev.jsonl``. From
each article one stretch of whole paragraphs (or sentences, for corpora that lost their
paragraph breaks) of 600 to 2,000 characters is cut, starting at the paragraph or sentence with
the first reporting cue.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED = 20261208

# outlet label in the corpus -> (corpus file, passages drawn)
OUTLETS: dict[str, tuple[str, int]] = {
    "Jawhara FM": ("regional/ant_jawharafm.jsonl.gz", 36),
    "Hespress": ("regional/hespress_2022.jsonl.gz", 36),
    "Febrayer (febrayer.com)": ("regional/moroccan_news_corpus.jsonl.gz", 36),
    "Yabiladi (ar.yabiladi.com)": ("regional/moroccan_news_corpus.jsonl.gz", 12),
    "Ahdath.info (Al Ahdath Al Maghribia)": ("regional/ahdath_info.jsonl.gz", 36),
    "Al Mayadeen": ("regional/almayadeen.jsonl.gz", 36),
    "Al Jazeera (aljazeera.net)": ("regional/aljazeera_2022.jsonl.gz", 36),
    "BBC Arabic": ("regional/ant_multisource.jsonl.gz", 36),
    "Al Arabiya": ("regional/ant_multisource.jsonl.gz", 36),
    "Sky News Arabia": ("regional/ant_multisource.jsonl.gz", 36),
    "CNN Arabic": ("regional/ant_multisource.jsonl.gz", 36),
    "France 24 Arabic": ("regional/ant_multisource.jsonl.gz", 36),
    "saudinewsnet": ("saudinewsnet/articles.jsonl.gz", 48),
}

# Broad on purpose: any common verb of saying, attribution preposition or quotation mark.
_CUE = re.compile(
    r"(?:^|[\s«\"(])(?:و|ف)?(?:قال|قالت|أكد|اكد|أضاف|اضاف|أوضح|اوضح|أشار|اشار|صرح|أفاد|افاد|أعلن|"
    r"اعلن|ذكر|كشف|شدد|لفت|اعتبر|رأى|يرى|ترى|نقل|بحسب|حسب|وفق|أبرز|ابرز|تابع|قائلا|قائلة|مضيفا|"
    r"مشيرا|مؤكدا|موضحا|يقول|تقول|يضيف|تضيف)"
    r"|[«\"”“]|''"
)
_SENT_END = re.compile(r"[.!?؟]\s+")


def _units(text: str) -> list[tuple[int, int]]:
    """Paragraphs, or sentences when the corpus lost its paragraph breaks."""
    paras = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    if len(paras) >= 3:
        return paras
    units = []
    for s, e in paras:
        start = s
        for m in _SENT_END.finditer(text, s, e):
            units.append((start, m.start() + 1))
            start = m.end()
        if start < e:
            units.append((start, e))
    return units


def cut_passage(text: str, lo: int = 600, hi: int = 2000) -> tuple[int, int] | None:
    units = _units(text)
    first = next((i for i, (s, e) in enumerate(units) if _CUE.search(text, s, e)), None)
    if first is None:
        return None
    # start a unit or two before the first cue, so that the speaker's introduction is in
    for back in (2, 1, 0):
        i = max(0, first - back)
        start = units[i][0]
        end = start
        j = i
        while j < len(units) and units[j][1] - start <= hi:
            end = units[j][1]
            j += 1
        if end - start >= lo:
            return start, end
    return None


def _articles(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _excluded() -> set[str]:
    ids = set()
    for name in ("dev-regions.jsonl", "dev.jsonl"):
        p = SHARED / "gold" / name
        if p.exists():
            for line in p.open(encoding="utf-8"):
                src = json.loads(line)["source"]
                ids.add(src.split("#", 1)[1] if "#" in src else src.split(":", 1)[1])
    silver = ROOT / "bench" / "silver" / "entities.jsonl"
    for line in silver.open(encoding="utf-8"):
        ids.add(json.loads(line)["source"].split(":", 1)[1])
    return ids


def select() -> list[dict]:
    excluded = _excluded()
    out: list[dict] = []
    for outlet, (rel, n) in OUTLETS.items():
        pool = []
        for art in _articles(SHARED / "corpora" / rel):
            label = art.get("outlet", "saudinewsnet") if outlet != "saudinewsnet" else "saudinewsnet"
            if label != outlet or art["id"] in excluded:
                continue
            text = art["text"]
            if len(_CUE.findall(text)) < 3:
                continue
            pool.append(art)
        rng = random.Random(f"{SEED}:{outlet}")
        rng.shuffle(pool)
        got = 0
        for art in pool:
            span = cut_passage(art["text"])
            if span is None:
                continue
            s, e = span
            passage = art["text"][s:e]
            if len(_CUE.findall(passage)) < 3:
                continue
            out.append(
                {
                    "corpus": rel,
                    "article": art["id"],
                    "outlet": art.get("source") if outlet == "saudinewsnet" else outlet,
                    "country": art.get("country", "Saudi Arabia"),
                    "date": art.get("date") or art.get("date_extracted", "")[:10],
                    "start": s,
                    "end": e,
                    "text_sha1": hashlib.sha1(passage.encode("utf-8")).hexdigest(),
                    "text": passage,
                }
            )
            got += 1
            if got == n:
                break
    rng = random.Random(SEED)
    rng.shuffle(out)
    for i, rec in enumerate(out, 1):
        rec["id"] = f"q{i:03d}"
        # one passage in five is the held-out part: annotated twice, never read for tuning
        rec["part"] = "rtest" if i % 5 == 0 else "rtrain"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="work folder for the passage batches")
    ap.add_argument("--batch", type=int, default=8, help="passages per batch file")
    args = ap.parse_args(argv)
    if not (SHARED / "corpora").is_dir():
        print(f"error: {SHARED / 'corpora'} not found", file=sys.stderr)
        return 2
    recs = select()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "passages.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8"
    )
    for b in range(0, len(recs), args.batch):
        batch = recs[b : b + args.batch]
        name = args.out / f"batch{b // args.batch + 1:02d}.jsonl"
        name.write_text(
            "".join(
                json.dumps({"id": r["id"], "outlet": r["outlet"], "country": r["country"], "text": r["text"]},
                           ensure_ascii=False) + "\n"
                for r in batch
            ),
            encoding="utf-8",
        )
    print(f"{len(recs)} passages in {(len(recs) + args.batch - 1) // args.batch} batches under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
