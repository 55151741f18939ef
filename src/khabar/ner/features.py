"""CRF features for Arabic NER over whitespace/punctuation tokens with clitics attached.

Per token (cached per distinct surface form, so a news article costs one dictionary lookup per
repeated word): folded form, affixes, a clitic-stripped stem (و/ف, ب/ك/ل, ال), shape, membership
in the shipped gazetteers and lexicons (places, organisations, first names, surnames, titles,
nationalities, stop words) and unsupervised word clusters (:mod:`khabar.ner.clusters`) of the
form and of the stem. Per position: the same identity features of the neighbours at -2..+2,
word bigrams, and the tag of the longest multiword gazetteer match covering the token.
"""
from __future__ import annotations

import sys
from functools import lru_cache

from khabar.errors import ModelError
from khabar.resources import load_columns, load_lines
from khabar.text.normalize import fold_word

WINDOW = (-2, -1, 1, 2)
_PAD = {o: f"{o}:pad" for o in WINDOW}
MAX_GAZ_WORDS = 5


class Lexicons:
    """Every lexicon the features consult, loaded once (see :func:`lexicons`)."""

    def __init__(self) -> None:
        def fs(name: str) -> frozenset[str]:
            return frozenset(" ".join(fold_word(x).split()) for x in load_lines(name))

        self.loc = fs("gaz_loc.txt")
        self.org = fs("gaz_org.txt")
        self.first = fs("gaz_per_first.txt")
        self.last = fs("gaz_per_last.txt")
        self.stop = fs("ner_stopwords.txt")
        from khabar.extract.entities import nationality_lexicon, title_lexicon

        self.title = title_lexicon()
        self.nat = nationality_lexicon()
        self.phrases: dict[str, str] = {}
        for typ, entries in (("ORG", self.org), ("LOC", self.loc)):
            for e in entries:
                if " " in e:
                    self.phrases[e] = typ
        for t in self.title:
            if " " in t:
                self.phrases.setdefault(t, "TTL")
        self.max_words = min(MAX_GAZ_WORDS, max((p.count(" ") + 1 for p in self.phrases), default=1))
        # WikiANN-derived words and names (gaz_wiki.tsv): dominant type and a frequency bucket
        self.wiki: dict[str, tuple[str, str]] = {}
        self.wiki_phrases: dict[str, str] = {}
        try:
            for cols in load_columns("gaz_wiki.tsv"):
                if len(cols) == 3 and " " in cols[0]:
                    self.wiki_phrases[cols[0]] = cols[1]
                elif len(cols) == 3:
                    self.wiki[cols[0]] = ("wk=" + cols[1], f"wkb={cols[1]}{cols[2]}")
        except ModelError:
            self.wiki = {}
        # first words of the multiword phrases: most positions are skipped with one set lookup
        self.phrase_firsts = frozenset(p.split(" ", 1)[0] for p in self.phrases)
        self.wiki_firsts = frozenset(p.split(" ", 1)[0] for p in self.wiki_phrases)
        self.clusters: dict[str, tuple[str, ...]] = {}
        try:
            for cols in load_columns("ner_clusters.tsv"):
                if len(cols) > 1:
                    # one shared string object per cluster id (60,000 words share 1,312 ids)
                    self.clusters[cols[0]] = tuple(sys.intern(f"c{i}={c}") for i, c in enumerate(cols[1:]))
        except ModelError:
            # only while ``khabar ner-train`` rebuilds the clusters; a shipped model always has them
            self.clusters = {}


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    return Lexicons()


@lru_cache(maxsize=50_000)
def stems(f: str) -> tuple[str, str]:
    """(stem without conjunction/preposition but with the article, bare stem) of a folded word."""
    s = f
    if len(s) > 3 and s[0] in "وف":
        s = s[1:]
    if s.startswith("لل") and len(s) > 3:
        s = "ال" + s[2:]
    elif len(s) > 4 and s[0] in "بكل" and s[1:3] == "ال":
        s = s[1:]
    bare = s[2:] if s.startswith("ال") and len(s) > 4 else s
    return s, bare


def _shape(w: str) -> str:
    if w.isdigit():
        return "D"
    if w.isalpha():
        if w.isascii():
            return "L"
        return "A"
    if any(c.isdigit() for c in w):
        return "DX"
    return "P:" + w[:1]


# ~3 KB of feature strings per form: 40,000 forms keep the cache near 120 MB however large the
# corpus (a 500,000 cap let a 31k-article run grow past 1 GB).
MAX_CACHED_FORMS = 40_000


