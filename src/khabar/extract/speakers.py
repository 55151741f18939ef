"""Speaker resolution: who said it.

Three sources, tried in this order by :mod:`khabar.extract.quotes`:

1. the noun phrase after the cue («وعلق وزير الداخلية الإيطالي ماركو مينيتي قائلاً»):
   a named entity inside it wins; a title or role alone («وأضاف وزير الخارجية الأمريكي»,
   «وأشار المتحدث») is resolved to the person it designates earlier in the article;
   an unnamed source («مصدر في الوزارة») is a speaker of type ANON;
2. for a bare cue («وأضاف», «وتابعت»), the most salient earlier candidate whose
   gender and number agree with the verb: previous speakers first, then people,
   then organisations and places, penalised by distance and by sitting inside a
   prepositional phrase («مع ميركل»);
3. nothing: the speaker is null.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from khabar.document import Entity, Span
from khabar.extract.cues import speaker_heads
from khabar.resources import load_columns, load_lines
from khabar.text.normalize import fold

_PUNCT_SKIP = frozenset("،,-–—()[]/؛;.")


@lru_cache(maxsize=1)
def function_words() -> dict[str, str]:
    return {fold(r[0]): r[1] for r in load_columns("function_words.tsv")}


@lru_cache(maxsize=1)
def first_name_gender() -> dict[str, str]:
    return {fold(r[0]): r[1] for r in load_columns("first_names.tsv")}


@lru_cache(maxsize=1)
def nationality_adjectives() -> frozenset[str]:
    """Folded nisba adjectives with the article («الأمريكي», «الإيطالية»)."""
    return frozenset(fold(w) for w in load_lines("nationality_adjectives.txt"))


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Folded words that make up titles and roles (وزير، الرئيس، المستشارة، اللواء …)."""
    words = {fold(w) for w in load_lines("title_words.txt")}
    for w, (t, _g) in speaker_heads().items():
        if t == "PER":
            words.add(w)
    return frozenset(words)


def _strip_al(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 3 else w


@dataclass(slots=True)
class Candidate:
    """A possible speaker: an entity, or a noun phrase that names no entity."""

    name: str
    type: str  # PER | ORG | GPE | ANON
    gender: str  # m | f | p | ?
    tok: int  # token index where it is mentioned
    entity: Entity | None = None
    mention: Span | None = None
    np_words: frozenset[str] = field(default_factory=frozenset)  # folded words of the NP that introduced it
    role: bool = False  # a role or unnamed source («متحدثة باسم الخارجية»), not a name


def agrees(cue_gender: str, cand_gender: str) -> bool:
    if cue_gender == "?" or cand_gender == "?":
        return True
    if cue_gender == "p":
        return cand_gender in ("p", "m", "f")
    return cand_gender == cue_gender


def entity_gender(e: Entity) -> str:
    if e.type == "PER":
        for t in e.titles:
            w = fold(t.split()[0]) if t.split() else ""
            if w.endswith("ه") and len(w) > 3:
                return "f"
        if e.titles:
            return "m"
        g = first_name_gender().get(fold(e.name.split()[0])) if e.name.split() else None
        return g or "?"
    if e.type == "ORG":
        head = _strip_al(fold(e.name.split()[0])) if e.name.split() else ""
        if head in speaker_heads():
            return speaker_heads()[head][1]
        return "f" if head.endswith(("ه", "ات")) else "m"
    if e.type == "LOC":
        return "f"
    return "?"


def speaker_type(e: Entity) -> str:
    return {"PER": "PER", "ORG": "ORG", "LOC": "GPE"}.get(e.type, "ANON")
