"""In-article linking of entity mentions: short forms and spelling variants to one entity.

Mentions are compared on a *key*: the folded words (:func:`khabar.text.normalize.fold`, so
«اوروبا» and «أوروبا» agree) with a fused «لل» read as «ال» (so «للأمم المتحدة» meets «الأمم
المتحدة»). Rules, applied after exact-key grouping, from the most to the least specific:

- a PER mention of one or two words that ends (or, for one word, starts) a longer PER name
  joins it (حفتر → خليفة حفتر, «ميركل» → «أنجيلا ميركل»); when several longer names qualify
  the nearest one before the short mention wins;
- an ORG/LOC mention whose words are a contiguous part of a longer mention of the same type,
  covering at least half of it, joins it (الأمم المتحدة → منظمة الأمم المتحدة);
- a one-word ORG/LOC mention equal to the surname of a linked person is left alone: the type
  decides (the same string may be two entities, e.g. روما club vs city);
- two PER names of two words or more are one person when they differ only by long vowels
  inside words (ا و ي ى after the first letter: «كيفن برانس بواتنغ» = «كيفن برانس بواتينغ»,
  transliterations vary), share at least one word exactly, and every word they spell
  differently has five letters or more («محمد حسن» and «محمد حسين» are two people); a name of
  three words or more may differ so in one shorter word.

The canonical ``name`` is the fullest mention: most words, then an unfused form over a fused one,
then the first used.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from khabar.text.normalize import fold


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: str
    titles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cluster:
    type: str
    mentions: list[Mention]

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def mention_key(text: str) -> tuple[str, ...]:
    """Folded words; «لل» + X is read as «ال» + X and a lone trailing/leading hyphen is dropped."""
    out = []
    for w in fold(text).replace("-", " ").split():
        if w.startswith("لل") and len(w) > 3:
            w = "ال" + w[2:]
        out.append(w)
    return tuple(out)


def _bare(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


def _is_part(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    if n >= len(long):
        return False
    sb = tuple(_bare(w) for w in short)
    lb = tuple(_bare(w) for w in long)
    return any(lb[i:i + n] == sb for i in range(len(long) - n + 1))


def _person_part(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if len(short) >= len(long):
        return False
    if long[-len(short):] == short:
        return True
    if len(short) == 1 and long[0] == short[0]:
        return True
    if len(short) == 1 and long[-1] == "و" + short[0]:
        return True  # «وليامس» read as و + «ليامس»: the surname of «سيرينا وليامس» all the same
    return len(short) == 1 and _bare(short[0]) == _bare(long[-1])


_LONG_VOWELS = str.maketrans("", "", "اويى")


def _skeleton(w: str) -> str:
    """A folded word without its inner long vowels, the letters transliterations disagree on."""
    return w[:1] + w[1:].translate(_LONG_VOWELS)


def _variants(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names of one skeleton are one person's when they share a word and every word they
    spell differently has five letters or more: short Arabic names that differ by a vowel are
    other names («حسن» and «حسين», «سعد» and «سعيد»). A name of three words or more may differ
    in one short word («كيفن برنس بواتنغ», «كيفن برانس بواتنغ»)."""
    differ = [(x, y) for x, y in zip(a, b) if x != y]
    if len(differ) == len(a):
        return False
    return (len(a) >= 3 and len(differ) == 1) or all(min(len(x), len(y)) >= 5 for x, y in differ)


def canonical(mentions: list[Mention]) -> Mention:
    def rank(m: Mention) -> tuple[int, int, int]:
        k = fold(m.text).split()
        fused = int(bool(k) and k[0].startswith("لل"))
        return (-len(k), fused, m.start)

    return min(mentions, key=rank)


def link(mentions: list[Mention]) -> list[Cluster]:
    """Group mentions into clusters (same type only), ordered by first mention."""
    groups: dict[tuple[str, tuple[str, ...]], list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        k = mention_key(m.text)
        if k:
            groups.setdefault((m.type, k), []).append(m)

    keys = list(groups)
    parent = {k: k for k in keys}

    def find(k: tuple[str, tuple[str, ...]]) -> tuple[str, tuple[str, ...]]:
        while parent[k] != k:
            k = parent[k]
        return k

    # longest first, so that a short form attaches to the longest name that contains it
    for k in sorted(keys, key=lambda k: len(k[1])):
        typ, words = k
        best, best_dist = None, None
        first_short = groups[k][0].start
        for other in keys:
            otyp, owords = other
            if otyp != typ or len(owords) <= len(words):
                continue
            ok = _person_part(words, owords) if typ == "PER" else (
                _is_part(words, owords) and 2 * len(words) >= len(owords))
            if not ok:
                continue
            # the nearest long form used before the short one; otherwise the first one after it
            starts = [m.start for m in groups[other]]
            before = [first_short - s for s in starts if s <= first_short]
            dist = (0, min(before)) if before else (1, min(s - first_short for s in starts))
            if best_dist is None or dist < best_dist or (dist == best_dist and len(owords) > len(best[1])):
                best, best_dist = other, dist
        if best is not None:
            parent[find(k)] = find(best)

    variants: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
    for k in keys:
        if k[0] == "PER" and len(k[1]) >= 2:
            variants.setdefault(tuple(map(_skeleton, k[1])), []).append(k)
    for same in variants.values():
        for i, a in enumerate(same):  # a bucket holds a handful of names at most
            for b in same[i + 1:]:
                if _variants(a[1], b[1]):
                    parent[find(b)] = find(a)

    merged: dict[tuple[str, tuple[str, ...]], list[Mention]] = {}
    for k in keys:
        merged.setdefault(find(k), []).extend(groups[k])
    clusters = [Cluster(k[0], sorted(ms, key=lambda m: m.start)) for k, ms in merged.items()]
    clusters.sort(key=lambda c: c.first)
    return clusters
