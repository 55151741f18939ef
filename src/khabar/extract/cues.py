"""The reporting-cue lexicon: verbs with their conjugations, participles, verbal nouns
and fixed attribution phrases, compiled into folded lookup tables.

Verb forms are generated from three stems per verb (past, present, participle) so that
the data file stays small: «قال» yields قال، قالت، قالوا، قالا، قالتا، يقول، تقول،
يقولون، قائلا، قائلة، قائلين، with the conjunctions و/ف in front of each. Each form
carries the grammatical gender and number of its subject, which drives speaker
agreement («وتابعت» needs a feminine speaker).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from khabar.resources import load_columns, load_lines
from khabar.text.normalize import fold


@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    pos: str  # verb | participle | noun | phrase-pre | phrase-post | phrase-self
    gender: str  # m | f | p (plural) | ? (unknown)
    preps: tuple[str, ...] = ()  # folded prepositions allowed between the cue and أن
    weak: bool = False  # must be followed closely by the clause
    present: bool = False  # present-tense form (يذكر أن is a journalistic formula, not a quote)
    via: str | None = None  # folded preposition that introduces the speaker («نقلت الوكالة عن الوزير أن»)
    source: bool = False  # a bare attribution preposition («بحسب»): a cue only before a source


def _past_forms(past: str) -> list[tuple[str, str]]:
    if past.endswith(("ى", "ا")):
        stem = past[:-1]
        return [(past, "m"), (stem + "ت", "f"), (stem + "وا", "p"), (stem + "تا", "f")]
    return [(past, "m"), (past + "ت", "f"), (past + "وا", "p"), (past + "ا", "p"), (past + "تا", "f"), (past + "ن", "p")]


def _present_forms(pres: str) -> list[tuple[str, str]]:
    if not pres.startswith("ي"):
        return [(pres, "m")]
    rest = pres[1:]
    plural = (pres[:-1] if pres.endswith(("ى", "ي", "و")) else pres) + "ون"
    return [(pres, "m"), ("ت" + rest, "f"), (plural, "p")]


def _participle_forms(part: str) -> list[tuple[str, str]]:
    base = part[:-1] if part.endswith("ا") else part
    if base.endswith("ي"):  # نافيا → ناف + ية
        return [(part, "m"), (base + "ة", "f"), (base[:-1] + "ين", "p")]
    return [(part, "m"), (base + "ة", "f"), (base + "ين", "p"), (base + "ات", "p")]


@dataclass(frozen=True, slots=True)
class CueLexicon:
    words: dict[str, CueForm]  # folded single-token form -> cue
    phrases: dict[tuple[str, ...], CueForm]  # folded multi-token phrase -> cue
    max_phrase: int


_CONJ = ("", "و", "ف")


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    words: dict[str, CueForm] = {}
    for row in load_columns("reporting_verbs.tsv"):
        past, pres, part = row[0], row[1], row[2]
        flags = row[3].split(",") if len(row) > 3 else []
        preps = tuple(fold(f[5:]) for f in flags if f.startswith("prep="))
        weak = "weak" in flags
        via = next((fold(f[4:]) for f in flags if f.startswith("via=")), None)
        lemma = past if past != "-" else part
        gen: list[tuple[str, str, str, bool]] = []
        if past != "-":
            # «رأى» folds to the noun «رأي» (opinion): such verbs keep their other forms only.
            gen += [(f, g, "verb", False) for f, g in _past_forms(past)]
        if pres != "-":
            gen += [(f, g, "verb", True) for f, g in _present_forms(pres)]
        if part != "-":
            gen += [(f, g, "participle", False) for f, g in _participle_forms(part)]
        for form, g, pos, present in gen:
            for c in _CONJ:
                if not c and form == past and "nopast3ms" in flags:
                    continue  # bare «رأى»/«أبرز» read as the nouns «رأي»/«أبرز»; «ورأى», «وأبرز» stay cues
                key = fold(c + form)
                # First writer wins: a form shared by two verbs keeps the earlier (more common) one.
                words.setdefault(key, CueForm(lemma, pos, g, preps, weak, present, via))
    phrases: dict[tuple[str, ...], CueForm] = {}
    # «بحسب ما ذكر», «حسبما أفادت», «كما أعلنت»: attribution openers × past 3rd-person verb forms
    for prefix in load_lines("attribution_prefixes.txt"):
        ptoks = tuple(fold(t) for t in prefix.split())
        for row in load_columns("reporting_verbs.tsv"):
            if row[0] == "-":
                continue
            for form, g in _past_forms(row[0])[:2]:  # he / she
                toks = ptoks + (fold(form),)
                phrases.setdefault(toks, CueForm(" ".join(toks), "phrase-post", g))
    # «وبحسب وكالة رويترز فإن …»: prepositions that attribute without a verb
    for prep in load_lines("attribution_prepositions.txt"):
        for c in _CONJ:
            words.setdefault(fold(c + prep), CueForm(fold(prep), "phrase-post", "?", source=True))
    for row in load_columns("reporting_phrases.tsv"):
        text, role = row[0], row[1]
        toks = tuple(fold(t) for t in text.split())
        verb = words.get(toks[-1])  # «بحسب ما ذكرت»: the phrase's verb tells the speaker's gender
        if verb is not None and verb.pos == "verb":
            g = verb.gender
        else:
            g = "f" if toks[-1].endswith(("ها", "ت")) else ("m" if role in ("noun", "self") else "?")
        if role == "noun":
            form = CueForm(toks[0], "noun", g, ("علي",) if len(toks) > 1 else ())
        else:
            form = CueForm(" ".join(toks), f"phrase-{role}", g)
        if len(toks) == 1:
            words[toks[0]] = form
        else:
            phrases[toks] = form
            if role == "post" and not toks[0].startswith(("و", "ف")):
                phrases[(("و" + toks[0]),) + toks[1:]] = form
    return CueLexicon(words, phrases, max((len(k) for k in phrases), default=1))


@lru_cache(maxsize=1)
def descriptor_heads() -> frozenset[str]:
    """Folded heads such as قناة، صحيفة، نادي: «قناة السومرية» designates السومرية itself."""
    return frozenset(fold(r[0]) for r in load_columns("speaker_heads.tsv") if len(r) > 3 and r[3] == "desc")


@lru_cache(maxsize=1)
def speaker_heads() -> dict[str, tuple[str, str]]:
    """Folded head noun → (speaker type, gender)."""
    out: dict[str, tuple[str, str]] = {}
    for row in load_columns("speaker_heads.tsv"):
        out.setdefault(fold(row[0]), (row[1], row[2] if len(row) > 2 else "?"))
    return out
