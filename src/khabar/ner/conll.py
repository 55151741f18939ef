"""CoNLL reading and entity-level scoring with conlleval/seqeval (default mode) semantics."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError

Sentence = tuple[list[str], list[str]]

# Noisy tags of the corpora mapped to the four CoNLL types (AQMAR MIS0..MIS3 are MISC).
_TYPE_FIX = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "MIS": "MISC",
             "GPE": "LOC"}


def fix_tag(tag: str) -> str:
    t = tag.strip()
    if t.upper() in ("O", "OO", "IO", ""):
        return "O"
    bio, _, typ = t.partition("-")
    bio = bio.upper()
    typ = typ.strip("-").upper()
    if typ.startswith("MIS"):
        typ = "MISC"
    typ = _TYPE_FIX.get(typ, "")
    if bio not in ("B", "I") or not typ:
        return "O"
    return f"{bio}-{typ}"


def read_conll(path: Path, limit: int | None = None) -> list[Sentence]:
    """Sentences of a 2-column file (``token TAG``, space or TAB; WikiANN's ``ar:`` prefix is
    dropped; for nested files the first tag is kept). Blank lines separate sentences."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read CoNLL file {path}: {e}", "give a UTF-8 'token TAG' file") from None
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            if toks:
                out.append((toks, tags))
                toks, tags = [], []
                if limit is not None and len(out) >= limit:
                    return out
            continue
        tok = parts[0][3:] if parts[0].startswith("ar:") and len(parts[0]) > 3 else parts[0]
        toks.append(tok.replace("\u200f", ""))
        tags.append(fix_tag(parts[1]) if len(parts) > 1 else "O")
    if toks:
        out.append((toks, tags))
    return out


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) spans from IOB tags, conlleval semantics: an I- after O or after another
    type starts a new entity; a B- always does."""
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    typ: str | None = None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if start is not None and typ is not None:
                out.append((start, i, typ))
            start, typ = (i, t[2:]) if t != "O" else (None, None)
    return out


@dataclass
class Scores:
    tp: Counter
    pred: Counter
    gold: Counter

    def prf(self, typ: str | None = None) -> tuple[float, float, float]:
        tp = sum(self.tp.values()) if typ is None else self.tp[typ]
        p_n = sum(self.pred.values()) if typ is None else self.pred[typ]
        g_n = sum(self.gold.values()) if typ is None else self.gold[typ]
        p = tp / p_n if p_n else 0.0
        r = tp / g_n if g_n else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def report(self) -> str:
        lines = [f"{'type':<6} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}"]
        for t in sorted(set(self.gold) | set(self.pred)):
            p, r, f = self.prf(t)
            lines.append(f"{t:<6} {p:>9.4f} {r:>7.4f} {f:>7.4f} {self.gold[t]:>8}")
        p, r, f = self.prf()
        lines.append(f"{'micro':<6} {p:>9.4f} {r:>7.4f} {f:>7.4f} {sum(self.gold.values()):>8}")
        lines.append(f"micro F1 {f:.4f}")
        return "\n".join(lines)


def score(gold: list[list[str]], pred: list[list[str]]) -> Scores:
    tp: Counter = Counter()
    pn: Counter = Counter()
    gn: Counter = Counter()
    for g, p in zip(gold, pred):
        gs = set(spans_from_tags(g))
        ps = set(spans_from_tags(p))
        for s in gs:
            gn[s[2]] += 1
        for s in ps:
            pn[s[2]] += 1
            if s in gs:
                tp[s[2]] += 1
    return Scores(tp, pn, gn)
