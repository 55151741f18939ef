"""A learned speaker ranker over the candidates that the speaker rules generate.

The rules of :mod:`khabar.extract.speakers` pick one speaker per quotation. They were written on
Saudi papers and fail in ways that differ from outlet to outlet: a title taken for a name, a
time adjunct taken for the subject, the wrong antecedent of «وأضاف». Here the rules become the
generators of candidates and their features; a log-linear model trained on silver quotations of
many outlets and countries (``bench/silver/regional_quotes.jsonl``, ``bench/train_speakers.py``)
chooses among them.

Candidates of a quotation: the rules' own choice, the noun phrase after the cue, the subject of
the sentence, the subject before the verb, every person, organisation or place mentioned from
three sentences before the cue to the sentence after it (outside quotations), and the speakers
of the two quotations before. Features are sparse and named (``cand=entity``, ``sd=1``,
``rule``, ``pos=participle&sd=0`` …); the model is a weight per feature name, stored as JSON
(``models/speaker_ranker.json``) and scored with plain dictionaries: inference needs no numeric
library. Without the model file the rules' choice stands.
"""
from __future__ import annotations

import json
import math
import os
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from khabar.document import Entity
from khabar.extract.context import Cue, Frame, TokenContext
from khabar.extract.speakers import Candidate, SpeakerResolver, agrees
from khabar.text.normalize import fold

MODEL_PATH = Path(__file__).resolve().parent / "models" / "speaker_ranker.json"
_WINDOW_BEFORE = 3  # sentences before the cue's own
_WINDOW_AFTER = 1


@dataclass(slots=True)
class Option:
    """One candidate speaker of a quotation, with its features."""

    cand: Candidate | None  # None: the quotation has no speaker in the passage
    features: dict[str, float]

    @property
    def name(self) -> str | None:
        if self.cand is None:
            return None
        return self.cand.entity.name if self.cand.entity is not None else self.cand.name


def speaker_key(c: Candidate | None) -> str:
    """One key per speaker: its entity, or its folded name; «∅» for no speaker."""
    if c is None:
        return "∅"
    return "e:" + c.entity.id if c.entity is not None else "n:" + fold(c.name)


def _bucket(n: int) -> str:
    return str(n) if n < 3 else ("3-5" if n < 6 else ("6-11" if n < 12 else "12+"))


