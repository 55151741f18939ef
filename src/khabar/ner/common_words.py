"""Common words: frequent news words that the NER model almost never tags as a name.

The article layer (:mod:`khabar.extract.entities`) proposes names by rule: a gazetteer word, the
words after a title («المتحدث باسم …»), a known first name and what follows it. Gazetteers hold
place names that are also everyday words («المنزل», «بات», «عشاق»), and the words after a title
are often a verb or a noun («وأكد الوزير ابتداء …»). A sequence tagger sees the context and
knows better, so its behaviour over a large sample of news says which words are common words:
those seen at least ``min_count`` times in the sample and tagged as part of an entity less than
``max_rate`` of the time, (a second kind) those rarely inside a person's name, and (a third) those
seldom inside an entity, less than ``FEW_RATE`` of the time. The list is
built by ``khabar ner-train`` from SaudiNewsNet with the shipped model and read by the article
layer, which then does not start a rule-based name on such a word unless it is a known first
name or surname, nor take a listed first name that is rarely a person's for a person.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from khabar.ner.tagger import Tagger
from khabar.text.normalize import fold_word

FILE = "common_words.txt"
SAMPLE_TOKENS = 3_000_000
SAMPLE_SEED = 21  # not the language-model stage's sample (seed 13)
MIN_COUNT = 20
MAX_RATE = 0.01
FEW_RATE = 0.10  # "seldom named": a gazetteer alone does not make such a word a place
BATCH = 25  # sentences tagged at once, about an article


def count(sentences: list[list[str]], tagger: Tagger,
          progress: Callable[[int], None] | None = None) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(occurrences, occurrences tagged inside an entity, inside a person's name) of each
    folded word."""
    seen: Counter[str] = Counter()
    named: Counter[str] = Counter()
    person: Counter[str] = Counter()
    for i in range(0, len(sentences), BATCH):
        batch = sentences[i:i + BATCH]
        for toks, tags in zip(batch, tagger.tag_many(batch)):
            for w, t in zip(toks, tags):
                f = fold_word(w)
                seen[f] += 1
                if t != "O":
                    named[f] += 1
                    if t.endswith("-PER"):
                        person[f] += 1
        if progress:
            progress(len(batch))
    return seen, named, person


def select(seen: Counter[str], tagged: Counter[str], min_count: int = MIN_COUNT,
           max_rate: float = MAX_RATE) -> list[str]:
    """Words seen ``min_count`` times or more and ``tagged`` less than ``max_rate`` of them;
    only words with a letter (punctuation and numbers are never names anyway)."""
    return sorted(w for w, n in seen.items()
                  if n >= min_count and tagged[w] < max_rate * n and any(c.isalpha() for c in w))


def build(corpus: Path, tagger: Tagger, out: Path, tokens: int = SAMPLE_TOKENS,
          log: Callable[[str], None] = print) -> Path:
    """Tag a seeded sample of ``tokens`` SaudiNewsNet tokens with ``tagger`` and write the
    common words to ``out``: ``word<TAB>any`` for a word rarely inside any entity, ``word<TAB>per``
    for one rarely inside a person's name but often in another entity («الحرس», «فتح»),
    ``word<TAB>few`` for one seldom inside an entity but not rarely enough for ``any`` («الخبر»,
    the news, is the city of Khobar 8 % of the time)."""
    from khabar.ner.train_neural import news_sentences

    sentences = news_sentences(corpus, tokens, seed=SAMPLE_SEED)
    seen, named, person = count(sentences, tagger)
    common = select(seen, named)
    not_person = sorted(set(select(seen, person)) - set(common))
    few = sorted(set(select(seen, named, max_rate=FEW_RATE)) - set(common))
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# Common words (folded), built by `khabar ner-train` (khabar.ner.common_words) from\n"
              f"# {sum(seen.values()):,} SaudiNewsNet tokens (sample seed {SAMPLE_SEED}) tagged by the shipped NER model.\n"
              f"# Words seen {MIN_COUNT}+ times and tagged less than {MAX_RATE:.0%} of the time inside any entity\n"
              f"# ({len(common)}, `any`) or inside a person's name only ({len(not_person)}, `per`), or less than\n"
              f"# {FEW_RATE:.0%} of the time inside any entity ({len(few)} more, `few`). A word may have two rows.\n"
              "# Derived from SaudiNewsNet: CC BY-NC-SA 4.0, research use only.\n")
    rows = sorted([(w, "any") for w in common] + [(w, "per") for w in not_person] + [(w, "few") for w in few])
    out.write_text(header + "".join(f"{w}\t{k}\n" for w, k in rows), encoding="utf-8")
    log(f"common words: {len(common)} rarely in any entity, {len(not_person)} more rarely in a name, "
        f"{len(few)} more seldom in one, "
        f"of {len(seen)} word types")
    return out
