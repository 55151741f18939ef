"""Named entities of an article: statistical NER spans + gazetteer/pattern spans, titles, linking.

Layers, from the most to the least trusted, merged without overlaps:

1. the shipped CRF model (:mod:`khabar.ner.tagger`) over the article's word tokens, when present;
2. patterns: a title/role before a name (``المشير`` + ``خليفة حفتر``), a generic organisation
   or facility head with its complement (``وزارة الخارجية``, ``مطار عدن``), a known first name
   followed by more name words;
3. gazetteers (folded, multiword, longest match) of places and organisations.

Mention spans start after separable proclitics (و ف ب ك ل) but keep the article and a fused
«لل» (gold convention: «للأمم المتحدة» stays fused). Titles seen before a person mention are
attached to the person; mentions are linked in-article by :mod:`khabar.link`.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from khabar.document import Document, Entity, Span, Token
from khabar.errors import ModelError
from khabar.extract.speakers import first_name_gender
from khabar.link import Mention, canonical, link
from khabar.ner.conll import spans_from_tags
from khabar.ner.consistency import twice_as_frequent
from khabar.resources import load_columns, load_lines
from khabar.text.normalize import fold, fold_word

MAX_GAZ_WORDS = 6
MAX_TITLE_WORDS = 5
_PROCLITIC_LETTERS = "وفبكل"


@dataclass(slots=True)
class Cand:
    """A candidate mention: raw character span, type, origin (for priority) and titles."""

    start: int
    end: int
    type: str
    origin: int  # 0 model, 1 pattern, 2 gazetteer (lower wins on overlap at equal length)
    titles: tuple[str, ...] = ()
    head_dropped: bool = False  # the name after a head marked "drop" in org/loc_heads.txt
    head: bool = False  # built on a generic organisation/facility head («وزارة», «مطار»)
    medium: bool = False  # the name of a newspaper, magazine or channel after its head
    # the lexicons list the name with its head («قناة الجزيرة») or as a medium («اليوم»): a generic
    # word then names it all the same
    listed: bool = False
    multiword: bool = False  # a gazetteer entry of two words or more («مكة المكرمة»)


# ----------------------------------------------------------------------------- lexicons
def _fold_set(name: str) -> frozenset[str]:
    return frozenset(" ".join(fold(x).split()) for x in load_lines(name))


@lru_cache(maxsize=1)
def title_lexicon() -> frozenset[str]:
    """Folded titles and roles (وزير، الرئيس، المتحدث باسم، المستشاره ...), with and without «ال»."""
    out: set[str] = set()
    for t in _fold_set("titles.txt"):
        out.add(t)
        first, _, rest = t.partition(" ")
        if first.startswith("ال"):
            out.add((first[2:] + " " + rest).strip())
        elif not rest:
            out.add("ال" + first)
    return frozenset(out)


@lru_cache(maxsize=1)
def _intro_titles() -> frozenset[str]:
    """Titles that may introduce a name: as listed, or with «ال» added to a one-word title. (The
    article is not stripped here: «رائد» or «عميد» without it are too often names or nouns.)"""
    out: set[str] = set()
    for t in _fold_set("titles.txt"):
        out.add(t)
        if " " not in t and not t.startswith("ال"):
            out.add("ال" + t)
    return frozenset(out)


@lru_cache(maxsize=1)
def nationality_lexicon() -> frozenset[str]:
    out: set[str] = set()
    for n in _fold_set("nationalities.txt"):
        for form in (n, n + "ه", n + "ون", n + "ين", n[:-1] + "يون" if n.endswith("ي") else n,
                     n[:-1] + "يين" if n.endswith("ي") else n):
            out.add(form)
            out.add("ال" + form)
    return frozenset(out)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return _fold_set("ner_stopwords.txt") | _layer_stopwords()


@lru_cache(maxsize=1)
def _layer_stopwords() -> frozenset[str]:
    """The article layer's own stop words (``ner_stopwords.txt`` is also the model's input)."""
    return _fold_set("entity_stopwords.txt")


@lru_cache(maxsize=1)
def _common_word_kinds() -> dict[str, frozenset[str]]:
    """Folded word -> its kinds, built by :mod:`khabar.ner.common_words`: "any" (the NER model
    almost never tags it inside an entity in news), "per" (almost never inside a person's name),
    "few" (seldom inside an entity, though not almost never)."""
    from khabar.ner.common_words import FILE

    out: dict[str, set[str]] = {}
    try:
        for cols in load_columns(FILE):
            if len(cols) == 2:
                out.setdefault(cols[0], set()).add(cols[1])
    except ModelError:  # an install without the list: the rules run unfiltered
        return {}
    return {w: frozenset(k) for w, k in out.items()}


def _words_of_kind(*kinds: str) -> frozenset[str]:
    return frozenset(w for w, k in _common_word_kinds().items() if k.intersection(kinds))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words rarely inside any entity: rules do not start a name on them."""
    return _words_of_kind("any")


@lru_cache(maxsize=1)
def _not_person_words() -> frozenset[str]:
    """Words rarely inside a person's name (the common words and «الحرس», «فتح»): a listed
    first name among them is no evidence of a person."""
    return _words_of_kind("any", "per")


@lru_cache(maxsize=1)
def _seldom_named_words() -> frozenset[str]:
    """Words seldom inside an entity (the common words and «الخبر», «حجر», «طراز»): a gazetteer
    alone does not make such a word a place."""
    return _words_of_kind("any", "few")


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Folded single words/phrases that are never a mention on their own."""
    out = set(_fold_set("ner_generic.txt")) | set(_stopwords())
    for h in _heads():
        out.add(h)
        if not h.startswith("ال"):
            out.add("ال" + h)
    return frozenset(out)


@lru_cache(maxsize=1)
def _heads() -> dict[str, tuple[str, bool]]:
    """Folded head phrase -> (type, dropped from the canonical name when the rest names it)."""
    out: dict[str, tuple[str, bool]] = {}
    for typ, name in (("ORG", "org_heads.txt"), ("LOC", "loc_heads.txt")):
        for cols in load_columns(name):
            out[" ".join(fold(cols[0]).split())] = (typ, len(cols) > 1 and cols[1] == "drop")
    return out


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    """Folded (multiword) entry -> type. Places win over organisations on a tie (newspapers
    named after cities are left to the model and to the «صحيفة» head)."""
    out: dict[str, str] = {}
    for typ, name in (("ORG", "gaz_org.txt"), ("ORG", "org_names.txt"), ("LOC", "gaz_loc.txt"),
                      ("LOC", "regional_places.txt"), ("LOC", "regional_places_dz.txt")):
        for e in _fold_set(name):
            out[e] = typ
    return out


@lru_cache(maxsize=1)
def _gazetteer_prefixes() -> frozenset[str]:
    """Every multiword gazetteer entry and its leading words («مكة», «مكة المكرمة»)."""
    out: set[str] = set()
    for e in _gazetteer():
        words = e.split()
        out.update(" ".join(words[:n]) for n in range(2, len(words) + 1))
    return frozenset(out)


@lru_cache(maxsize=1)
def _wiki_names() -> frozenset[str]:
    """Multiword names of the WikiANN lexicon (حزب الله keeps its head)."""
    from khabar.ner.features import lexicons

    return frozenset(lexicons().wiki_phrases)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """The 60,000 most frequent folded words of the news corpus (first column of the clusters)."""
    from khabar.ner.features import lexicons

    return frozenset(lexicons().clusters)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return _fold_set("gaz_per_first.txt")


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return _fold_set("gaz_per_last.txt")


# ----------------------------------------------------------------------------- token views
@dataclass(slots=True)
class _W:
    """A word token with its folded stem candidates: (offset into the token, folded key)."""

    tok: Token
    folded: str
    cands: tuple[tuple[int, str], ...]
    sent: int


def _stem_cands(folded: str, accusative: bool = False) -> tuple[tuple[int, str], ...]:
    """(offset, key) pairs, least stripped first. The key of a fused «لل» form is «ال»+rest and
    its offset stays on the ل (the gold keeps fused forms); folding keeps lengths for letters.
    An accusative word («كبيراً») cannot follow a preposition, so ب/ك/ل are not stripped from it."""
    out = [(0, folded)]
    i = 0
    if len(folded) > 3 and folded[0] in "وف":
        i = 1
        out.append((1, folded[1:]))
    rest = folded[i:]
    if rest.startswith("لل") and len(rest) > 4:
        out.append((i, "ال" + rest[2:]))
    elif len(rest) > 3 and rest[0] in "بكل" and not accusative:
        out.append((i + 1, rest[1:]))
    return tuple(out)


def _words(doc: Document) -> list[_W]:
    sent_ends = [s.end for s in doc.sentences]
    out: list[_W] = []
    si = 0
    for t in doc.tokens:
        while si < len(sent_ends) and t.start >= sent_ends[si]:
            si += 1
        f = fold_word(t.text)
        out.append(_W(t, f, _stem_cands(f, t.text.endswith(("\u064b", "\u064bا", "ا\u064b"))), si))
    return out


def _raw_offset(tok: Token, folded_offset: int) -> int:
    """Raw offset inside ``tok`` of folded offset ``folded_offset`` (folding deletes marks)."""
    if folded_offset == 0:
        return tok.start
    seen = 0
    for i, ch in enumerate(tok.text):
        if fold_word(ch):
            if seen == folded_offset:
                return tok.start + i
            seen += 1
    return tok.end


def _is_wordish(w: _W) -> bool:
    return w.tok.text[:1].isalpha()


def _first_word_lengths(entries: Iterable[str]) -> dict[str, int]:
    """First word of each multiword entry -> the longest entry it starts, so that phrase
    lookups build only the phrases that can possibly match (most tokens start none)."""
    out: dict[str, int] = {}
    for e in entries:
        first, n = e.split(" ", 1)[0], e.count(" ") + 1
        if n > out.get(first, 0):
            out[first] = n
    return out


@lru_cache(maxsize=1)
def _gazetteer_first() -> dict[str, int]:
    return _first_word_lengths(_gazetteer())


@lru_cache(maxsize=1)
def _titles_first() -> dict[str, int]:
    return _first_word_lengths(_intro_titles())


@lru_cache(maxsize=1)
def _heads_first() -> dict[str, int]:
    return _first_word_lengths(_heads())


def _phrase(ws: list[_W], i: int, n: int, first_key: str) -> str | None:
    """Folded phrase of ``n`` tokens from ``i`` with the first token replaced by ``first_key``."""
    if i + n > len(ws):
        return None
    parts = [first_key]
    for k in range(i + 1, i + n):
        w = ws[k]
        if w.sent != ws[i].sent or not _is_wordish(w):
            return None
        parts.append(w.folded)
    return " ".join(parts)


# ----------------------------------------------------------------------------- layers
def _gazetteer_cands(ws: list[_W]) -> list[Cand]:
    gaz = _gazetteer()
    first = _gazetteer_first()
    stop = _stopwords()
    out: list[Cand] = []
    i = 0
    while i < len(ws):
        w = ws[i]
        hit = None
        if _is_wordish(w):
            for n in range(MAX_GAZ_WORDS, 0, -1):
                for off, key in w.cands:
                    if n > 1 and first.get(key, 0) < n:
                        continue
                    ph = _phrase(ws, i, n, key)
                    if ph is None or ph in stop:
                        continue
                    typ = gaz.get(ph)
                    if typ is None and ph.startswith("ال") and n == 1 and len(ph) > 5:
                        typ = gaz.get(ph[2:])
                    # one-word organisation entries (بيان, الوطن) and «ال…ية» words (الشمالية)
                    # are too often common words: only the model may tag them
                    if typ and n == 1 and (typ == "ORG" or (ph.startswith("ال") and ph.endswith("يه"))):
                        typ = None
                    # gazetteers list places that are everyday words («المنزل», «بات», «عشاق»,
                    # «لفيفٍ» with nunation; «الخبر», the news, is seldom the city): the model,
                    # which sees the context, tags those that are places here
                    # (the word with a proclitic, «بجدة», has other odds than the name: only a
                    # common one vetoes)
                    if typ and n == 1 and (w.folded in _common_words() or ph in _seldom_named_words()
                                           or _nunated(w)):
                        typ = None
                    # a demonym is no entity in the gold conventions («سعودية», «مصري»)
                    if typ and n == 1 and ph in nationality_lexicon():
                        typ = None
                    # nor is a given name that the model often tags inside a person's name a place
                    # by the gazetteer alone («ريم», «صالح»; «واشنطن», «نجران» rarely are people)
                    if typ == "LOC" and n == 1 and ph in _first_names() and ph not in _not_person_words():
                        typ = None
                    if typ:
                        hit = (off, n, typ)
                        break
                if hit:
                    break
        if hit:
            off, n, typ = hit
            out.append(Cand(_raw_offset(w.tok, off), ws[i + n - 1].tok.end, typ, 2, multiword=n > 1))
            i += n
        else:
            i += 1
    return out


def _match_title(ws: list[_W], i: int) -> tuple[int, int] | None:
    """(folded offset in token i, number of tokens) of the longest title starting at ``i``."""
    titles = _intro_titles()
    first = _titles_first()
    for n in range(MAX_TITLE_WORDS, 0, -1):
        for off, key in ws[i].cands:
            if first.get(key, 0) < n:
                continue
            ph = _phrase(ws, i, n, key)
            if ph is not None and ph in titles and not _conjunction_before_hamza(ws[i], off, key):
                return off, n
    return None


def _name_like(w: _W, *, first: bool) -> bool:
    if not _is_wordish(w) or len(w.folded) < 2:
        return False
    f = w.folded
    if f in _stopwords() or f in _intro_titles() or f in nationality_lexicon():
        return False
    if f[0] in "وف" and f[1:] in _stopwords():
        return False
    # a word with nunation (tanwin: «دليلٌ صادقٌ», «كبيراً») is a common noun or adjective
    if f in _heads() or ("ال" + f) in _heads() or _nunated(w):
        return False
    names = f in _surnames() or f in _first_names()
    if first and f.startswith("ال") and not names:
        return False
    # «المتحدث باسم», «الوزير ابتداء»: a word the model never tags as a name in news is not one;
    # a listed name may start a name after a title but not continue one («ظريف نظيره»)
    if f in _common_words() and (not names or not first):
        return False
    # «بتقديم», «لأوروبا», «والرئيس»: a proclitic letter starts a name only when the word is a known name
    if f[0] in _PROCLITIC_LETTERS and not names:
        return False
    return True


_TANWIN = frozenset("\u064b\u064c\u064d")


def _nunated(w: _W) -> bool:
    """The token carries nunation (tanwin), the mark of an indefinite common noun or adjective."""
    return any(c in _TANWIN for c in w.tok.text)

_NAME_LINKS = frozenset(("بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد", "ال", "اب", "دي", "فان", "دو"))


def _person_after(ws: list[_W], j: int, max_words: int = 4) -> int:
    """Number of name-like tokens from ``j`` (same sentence), 0 when there is no name. From the
    third word on, only known names, surnames in «ال», and links (بن، أبو، عبد) continue a name
    («سامح شكري اتصالين» stops after شكري)."""
    n = 0
    while j + n < len(ws) and n < max_words:
        w = ws[j + n]
        if w.sent != ws[j].sent or not _name_like(w, first=n == 0):
            break
        if n >= 2 and not (w.folded in _first_names() or w.folded in _surnames()
                           or w.folded.startswith("ال") or ws[j + n - 1].folded in _NAME_LINKS):
            break
        n += 1
    return n


def _known_person_word(f: str) -> bool:
    """A listed first name or surname that the model does not almost always leave out of names."""
    return (f in _first_names() or f in _surnames()) and f not in _not_person_words()


def _title_person_cands(text: str, ws: list[_W], model: list[Cand] | None = None) -> list[Cand]:
    """Title (+ complement words + nationality adjectives) followed by a name → PER with titles.

    With the model's spans ``model`` (None: no model installed), the name must be one the model
    also tags as a person, or start with a listed name (:func:`_known_person_word`): the words after a title
    are as often a place («محافظ جدة»), a club («مهاجم تشيلسي»), a subject («مدير تعليم جدة») or
    a verb («العالم سيحتاج») as an unknown name."""
    out: list[Cand] = []
    nat = nationality_lexicon()
    persons = None if model is None else _Spans([m for m in model if m.type == "PER"])
    i = 0
    while i < len(ws):
        m = _match_title(ws, i) if _is_wordish(ws[i]) else None
        if not m and ws[i].folded in _ABBREVIATED_TITLES and i + 1 < len(ws) and ws[i + 1].tok.text == "." \
                and ws[i + 1].sent == ws[i].sent:
            m = (0, 2)  # «د. عبدالعزيز الصقر»: an abbreviated title and its full stop
        if not m:
            i += 1
            continue
        off, n = m
        j = i + n
        # a role's complement: «المتحدث باسم الخارجية», «وزير الداخلية الإيطالي», chained titles
        while j < len(ws) and ws[j].sent == ws[i].sent:
            f = ws[j].folded
            if f in nat or f in _intro_titles() or f in _RANK_WORDS:
                j += 1
                continue
            # a chained abbreviated title: «المتحدث الرسمي د. خالد»
            if f in _ABBREVIATED_TITLES and j + 1 < len(ws) and ws[j + 1].tok.text == "." \
                    and ws[j + 1].sent == ws[j].sent:
                j += 2
                continue
            m2 = _match_title(ws, j)
            if m2 and m2[0] == 0:
                j += m2[1]
                continue
            break
        k = _person_after(ws, j)
        # a listed name that is rarely a person's («الحرس», «جميع» are in the ANERgazet list)
        # needs the model too
        if k and persons is not None and not _known_person_word(ws[j].folded) \
                and not persons.overlapping(ws[j].tok.start, ws[j + k - 1].tok.end):
            k = 0
        if k:
            tstart = _raw_offset(ws[i].tok, off)
            title = text[tstart:ws[j - 1].tok.end]
            out.append(Cand(ws[j].tok.start, ws[j + k - 1].tok.end, "PER", 1, (title,)))
            i = j + k
        else:
            i = j
    return out


def _first_name_cands(ws: list[_W]) -> list[Cand]:
    """A known first name followed by at least one more name word → PER."""
    firsts, out = _first_names(), []
    i = 0
    while i < len(ws):
        w = ws[i]
        hit = None
        for off, key in w.cands:
            # without a title before it, a first name that is rarely a person's («حياة كريمة»,
            # «عليه نعمة», «فتح») is not evidence enough
            if key in firsts and not key.startswith("ال") and key not in _not_person_words():
                hit = off
                break
        if hit is not None and i + 1 < len(ws):
            k = _person_after(ws, i + 1, 3)
            # the next word must be a known name too, and not one rarely a person's: «تحسين
            # أوضاع», «بهجة العيد» are not people
            nxt = ws[i + 1].folded
            if k and nxt not in _gazetteer() and _known_person_word(nxt):
                out.append(Cand(_raw_offset(w.tok, hit), ws[i + k].tok.end, "PER", 1))
                i += k + 1
                continue
        i += 1
    return out


_DESCRIPTIVE_PLACE_HEADS = frozenset(("منطقه", "مدينه", "قريه", "بلده"))
_CLUB_PLURALS = frozenset(("انديه", "نوادي"))  # not «فرق»: «فرق المتابعة» are work teams
_NOT_BRANCHES = ("مجلس", "وزاره", "نادي", "سفاره")  # heads whose «ب + place» is not a branch
_RANK_WORDS = frozenset(("ركن", "الركن"))  # «اللواء ركن»: a staff officer's rank
_ABBREVIATED_TITLES = frozenset(("د", "م", "ا"))  # «د.» doctor, «م.» engineer, «أ.» professor
_BLESSINGS = frozenset(fold_word(w) for w in (
    "رحمه", "رحمها", "رحمهم", "يرحمه", "يرحمها", "حفظه", "حفظها", "حفظهم", "يحفظه", "رعاه", "أيده"))
# kinds of bodies that a ministry is listed with, not portfolios
_OTHER_BODIES = frozenset(fold_word(w) for w in (
    "القطاعات", "الجهات", "الهيئات", "المؤسسات", "الوزارات", "الشركات", "الإدارات", "النظام",
    "الأجهزة", "الدوائر"))
# folded words that start a place's or a person's name and cannot end one
_PLACE_PARTICLES = frozenset(("ابو", "ام", "بني", "بن", "ال", "عبد", "ذي", "راس", "عين", "بير", "بيت",
                              "تل", "دار", "كفر", "دير", "خان", "سيدي", "قصر", "جبل", "وادي"))
# a publication is often named with a common word («صحيفة الوسط», «جريدة الحياة»)
_MEDIA_HEADS = frozenset(("صحيفه", "جريده", "مجله", "قناه"))
_STATE_HEADS = frozenset(("الجمهوريه", "جمهوريه", "المملكه", "مملكه"))
_MINISTRY_HEADS = frozenset(("وزاره", "الوزاره", "سفاره", "السفاره"))


_OPEN_QUOTES = frozenset('«"“\'')
_CLOSE_QUOTES = frozenset('»"”\'')


def _club_list_cands(ws: list[_W]) -> list[Cand]:
    """The clubs listed after «أندية» («أندية الشباب والتعاون والخليج»): each definite word of
    the list, with or without «و», is a club; a common word ends the list. The model leaves most
    of them out: they are everyday words too."""
    out: list[Cand] = []
    common = _common_words()
    for i, w in enumerate(ws):
        if w.folded not in _CLUB_PLURALS:
            continue
        j, joined = i + 1, True  # the first name, then each one after «و» or a comma
        while j < len(ws) and ws[j].sent == w.sent:
            f = ws[j].folded
            off = 1 if f.startswith("وال") and j > i + 1 else 0
            name = f[off:]
            if not (joined or off) or not name.startswith("ال") or name in common or name in _stopwords() \
                    or name in nationality_lexicon() or len(name) < 4:  # «أندية الشرقية»: the region's
                break
            out.append(Cand(_raw_offset(ws[j].tok, off), ws[j].tok.end, "ORG", 1))
            j += 1
            joined = j < len(ws) and ws[j].tok.text in ("،", ",")
            if joined:
                j += 1
    return out


def _medium_cands(ws: list[_W]) -> list[Cand]:
    """A quoted name of one to three words right after «لـ» is the medium a source spoke to:
    «وقال لـ"الاقتصادية"», «لـ«الشرق الأوسط»» → ORG."""
    out: list[Cand] = []
    for i in range(len(ws) - 2):
        if ws[i].folded != "ل" or ws[i + 1].tok.text not in _OPEN_QUOTES:
            continue
        j = i + 2
        while j < len(ws) and j - (i + 2) < 4 and ws[j].tok.text not in _CLOSE_QUOTES:
            j += 1
        n = j - (i + 2)
        if j < len(ws) and 1 <= n <= 3 and ws[j].tok.text in _CLOSE_QUOTES and all(
                _is_wordish(ws[k]) and ws[k].folded not in _stopwords() for k in range(i + 2, j)):
            out.append(Cand(ws[i + 2].tok.start, ws[j - 1].tok.end, "ORG", 1, head=True))
    return out


_DASHES = frozenset("-ـ–—")
# who works for a medium: «مراسل اليوم», «محرر الرياضية» (folded, without و/ل)
_REPORTER_WORDS = frozenset(("مراسل", "مراسله", "مراسلو", "مراسلي", "محرر", "محرره", "مندوب"))


@lru_cache(maxsize=1)
def _media_names() -> frozenset[str]:
    return _fold_set("media_names.txt")


@lru_cache(maxsize=1)
def _media_first_words() -> frozenset[str]:
    return frozenset(m.split()[0] for m in _media_names())


def _listed_medium_cands(text: str, ws: list[_W]) -> list[Cand]:
    """A medium of ``media_names.txt`` is an organisation where a byline names it, between
    dashes or between a dash and the end of its line («نواف الغضوري- سبق- تبوك:», «حامد القرشي –
    عين اليوم»), between quotation marks («علمت "سبق"», «عبر "سبق"»), after a reporter
    («مراسل اليوم») or after a medium's head («بجريدة اليوم»). Elsewhere these names are words
    («سبق»: preceded, «اليوم»: today) or places, so only these contexts count; and a byline never
    makes a listed place a medium: in «الرياض - واس» the city is a dateline."""
    media = _media_names()
    firsts = _media_first_words()
    out: list[Cand] = []
    n = len(ws)
    for i, w in enumerate(ws):
        if w.folded not in firsts:
            continue
        for k in (2, 1):
            j = i + k
            if j > n:
                continue
            name = " ".join(x.folded for x in ws[i:j])
            if name not in media:
                continue
            before = ws[i - 1] if i else None
            after = ws[j] if j < n else None
            line_start = before is None or "\n" in text[before.tok.end:w.tok.start]
            line_end = after is None or "\n" in text[ws[j - 1].tok.end:after.tok.start]
            dash_before = not line_start and before is not None and before.tok.text in _DASHES
            dash_after = not line_end and after is not None and after.tok.text in _DASHES
            byline = (dash_before or dash_after) and (dash_before or line_start) \
                and (dash_after or line_end or (after is not None and after.tok.text == ":"))
            quoted = not line_start and not line_end and before is not None and after is not None \
                and before.tok.text in _OPEN_QUOTES and after.tok.text in _CLOSE_QUOTES
            lead = before.folded.removeprefix("و").removeprefix("ل") if before is not None else ""
            named = quoted or lead in _REPORTER_WORDS or lead in _MEDIA_HEADS or lead[1:] in _MEDIA_HEADS
            if named or (byline and _gazetteer().get(name) != "LOC"):
                out.append(Cand(w.tok.start, ws[j - 1].tok.end, "ORG", 1, head=True, listed=True))
                break
    return out


def _bare_name_after_head(w: _W) -> bool:
    f = w.folded
    return (_is_wordish(w) and len(f) >= 4 and f[0] in "بكل" and not f.startswith(("ال", "لل", "بال", "كال"))
            and f not in _stopwords() and f not in _common_words() and f[1:] not in _vocabulary()
            and (f in _vocabulary() or f in _wiki_words()))


@lru_cache(maxsize=1)
def _wiki_words() -> frozenset[str]:
    from khabar.ner.features import lexicons

    return frozenset(lexicons().wiki)


def key_has_article(w: _W, off: int) -> bool:
    return w.folded[off:].startswith("ال")


def _conjunction_before_hamza(w: _W, off: int, key: str) -> bool:
    """«وأدى» (and he performed) folds to the head «وادي» (valley), «وإلى» (and to) to the title
    «والي» (governor): a head or title starting «وا» never has a hamza after its و, so a token
    written و + أ/إ/آ is the conjunction and another word."""
    return off == 0 and key.startswith("وا") and w.tok.text[:2] in ("وأ", "وإ", "وآ")


def _definite(w: _W) -> bool:
    """A word with the article «ال» or a fused «لل». Folding writes hamza-alef as a bare alef,
    so «آلاف» (thousands), «ألف» (a thousand) and «آلية» (a mechanism) fold like definite words:
    the article is never written with a hamza."""
    return w.folded.startswith(("ال", "لل")) and not w.tok.text.lstrip("ـ").startswith(("آ", "أ", "إ"))


def _head_cands(ws: list[_W], model: list[Cand] | None = None) -> list[Cand]:
    """Organisation/facility head + its complement of definite words: «وزارة الخارجية».

    A complement of common words (:func:`_generic_complement`) needs the model's support: the
    model tags «مجلس الشيوخ» or «مجموعة العشرين», not «إدارة الشركة». Without a model the
    rule runs alone."""
    heads, stop, nationality, out = _heads(), _stopwords(), nationality_lexicon(), []
    support = _Spans(model) if model is not None else None
    i = 0
    while i < len(ws):
        w = ws[i]
        hit = None
        if _is_wordish(w):
            for n in (3, 2, 1):
                for off, key in w.cands:
                    if _heads_first().get(key, 0) < n:
                        continue
                    ph = _phrase(ws, i, n, key)
                    if ph in heads and not _conjunction_before_hamza(w, off, key):
                        hit = (off, n, *heads[ph], ph)
                        break
                if hit:
                    break
        if not hit:
            i += 1
            continue
        off, n, typ, drop, head_key = hit
        j = i + n
        k = 0
        while j + k < len(ws) and k < 4 and ws[j + k].sent == w.sent and _is_wordish(ws[j + k]):
            f = ws[j + k].folded
            if f in stop or f in _intro_titles():
                break
            # a nationality adjective ends a name («وكالة الفضاء الروسية») but is not one alone
            # («البرلمان الروسي» is not annotated), except after a state's or a place's head:
            # «الجمهورية التونسية», «المنطقة الشرقية», «الخليج العربي»
            if f in nationality and k == 0 and head_key not in _STATE_HEADS and typ != "LOC":
                break
            # «شركة أرامكو», «نادي برشلونة»: a bare name after an indefinite head only
            # a bare name after an indefinite head may start with a proclitic-like letter
            # («قاعدة بايكونور»): the head already says a name follows
            bare_ok = k == 0 and not key_has_article(ws[i], off) and (
                _name_like(ws[j + k], first=False) or _bare_name_after_head(ws[j + k]))
            listed_word = f in _gazetteer() and not _conjunction_before_hamza(ws[j + k], 0, f)  # not «وإن»
            # a ministry of two portfolios ends with the second: «وزارة التجارة والصناعة», «…
            # الشؤون البلدية والقروية»; other bodies are no portfolio («وزارة الحج والقطاعات …»)
            if head_key in _MINISTRY_HEADS and k >= 1 and f.startswith("وال") and len(f) > 4 \
                    and f[1:] not in _OTHER_BODIES:
                k += 1
                break
            if not (_definite(ws[j + k]) or listed_word or bare_ok):
                break
            # a state is named by a proper adjective («المملكة العربية», «الجمهورية التونسية»),
            # which the model tags, not by a common word («قررت المملكة السماح …»)
            if head_key in _STATE_HEADS and f in _common_words():
                break
            # «لل…» (for the …) continues a name after a head of two words or a complement
            # («الهيئة العامة للسياحة», «المنظمة الدولية للهجرة») but right after a one-word head
            # or a ministry's complement it is what the body does: «الشرطة للتحقيق», «مركز
            # للشرطة», «وزارة الإسكان للدراسات»
            if f.startswith("لل") and f not in _gazetteer() and (
                    (k == 0 and n == 1) or head_key in _MINISTRY_HEADS):
                break
            # adjectives end a name («الخليج العربي الرياح …», «مجلس التعاون الخليجي المركز …»):
            # after one, only another («وكالة الفضاء الاتحادية الروسية») or, for an organisation,
            # a purpose («الاتحاد الأوروبي لكرة القدم») goes on; a state's name may take more
            if k and head_key not in _STATE_HEADS and ws[j + k - 1].folded in nationality \
                    and f not in nationality and (typ == "LOC" or not f.startswith("لل")):
                break
            # after a dropped head (صحيفة، نادي) the name is one word unless the lexicons know more
            # («صحيفة الوسط اليومية المستقلة» → «الوسط») or the word is a particle that names
            # start with («قرية أبو العراج», «بلدة كفر نبل»)
            # (a place's name goes on only as a gazetteer phrase: «منطقة نجران قرية …» ends
            # before «قرية», a listed word; a club's over listed words: «نادي وست هام»)
            if drop and k >= 1 and ws[j + k - 1].folded not in _PLACE_PARTICLES and (
                    " ".join(x.folded for x in ws[j:j + k + 1]) not in _gazetteer_prefixes()
                    if typ == "LOC" else f not in _gazetteer()):
                break
            k += 1
        # ministries: the country adjective is not part of the name («وزارة الخارجية الروسية»)
        while k > 1 and head_key in _MINISTRY_HEADS and ws[j + k - 1].folded in nationality:
            k -= 1
        full = " ".join([head_key] + [ws[x].folded for x in range(j, j + k)])
        listed = full in _gazetteer() or full in _wiki_names()
        if k and not drop and support is not None and _generic_complement(ws[j:j + k], head_key, listed) \
                and not support.overlapping(ws[j].tok.start, ws[j + k - 1].tok.end):
            k = 0
        # an area's or a town's head before one common word is a description: «منطقة الجزاء»
        # (the penalty area), «منطقة الحادث», «قرية الألعاب»; a governorate's is a name
        # («محافظة الداير»)
        if k == 1 and head_key in _DESCRIPTIVE_PLACE_HEADS and ws[j].folded in _common_words() and not listed:
            k = 0
        if k == 0:
            i += n
            continue
        # «وكالة ناسا» → «ناسا»: one bare foreign-looking name after an organisation head names it
        # alone; a place keeps its head («جامعة بيتسبرج», «مطار عدن»)
        bare_name = (typ == "ORG" and k == 1 and not ws[j].folded.startswith(("ال", "لل"))
                     and ws[j].folded not in _gazetteer() and ws[j].folded not in _first_names())
        # that guess needs the model to tag the word: without it, the word after an indefinite
        # head is a verb or a noun far more often than a name («جامعة تضخ», «مجلس شباب», «كلية
        # طب», «محكمة أجازت» in 293 SaudiNewsNet articles; «جامعة هارفارد», «منظمة أوبك» are tagged)
        if bare_name and not drop and support is not None \
                and not support.overlapping(ws[j].tok.start, ws[j].tok.end):
            i += n
            continue
        # a lexicon entry keeps its head («حزب الله»), but a medium or a place is named without
        # it even when a lexicon lists it with one («قناة الجزيرة» → «الجزيرة», which is then no
        # generic word; «منطقة نجران» → «نجران»)
        medium = head_key in _MEDIA_HEADS
        if (drop or bare_name) and (medium or (drop and typ == "LOC") or not listed):
            # only a head the gold conventions drop outranks the model (a bare name is a guess)
            out.append(Cand(ws[j].tok.start, ws[j + k - 1].tok.end, typ, 1, head_dropped=drop,
                            medium=medium, listed=listed))
        else:
            out.append(Cand(_raw_offset(w.tok, off), ws[j + k - 1].tok.end, typ, 1, head=True))
        i = j + k
    return out


def _generic_complement(comp: list[_W], head_key: str, listed: bool) -> bool:
    """A complement of common words only makes a description, not a name: «إدارة الشركة»,
    «مجلس الإدارة», «إدارة الأسواق». Names are made of common words too, so each of these
    says otherwise: a ministry's or a state's head, whose complement is a common noun by nature
    («وزارة الداخلية»); a phrase the lexicons know (``listed``: «مجلس الوزراء»); a nationality adjective
    («هيئة الإذاعة البريطانية»); a place («شرطة القنفذة»); a «لل…» purpose («اللجنة العليا
    للانتخابات»). The caller also spares the heads the gold drops, whose name may be any word
    («صحيفة الوئام», «محافظة الداير»)."""
    if head_key in _MINISTRY_HEADS or head_key in _STATE_HEADS or listed:
        return False
    common, nationality, places = _common_words(), nationality_lexicon(), _gazetteer()
    return all(w.folded in common and w.folded not in nationality and w.folded not in places
               and not w.folded.startswith("لل") for w in comp)


def _model_cands(ws: list[_W]) -> list[Cand] | None:
    """Spans of the shipped statistical model; None when no model is installed."""
    from khabar.ner.tagger import load_tagger

    tagger = load_tagger()
    if tagger is None:
        return None
    sents: list[list[_W]] = []
    for w in ws:
        if sents and sents[-1][-1].sent == w.sent:
            sents[-1].append(w)
        else:
            sents.append([w])
    out: list[Cand] = []
    for sent, tags in zip(sents, tagger.tag_many([[x.tok.text for x in s] for s in sents])):
        for s, e, typ in _join_adjacent(spans_from_tags(tags), sent):
            # the gold conventions do not annotate MISC
            if typ == "MISC" or (trimmed := _trim_model_span(sent, s, e, typ)) is None:
                continue
            s, e = trimmed
            first = sent[s]
            off = _strip_proclitic(first)
            out.append(Cand(_raw_offset(first.tok, off), sent[e - 1].tok.end, typ, 0))
    return out


def _trim_model_span(sent: list[_W], s: int, e: int, typ: str) -> tuple[int, int] | None:
    """The model's span ``sent[s:e]`` without the words around a name that the model runs on
    over now and then; None when the span is no name at all."""
    # the model runs on over a descriptive word now and then («… الشقيق», «… الرسمية»);
    # the model's own stop words are its input and may end names («علي بن أبي طالب»)
    while e - 1 > s and sent[e - 1].folded in _layer_stopwords():
        e -= 1
    # a club is named without its country's masculine adjective («ملبورن سيتي الاسترالي»);
    # a company keeps a feminine one («زين السعودية») and a name of common words any
    # («الاتحاد الأوروبي», «الهلال الأحمر السعودي»)
    if typ == "ORG" and e - s > 1 and sent[e - 1].folded in nationality_lexicon() \
            and sent[e - 1].folded.endswith("ي") \
            and not any(x.folded.startswith(("ال", "لل")) for x in sent[s:e - 1]) \
            and not any(k in _heads() for _, k in sent[s].cands):
        e -= 1
    # nor is a blessing after a name («فيصل بن عبدالعزيز رحمه الله», «… حفظه الله»)
    if typ == "PER" and e - s > 2 and sent[e - 1].folded == "الله" and sent[e - 2].folded in _BLESSINGS:
        e -= 2
    # nor is a staff officer's rank part of his name («اللواء ركن محمد …»)
    while typ == "PER" and e - s > 1 and sent[s].folded in _RANK_WORDS:
        s += 1
    # a word with nunation is an indefinite noun or adverb, not a name («بئراً كبيراً»),
    # unless a given name («محمدًا»)
    if any(_nunated(x) and not _known_person_word(x.folded.rstrip("ا")) for x in sent[s:e]):
        return None
    return s, e


def _join_adjacent(spans: list[tuple[int, int, str]], sent: list[_W]) -> list[tuple[int, int, str]]:
    """Two touching spans of one type are one name («بوروسيا» + «دورتموند») unless the second
    starts with the conjunction و (a list: «ايران وسورية»)."""
    out: list[tuple[int, int, str]] = []
    for s, e, typ in spans:
        if out and out[-1][1] == s and out[-1][2] == typ and not sent[s].folded.startswith("و"):
            out[-1] = (out[-1][0], e, typ)
        else:
            out.append((s, e, typ))
    return out


def _strip_proclitic(w: _W) -> int:
    """Folded offset where the entity starts inside its first token: after و/ف and a single
    ب/ك/ل proclitic, keeping «ال» and a fused «لل». A letter is never stripped when the whole
    word is the likelier word (:func:`_whole_is_likelier`): «فرانس» is not ف + «رانس», «لبنان» not
    ل + «بنان», «كاليفورنيا» not ك + «اليفورنيا», though those remainders are names too."""
    f = w.folded
    i = 0
    if len(f) > 3 and f[0] in "وف" and (f[1:] not in _stopwords()) and not _whole_is_likelier(f, f[1:]):
        i = 1
    rest = f[i:]
    if rest.startswith("لل"):
        return i
    if len(rest) > 3 and rest[0] in "بكل" and rest[1:3] == "ال" and not _whole_is_likelier(rest, rest[1:]):
        return i + 1
    if i and rest[:2] == "ال":
        return i
    # «وزارة», «فرنسا», «لندن»: a single letter is stripped only when the rest is a known name
    if i and (rest in _gazetteer() or rest in _first_names()):
        return i
    if len(rest) > 3 and rest[0] in "بكل" and (rest[1:] in _gazetteer() or rest[1:] in _first_names()) \
            and not _whole_is_likelier(rest, rest[1:]):
        return i + 1
    # «لداعش», «لنوكيا»: a frequent word (of the 20,000 most frequent) that is often named, and
    # far more frequent than the word with the letter (not «كيزيل» → «يزيل», removes; not
    # «بوروسيا» → «وروسيا», and Russia)
    if len(rest) > 4 and rest[0] in "بكل" and rest[1] != "و" and rest[1:] not in _seldom_named_words() \
            and _word_ranks().get(rest[1:], 1 << 30) < 20_000 and _whole_is_likelier(rest[1:], rest):
        return i + 1
    if i and len(rest) > 3 and f not in _gazetteer() and f not in _first_names():
        # «وبريطانيا» vs «وليامس», «وائل»: the corpus vocabulary of the word clusters decides; a
        # word known only with its و keeps it
        vocab = _vocabulary()
        return 0 if (f in vocab and rest not in vocab) else i
    # a short name behind «و»: «وحسن معاذ», «وأبو ظبي» (but «ولد», «وفد» are words of their own)
    if i and len(rest) == 3 and _whole_is_likelier(rest, f):
        return i
    return 0


def _whole_is_likelier(whole: str, rest: str) -> bool:
    """Whether ``whole`` is a news word at least twice as frequent as ``rest``, what is left of
    it without its first letter: then that letter is part of the word, not a proclitic."""
    return twice_as_frequent(whole, rest, _word_ranks())


@lru_cache(maxsize=1)
def _word_ranks() -> dict[str, int]:
    """Folded word → its frequency rank in the news corpus (the clusters file is sorted by
    frequency)."""
    from khabar.ner.features import lexicons

    return {w: r for r, w in enumerate(lexicons().clusters)}


# ----------------------------------------------------------------------------- merge + link
class _Spans:
    """Non-overlapping candidates kept sorted by start: overlap queries in O(log n + hits), so
    that a 10 MB article is not quadratic."""

    def __init__(self, cands: list[Cand] = ()) -> None:  # type: ignore[assignment]
        self.items = sorted(cands, key=lambda c: c.start)
        self.starts = [c.start for c in self.items]

    def overlapping(self, start: int, end: int) -> list[Cand]:
        from bisect import bisect_left

        k = bisect_left(self.starts, end)
        out = []
        while k > 0 and self.items[k - 1].end > start:
            k -= 1
            if self.items[k].start < end:
                out.append(self.items[k])
        return out

    def add(self, c: Cand) -> None:
        from bisect import bisect_left

        k = bisect_left(self.starts, c.start)
        self.starts.insert(k, c.start)
        self.items.insert(k, c)

    def remove(self, c: Cand) -> None:
        k = self.items.index(c)
        del self.items[k]
        del self.starts[k]


def _merge(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping candidates: the model first, then longer spans, then earlier layers.

    A pattern span (origin 1) that strictly contains every chosen span it overlaps replaces them
    when it is a person introduced by a title (the model found «الموسى», the title gives «كامل
    الموسى») or an organisation/facility built on a generic head (the model found «السعودية» in
    «وزارة الصحة السعودية»), or that starts before spans the model found inside the head's
    complement. Otherwise a pattern only lends its titles to an overlapping person."""
    chosen = _Spans()

    for c in sorted(cands, key=lambda c: (c.origin, -(c.end - c.start), c.start)):
        over = chosen.overlapping(c.start, c.end)
        if not over:
            chosen.add(c)
            continue
        if c.origin == 0:
            continue
        inside = all(c.start <= o.start and o.end <= c.end and (o.start, o.end) != (c.start, c.end)
                     for o in over)
        # a head phrase also wins over model spans that start inside its complement: the model's
        # «الصحة السعودية» in «وزارة الصحة السعودية» gives way to the head's «وزارة الصحة»
        after_head = c.head and all(c.start < o.start for o in over)
        # a name whose generic head is dropped («تنظيم داعش» → «داعش», «صحيفة الوسط اليومية» →
        # «الوسط») also wins over a model span that holds it, alone or with the head or more: the
        # head says what it names («تنظيم داعش» is no place, «صحيفة الرياض» no city)
        names_it = c.head_dropped and all(o.start <= c.start and c.end <= o.end for o in over)
        # a place the gazetteer lists in several words names what the model cut short or
        # took for a person («مكة» → «مكة المكرمة», «أبو ظبي»)
        listed_place = c.origin == 2 and c.type == "LOC" and c.multiword and all(
            c.start <= o.start and o.end <= c.end and o.type in ("LOC", "PER") for o in over)
        if listed_place or c.origin == 1 and (
                (inside and c.type == "PER" and c.titles and all(o.type == "PER" for o in over))
                or (c.type != "PER" and (c.head and (inside or after_head) or names_it))):
            for o in over:
                chosen.remove(o)
            chosen.add(c)
            continue
        # patterns can carry titles to a model span of the same person
        for o in over:
            if o.type == c.type == "PER" and c.titles:
                o.titles = tuple(dict.fromkeys(o.titles + c.titles))
    return list(chosen.items)


def _propagate(ws: list[_W], chosen: list[Cand], text: str) -> list[Cand]:
    """Repeat mentions the layers missed: every accepted name again elsewhere in the article, and
    the surname of a multiword person alone (حفتر after «خليفة حفتر»)."""
    keys: dict[tuple[str, ...], str] = {}
    for c in chosen:
        words = tuple(fold(text[c.start:c.end]).split())
        if not words:
            continue
        keys.setdefault(words, c.type)
        if c.type == "PER" and len(words) >= 2:
            last = words[-1]
            # the given-name list, not the broader person gazetteer (which holds surnames such as ميركل)
            if len(last) >= 3 and last not in _stopwords() and last not in first_name_gender():
                keys.setdefault((last,), "PER")
    if not keys:
        return []
    max_n = max(len(k) for k in keys)
    first = _first_word_lengths(" ".join(k) for k in keys)
    covered = _Spans(chosen)
    ends = {c.end for c in chosen}
    out: list[Cand] = []
    i = 0
    while i < len(ws):
        w = ws[i]
        hit = None
        if _is_wordish(w) and not covered.overlapping(w.tok.start, w.tok.start + 1):
            for n in range(max_n, 0, -1):
                for off, key in w.cands:
                    if first.get(key, 0) < n:
                        continue
                    ph = _phrase(ws, i, n, key)
                    if ph is not None and tuple(ph.split()) in keys:
                        hit = (off, n, keys[tuple(ph.split())])
                        break
                if hit:
                    break
        if hit:
            off, n, typ = hit
            end = ws[i + n - 1].tok.end
            start = _raw_offset(w.tok, off)
            prev = ws[i - 1] if i else None
            if typ == "PER" and n == 1 and prev is not None and prev.sent == w.sent \
                    and prev.folded in _first_names() and prev.tok.end not in ends:
                # «كامل الموسى» after «ريان الموسى»: a relative, not a short form of the same person
                start = prev.tok.start
            if not covered.overlapping(start, end):
                out.append(Cand(start, end, typ, 3))
            i += n
        else:
            i += 1
    return out


_LIST_SEPARATORS = frozenset("–—-،,؛;.:")


def _person_lists(ws: list[_W], chosen: list[Cand]) -> list[Cand]:
    """Names in a list («باسم عطالله – أسامة هوساوي – محمد أمان ...»): when at least three items of
    a separator-delimited list are persons, every other short item of name-like words is one too,
    and a person span covering part of an item grows to the whole item."""
    per_spans = _Spans([c for c in chosen if c.type == "PER"])
    all_spans = _Spans(chosen)
    out: list[Cand] = []
    i = 0
    while i < len(ws):
        j = i
        while j < len(ws) and ws[j].sent == ws[i].sent:
            j += 1
        items: list[tuple[int, int]] = []
        k = i
        for m in range(i, j + 1):
            if m == j or ws[m].tok.text in _LIST_SEPARATORS:
                if m > k:
                    items.append((k, m))
                k = m + 1
        def cover(a: int, b: int) -> list[Cand]:
            return per_spans.overlapping(ws[a].tok.start, ws[b - 1].tok.end)
        full = [it for it in items if any(c.start <= ws[it[0]].tok.end and c.end >= ws[it[1] - 1].tok.end
                                          for c in cover(*it))]
        if len(full) >= 3:
            for a, b in items:
                if (a, b) in full or not 2 <= b - a <= 3:
                    continue
                if not all(_name_like(ws[x], first=x == a) or ws[x].folded in _NAME_LINKS for x in range(a, b)):
                    continue
                if any(c.type != "PER" for c in all_spans.overlapping(ws[a].tok.start, ws[b - 1].tok.end)):
                    continue
                out.append(Cand(ws[a].tok.start, ws[b - 1].tok.end, "PER", 1))
        i = j
    return out


def _titles_before(doc: Document, ws: list[_W], c: Cand, index: dict[int, int],
                   people: _Spans | None = None) -> tuple[str, ...]:
    """A title right before a model PER span («المستشارة الألمانية أنجيلا ميركل»). Words
    between a title and the name belong to the role, unless another of the ``people`` stands
    there: in «وزير الخارجية الإيراني محمد جواد ظريف نظيره العماني يوسف بن علوي» the minister's
    title is not bin Alawi's."""
    i = index.get(c.start)
    if i is None:
        return ()
    nat = nationality_lexicon()
    j = i
    while j > 0 and ws[j - 1].sent == ws[i].sent and ws[j - 1].folded in nat:
        j -= 1
    for n in range(MAX_TITLE_WORDS + 2, 0, -1):
        s = j - n
        if s < 0:
            continue
        m = _match_title(ws, s)
        if m and s + m[1] <= j:
            # every word between the title and the nationality run is part of the role
            if s + m[1] < j and any(ws[k].folded in _stopwords() or not _is_wordish(ws[k])
                                    for k in range(s + m[1], j)):
                continue
            if people is not None and any(p is not c for p in people.overlapping(ws[s].tok.start, ws[j - 1].tok.end)):
                continue
            start = _raw_offset(ws[s].tok, m[0])
            return (doc.text[start:ws[i - 1].tok.end],)
    return ()


def _unstrip_known(ws: list[_W], cands: list[Cand], text: str) -> list[Cand]:
    """Give back a stripped «و» when the whole word is part of a longer name in the article
    («وليامس» alone after «سيرينا وليامس» is not و + «ليامس»)."""
    inner = {w for c in cands for w in fold(text[c.start:c.end]).split()[1:]}
    tok_at = {w.tok.start: w for w in ws}
    starts = sorted(tok_at)
    from bisect import bisect_right

    for c in cands:
        k = bisect_right(starts, c.start) - 1
        if k < 0:
            continue
        w = tok_at[starts[k]]
        if w.tok.start < c.start < w.tok.end and w.folded in inner:
            c.start = w.tok.start
    return cands


def _organisations_with_a_next_word(ws: list[_W], cands: list[Cand]) -> Iterator[tuple[Cand, int]]:
    """Each organisation candidate that ends at the end of a word, with that word's index, when
    another word of its sentence follows: the candidates :func:`_coordinated_purpose` and
    :func:`_branch_locative` may run on."""
    starts = [w.tok.start for w in ws]
    for c in cands:
        if c.type != "ORG":
            continue
        k = bisect_left(starts, c.end) - 1
        if 0 <= k < len(ws) - 1 and ws[k].tok.end == c.end and ws[k + 1].sent == ws[k].sent:
            yield c, k


def _coordinated_purpose(ws: list[_W], cands: list[Cand]) -> list[Cand]:
    """An organisation named for two purposes keeps the second: «اللجنة الوطنية للحج والعمرة»,
    «البنك السعودي للتسليف والادخار». After a name ending in a «لل…» purpose, a «وال…» word
    continues it unless it starts a name of its own, with a relative adjective after it («مركز
    الملك سلمان للإغاثة والأعمال الإنسانية», «… للسياحة والتراث الوطني»)."""
    taken = {c.start for c in cands}
    for c, k in _organisations_with_a_next_word(ws, cands):
        last, nxt = ws[k], ws[k + 1]
        if (last.folded.startswith("لل") and nxt.folded.startswith("وال")
                and len(nxt.folded) > 4 and nxt.folded not in _stopwords()
                and not any(t in taken for t in range(nxt.tok.start, nxt.tok.end))):
            c.end = nxt.tok.end
            adj = ws[k + 2] if k + 2 < len(ws) else None
            if adj is not None and adj.sent == nxt.sent and adj.folded.startswith("ال") \
                    and adj.folded.endswith(("ي", "يه")) and adj.folded not in _stopwords() \
                    and adj.tok.start not in taken:
                c.end = adj.tok.end
    return cands


def _branch_locative(ws: list[_W], cands: list[Cand]) -> list[Cand]:
    """A regional branch keeps its attached place (the gold's «الغرفة التجارية الصناعية بجدة»,
    «مكتب العمل والعمال بمحافظة خيبر»): an organisation built on a head and followed right away
    by ب + a place, or ب + a place head + a place, runs on over it (a place the gazetteers list
    or the model or a rule found: «عسير» is in no gazetteer). Councils,
    ministries and clubs are left alone: «مجلس الوزراء بجدة» says where it met, «وزارة العمل
    بحائل» is the ministry's office there."""
    starts = [w.tok.start for w in ws]
    taken = {c.start for c in cands}
    # the places the model or a rule found, by where they start: «عسير» is in no gazetteer
    places = {c.start: c.end for c in cands if c.type == "LOC"}
    gaz, seldom, place_heads = _gazetteer(), _seldom_named_words(), _place_heads()
    swallowed: list[tuple[int, int]] = []
    for c, k in _organisations_with_a_next_word(ws, cands):
        if not c.head:
            continue
        head = ws[bisect_left(starts, c.start)]
        if any(key.removeprefix("ال").startswith(_NOT_BRANCHES) for _, key in head.cands):
            continue
        nxt = ws[k + 1]
        if not nxt.folded.startswith("ب") or nxt.tok.start in taken:
            continue
        first, j, at = nxt.folded[1:], k + 1, nxt.tok.start + 1
        if first in place_heads and j + 1 < len(ws) and ws[j + 1].sent == nxt.sent:
            j += 1
            first, at = ws[j].folded, ws[j].tok.start
        for n in (3, 2, 1):  # the longest listed or found place of up to three words
            if j + n <= len(ws) and all(ws[x].sent == nxt.sent for x in range(j, j + n)):
                ph = " ".join([first] + [ws[x].folded for x in range(j + 1, j + n)])
                end = ws[j + n - 1].tok.end
                if (places.get(at) == end or gaz.get(ph) == "LOC") \
                        and (n > 1 or (ph not in seldom and ph not in _heads())):
                    swallowed.append((c.end, end))
                    c.end = end
                    break
    # the place is now part of the branch's name (flat annotation)
    return [c for c in cands if not (c.type == "LOC" and any(a <= c.start and c.end <= b for a, b in swallowed))]


@lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    return frozenset(h for h, (t, _) in _heads().items() if t == "LOC")


def _people_not_organisations(mentions: list[Mention]) -> None:
    """A one-word name the model tags a person in one sentence and an organisation in another
    («مورينيو» … «فريق مورينيو») gets the type most of its uses have, a person's full name
    voting for its last word; a tie goes to the person."""
    from khabar.link import mention_key

    keys = [mention_key(m.text) for m in mentions]
    votes: dict[str, Counter[str]] = {}
    for m, k in zip(mentions, keys):
        if k and (m.type == "PER" or (m.type == "ORG" and len(k) == 1)):
            votes.setdefault(k[-1], Counter())[m.type] += 1
    for m, k in zip(mentions, keys):
        if m.type == "ORG" and len(k) == 1 and votes[k[0]]["PER"] >= votes[k[0]]["ORG"]:
            m.type = "PER"


def _club_adjective(ws: list[_W], index: dict[int, int], m: Mention) -> bool:
    """A one-word place followed by a *masculine* nationality adjective is a club or team: cities
    and countries are feminine in Arabic («ميلان الإيطالي» the club, «ميلانو الإيطالية» the city)."""
    i = index.get(m.start)
    if i is None or " " in m.text or m.text.startswith("ال") or i + 1 >= len(ws):
        return False
    nxt = ws[i + 1]
    return nxt.sent == ws[i].sent and nxt.folded.startswith("ال") and nxt.folded.endswith("ي") \
        and nxt.folded in nationality_lexicon()


# Words that look like a preposition + a name but are fixed expressions.
_FIXED_EXPRESSIONS = frozenset({"لصالح", "بصالح", "لصالحه", "لصالحها"})


def _is_generic(text: str) -> bool:
    """A generic word (الوزارة), a function word with its conjunction (وأن) or a one-word mention
    with digits (الـ18) is never an entity mention."""
    f = " ".join(fold(text).split())
    generic = _generic()
    if f in generic or (f[:1] in "وف" and f[1:] in generic) or (f.startswith("لل") and "ال" + f[2:] in generic):
        return True
    # one-word mentions with digits (الـ18) or of two letters or fewer (the «بي» of «بي.بي.سي»)
    return " " not in f and (any(ch.isdigit() for ch in f) or len(f) <= 2)


def _person_name_span(text: str, c: Cand) -> bool:
    """Narrow a person's span off the role phrases that the model reads as names; False when
    nothing of a name is left. «حافظ الأختام» (keeper of the seals, the Algerian justice minister's
    title) is a title, not the name Hafez; «باسم» closing a name is «in the name of» («المتحدث
    باسم …», «خالد الفيصل باسم الأمير»), and alone before a definite noun it is the same preposition."""
    words = text[c.start:c.end].split()
    folded = [fold_word(w) for w in words]
    if " ".join(folded) in _intro_titles():
        return False
    if len(words) >= 2 and folded[-1] == "باسم":
        span = text[c.start:c.end]
        c.end = c.start + len(span[:span.rstrip().rfind(words[-1])].rstrip())
        return c.end > c.start
    if folded == ["باسم"]:
        nxt = text[c.end:c.end + 40].split()
        return not (nxt and fold_word(nxt[0]).startswith(("ال", "وزار", "حكوم", "هيئ", "جمعي", "حزب", "حرك")))
    return True


def extract_entities(doc: Document) -> list[Entity]:
    if not doc.tokens:
        return []
    ws = _words(doc)
    model = _model_cands(ws)
    cands = (model or []) + _title_person_cands(doc.text, ws, model) + _head_cands(ws, model) + _medium_cands(ws) \
        + _listed_medium_cands(doc.text, ws) + _first_name_cands(ws) + _gazetteer_cands(ws) + _club_list_cands(ws)
    merged = _merge(cands)
    grown = _person_lists(ws, merged)
    if grown:
        merged = _merge(grown + [c for c in merged if not any(
            c.start < g.end and g.start < c.end for g in grown)])
    merged = sorted(merged + _propagate(ws, merged, doc.text), key=lambda c: c.start)
    merged = _branch_locative(ws, _coordinated_purpose(ws, _unstrip_known(ws, merged, doc.text)))
    index = {w.tok.start: i for i, w in enumerate(ws)}
    mentions: list[Mention] = []
    misc = _fold_set("misc_heads.txt")
    starts = [w.tok.start for w in ws]
    people = _Spans([c for c in merged if c.type == "PER"])
    # a generic word is a publication's name when the article names it so twice («صحيفة الوسط»
    # … «جريدة الوسط»); once, it may describe one («صحيفة المعارضة», the opposition's paper)
    media = Counter(fold(doc.text[c.start:c.end]) for c in cands if c.medium)
    for c in merged:
        if c.type == "PER" and not _person_name_span(doc.text, c):
            continue
        if c.end <= c.start or (_is_generic(doc.text[c.start:c.end]) and not c.listed
                                 and not (c.medium and media[fold(doc.text[c.start:c.end])] >= 2)):
            continue
        k = bisect_right(starts, c.start) - 1
        if k >= 0 and ws[k].tok.start < c.start and ws[k].folded in _FIXED_EXPRESSIONS:
            continue  # «لصالح» (in favour of) is not ل + the name صالح
        i = index.get(c.start)
        if c.type == "LOC" and i and ws[i - 1].sent == ws[i].sent and any(k in misc for _, k in ws[i - 1].cands):
            continue
        titles = list(c.titles)
        if c.type == "PER" and not titles:
            titles = list(_titles_before(doc, ws, c, index, people))
        mentions.append(Mention(c.start, c.end, doc.text[c.start:c.end], c.type, titles))
    entities: list[Entity] = []
    _people_not_organisations(mentions)
    clusters = link(mentions)
    clubs = [cl for cl in clusters if cl.type == "LOC" and any(_club_adjective(ws, index, m) for m in cl.mentions)]
    if clubs:
        # a club's mentions join the club's other names («يونايتد الهولندي» and «مانشستر يونايتد»)
        for cl in clubs:
            for m in cl.mentions:
                m.type = "ORG"
        clusters = link(mentions)
    for n, cl in enumerate(clusters, 1):
        best = canonical(cl.mentions)
        titles = list(dict.fromkeys(t for m in cl.mentions for t in m.titles))
        seen: set[tuple[int, int]] = set()
        spans = []
        for m in cl.mentions:
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                spans.append(Span(m.start, m.end, m.text))
        entities.append(Entity(f"e{n}", best.text, cl.type, titles, spans))
    return entities