class OptionBuilder:
    """Candidates and features for each frame of one document."""

    def __init__(self, ctx: TokenContext, resolver: SpeakerResolver, cues: list[Cue]) -> None:
        self.ctx = ctx
        self.resolver = resolver
        # the first token of every cue, with its part of speech («بحسب» is a phrase, «قال» a verb)
        self.cue_pos = {c.start: c.form.pos for c in cues}
        # mentions (token index of their first token), outside quotations and marks, in text order;
        # and each entity's mention tokens, to count its mentions before a point by bisection
        self.first_tok: list[tuple[int, Entity]] = []
        self.mention_toks: dict[str, list[int]] = {}
        seen_at: set[tuple[str, int]] = set()
        for k, (e, m) in sorted(ctx.ent_at.items()):
            if e.type not in ("PER", "ORG", "LOC") or ctx.in_marks[k] or resolver._inside_quote(ctx.toks[k].start):
                continue
            if m.start >= ctx.toks[k].start and (e.id, m.start) not in seen_at:
                seen_at.add((e.id, m.start))
                self.first_tok.append((k, e))
                self.mention_toks.setdefault(e.id, []).append(k)
        self._first_tok_index = [k for k, _ in self.first_tok]

    def options(self, fr: Frame, rule: Candidate | None, rule_source: str,
                last_two: list[Candidate | None], spoke: set[str]) -> list[Option]:
        """``last_two``: the speakers of the two frames before (oldest first); ``spoke``: the keys
        (:func:`speaker_key`) of every speaker before."""
        ctx, res = self.ctx, self.resolver
        gender = fr.cue.form.gender
        pos = fr.cue.form.pos
        c0, c1 = fr.cue.start, fr.cue.end
        sent = ctx.sent_of[c0]
        gen: dict[str, tuple[Candidate | None, set[str]]] = {}

        def add(c: Candidate | None, origin: str) -> None:
            k = speaker_key(c)
            if k in gen:
                gen[k][1].add(origin)
            else:
                gen[k] = (c, {origin})

        add(rule, "rule")
        if rule_source in ("np", "subject", "preverbal"):
            add(rule, rule_source)  # the rule that chose it is evidence of its own
        if fr.np is not None and fr.np[1] > fr.np[0] and rule_source != "np":
            add(res.from_np(fr.np[0], fr.np[1], gender), "np")
        if rule_source != "subject":
            add(res.subject_of_sentence(c0, gender), "subject")
        if pos == "verb" and rule_source != "preverbal":
            add(res.preverbal_subject(c0, gender), "preverbal")
        lo_sent = max(0, sent - _WINDOW_BEFORE)
        hi_sent = min(len(ctx.sent_range) - 1, sent + _WINDOW_AFTER)
        lo, hi = ctx.sent_range[lo_sent][0], ctx.sent_range[hi_sent][1]
        nearest: dict[str, int] = {}
        for k, e in self.first_tok[bisect_left(self._first_tok_index, lo):bisect_left(self._first_tok_index, hi)]:
            if c0 <= k < c1:
                continue
            prev = nearest.get(e.id)
            if prev is None or abs(k - c0) < abs(prev - c0):
                nearest[e.id] = k
        for k in nearest.values():
            add(res._entity_candidate(k), "entity")
        for rank, c in enumerate(reversed(last_two)):
            if c is not None:
                add(c, f"prev{rank}")
        add(None, "none")
        out = []
        for key, (c, origins) in gen.items():
            f = self._features(c, origins, fr, pos, gender, sent, hi, rule_source)
            if key in spoke:
                f["spoke_before"] = 1.0
            out.append(Option(c, f))
        return out

    def _features(self, c: Candidate | None, origins: set[str], fr: Frame, pos: str, gender: str, sent: int,
                  hi: int, rule_source: str) -> dict[str, float]:
        ctx = self.ctx
        f: dict[str, float] = {"bias": 1.0, f"pos={pos}": 1.0}
        for o in origins:
            f[f"from={o}"] = 1.0
        if "rule" in origins:
            f[f"rule&src={rule_source}"] = 1.0
            f[f"rule&pos={pos}"] = 1.0
        if c is None:
            f["none"] = 1.0
            f[f"none&pos={pos}"] = 1.0
            return f
        f[f"type={c.type}"] = 1.0
        f[f"type={c.type}&pos={pos}"] = 1.0
        if c.role:
            f["role"] = 1.0
        if c.entity is None:
            f["no_entity"] = 1.0
        f["gender=" + ("agree" if agrees(gender, c.gender) and "?" not in (gender, c.gender) else
                       "unknown" if "?" in (gender, c.gender) else "clash")] = 1.0
        tok = min(max(c.tok, 0), ctx.n - 1)
        sd = sent - ctx.sent_of[tok]
        where = "after" if tok >= fr.cue.end else "before"
        sdl = f"sd={where}{min(abs(sd), 3)}"
        f[sdl] = 1.0
        f[f"{sdl}&pos={pos}"] = 1.0
        f[f"{sdl}&type={c.type}"] = 1.0
        dist = fr.cue.start - tok if where == "before" else tok - fr.cue.end
        f[f"tokdist={where}{_bucket(max(dist, 0))}"] = 1.0
        if where == "after" and dist <= 1:
            f["right_after_cue"] = 1.0
            f[f"right_after_cue&type={c.type}"] = 1.0
        if 0 < tok and ctx.fw.get(ctx.ft[tok - 1]) == "prep":
            f["after_prep"] = 1.0
        elif c.mention is not None and c.mention.start > ctx.toks[tok].start:
            f["after_prep"] = 1.0  # «لوزارة»: a proclitic preposition
        if tok == ctx.sent_range[ctx.sent_of[tok]][0]:
            f["sent_first"] = 1.0
        # what stands before the mention: a reporting verb («وقال X»), a title («الوزير X»)
        b = tok - 1
        while b >= 0 and self.resolver._is_title(ctx.ft[b]) and tok - b <= 4:
            f["title_before"] = 1.0
            b -= 1
        while b >= 0 and (self.resolver._head(ctx.ft[b]) is not None or ctx.toks[b].text in ("«", '"', "“")) \
                and tok - b <= 3:
            b -= 1  # «بحسب موقع "فوربس"», «وفق وكالة رويترز»
        if b >= 0 and b in self.resolver.cue_index:
            f["after_cue"] = 1.0
            f[f"after_cue&type={c.type}"] = 1.0
            other = self.cue_pos.get(b)
            if other is not None and other != "verb" and b != fr.cue.start:
                # the source of another attribution phrase: a medium that transmits this speaker's words
                f[f"after_other_phrase&pos={pos}"] = 1.0
        if fr.np is not None and fr.np[0] <= tok < fr.np[1]:
            f["in_frame_np"] = 1.0
        if c.entity is not None:
            n = bisect_left(self.mention_toks.get(c.entity.id, ()), hi)  # its mentions before the window's end
            f[f"mentions={_bucket(n)}"] = 1.0
            if c.entity.titles:
                f["titled"] = 1.0
            f[f"name_words={min(len(c.entity.name.split()), 4)}"] = 1.0
        else:
            f[f"name_words={min(len(c.name.split()), 4)}"] = 1.0
        if fr.np is None:
            f["frame_without_np"] = 1.0
            f[f"frame_without_np&type={c.type}"] = 1.0
        if fr.np_inherited:
            f["np_inherited"] = 1.0
        return f


@dataclass(slots=True)
class SpeakerRanker:
    weights: dict[str, float]
    version: str = ""

    def score(self, o: Option) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in o.features.items())

    def choose(self, options: list[Option]) -> tuple[Option, float]:
        """The best option and its probability among the options."""
        scores = [self.score(o) for o in options]
        top = max(scores)
        z = sum(math.exp(s - top) for s in scores)
        i = scores.index(top)
        return options[i], 1.0 / z

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpeakerRanker | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return cls({str(k): float(v) for k, v in data["weights"].items()}, str(data.get("version", "")))


@lru_cache(maxsize=1)
def default_ranker() -> SpeakerRanker | None:
    """The shipped ranker; ``KHABAR_SPEAKER_RANKER=off`` leaves the rules' choice (to compare the two)."""
    if os.environ.get("KHABAR_SPEAKER_RANKER", "").lower() in ("off", "0", "no"):
        return None
    return SpeakerRanker.load()