class FeatureCache:
    """Per-form features, memoised; ``own`` are used for the token itself, ``ctx`` for neighbours."""

    def __init__(self, lex: Lexicons) -> None:
        self.lex = lex
        self.cache: dict[str, tuple[list[str], dict[int, tuple[str, ...]], str]] = {}

    def get(self, w: str) -> tuple[list[str], dict[int, tuple[str, ...]], str]:
        hit = self.cache.get(w)
        if hit is not None:
            return hit
        lex = self.lex
        f = fold_word(w)
        s, bare = stems(f)
        own = ["b", "w=" + f, "p2=" + f[:2], "p3=" + f[:3], "s1=" + f[-1:], "s2=" + f[-2:], "s3=" + f[-3:],
               "st=" + s, "bs=" + bare, "sh=" + _shape(w), "len=" + str(min(len(f), 8))]
        if s != f:
            own.append("clit=" + f[: len(f) - len(s)])
        if s.startswith("ال"):
            own.append("al")
        flags = []
        for name, entries in (("loc", lex.loc), ("org", lex.org), ("fn", lex.first), ("ln", lex.last),
                              ("ttl", lex.title), ("nat", lex.nat), ("stop", lex.stop)):
            if f in entries or s in entries or bare in entries:
                flags.append(name)
        cl = lex.clusters.get(f) or lex.clusters.get(s) or lex.clusters.get(bare)
        ctx = ["w=" + f, "bs=" + bare] + ["g=" + x for x in flags]
        wk = lex.wiki.get(s) or lex.wiki.get(f)
        if wk:
            ctx.append(wk[0])
            own.append(wk[1])
        if cl:
            ctx += cl
        else:
            ctx.append("c=?")
        if lex.clusters.get(bare) and bare != f:
            own.append("b" + lex.clusters[bare][-1])
        own += ctx[2:]
        # the neighbours' features with their position prefix, built once per word type
        res = (own, {o: tuple(f"{o}:{x}" for x in ctx) for o in WINDOW}, f)
        if len(self.cache) >= MAX_CACHED_FORMS:
            # bounded memory on a whole corpus: start again (frequent forms come back at once)
            self.cache.clear()
        self.cache[w] = res
        return res


def _gazetteer_tags(folded: list[str], phrases: dict[str, str], firsts: frozenset[str], max_words: int,
                    stemmed: bool = False) -> list[str | None]:
    """BIO tag of the longest multiword lexicon phrase covering each token (None elsewhere).
    ``stemmed``: the phrases were built from clitic-stripped words (WikiANN), else only the
    first word is stripped."""
    n = len(folded)
    out: list[str | None] = [None] * n
    i = 0
    st = [stems(f)[0] for f in folded]
    rest = st if stemmed else folded
    while i < n:
        hit = 0
        if st[i] not in firsts:
            i += 1
            continue
        for k in range(min(max_words, n - i), 1, -1):
            typ = phrases.get(" ".join([st[i]] + rest[i + 1:i + k]))
            if typ:
                out[i] = "B-" + typ
                for j in range(i + 1, i + k):
                    out[j] = "I-" + typ
                hit = k
                break
        i += hit or 1
    return out


def sentence_features(tokens: list[str], cache: FeatureCache) -> list[list[str]]:
    items = [cache.get(t) for t in tokens]
    folded = [it[2] for it in items]
    lex = cache.lex
    gz = _gazetteer_tags(folded, lex.phrases, lex.phrase_firsts, lex.max_words)
    gw = _gazetteer_tags(folded, lex.wiki_phrases, lex.wiki_firsts, MAX_GAZ_WORDS, stemmed=True)
    n = len(tokens)
    out: list[list[str]] = []
    for i, (own, _, f) in enumerate(items):
        feats = list(own)
        for o in WINDOW:
            j = i + o
            if 0 <= j < n:
                feats.extend(items[j][1][o])
            else:
                feats.append(_PAD[o])
        prev = folded[i - 1] if i else "<s>"
        nxt = folded[i + 1] if i + 1 < n else "</s>"
        feats.append("bg-=" + prev + "|" + f)
        feats.append("bg+=" + f + "|" + nxt)
        if gz[i]:
            feats.append("gz=" + gz[i])
        if i and gz[i - 1]:
            feats.append("-1:gz=" + gz[i - 1])
        if i + 1 < n and gz[i + 1]:
            feats.append("1:gz=" + gz[i + 1])
        if gw[i]:
            feats.append("gw=" + gw[i])
        out.append(feats)
    return out
