"""Quotations, direct and indirect, each with its cue and a resolved speaker.

The unit of work is the *frame* that a reporting cue opens::

    cue  [speaker NP]  [adjuncts]  introducer  content
    وقال  كيري  غداة لقاء مع لافروف في ماليزيا  :  «بحثنا …»

The introducer is a colon (direct, content to the end of the sentence), an opening
quotation mark (direct, content = the marked text), or a complementizer أن/إن/بأن
(indirect, content to the end of the clause; direct when the whole clause is marked).
A cue whose complement is a noun («أعربت عن رغبتها», «حذر من «…»») opens no frame.
Attribution phrases («بحسب ما ذكر النادي», «كما أعلنت الوزارة») quote the clause they
follow; «بحسب تعبيره» quotes the marked words before it. Cues inside a quotation are
nested speech and are ignored. Speakers are resolved by :mod:`khabar.extract.speakers`.
"""
from __future__ import annotations

from typing import NamedTuple

from khabar.document import Document, Quote, Span
from khabar.extract.context import Cue, Frame, TokenContext
from khabar.extract.cues import lexicon, speaker_heads
from khabar.extract.marks import CLOSING_TOKENS, COMMAS, MarkPair, is_opening_mark
from khabar.extract.speaker_ranker import Option, OptionBuilder, SpeakerRanker, default_ranker, speaker_key
from khabar.extract.speakers import Candidate, SpeakerResolver, agrees, title_words, to_speaker

_TRAIL = " \t\n\u00a0\u200f\u200e.،,؛;:-–—"
_SENT_END = frozenset(".!?؟؛…")
_APPOSITION = frozenset({"وهي", "وهو"})
_LIST_INTRO = frozenset({"من", "التالي", "كالتالي", "يلي", "كالاتي", "الاتي", "التاليه"})  # «وهم كل من:»
_CONNECTIVES = frozenset({"فيما", "بينما", "كما", "وكما", "حيث", "لكن", "ولكن"})
_COPULAS = frozenset({"كان", "يكن", "يكون", "تكون", "كانت", "ليس", "ليست", "بات", "باتت", "اصبح", "اصبحت", "ظل", "ظلت"})
_SUBORDINATORS = frozenset({"قبل", "بعد", "دون", "بدون", "منذ", "حتي", "لحين", "ريثما", "اجل"})
_MAX_FRAME = 28  # tokens between a cue and its introducer
_OBJECT_PRONOUNS = frozenset(("لك", "لكم", "لكما", "لنا", "له", "لها", "لهم", "لي"))
_WEAK_FRAME = 3



def _find_cues(ctx: TokenContext) -> list[Cue]:
    lex = lexicon()
    cues: list[Cue] = []
    i = 0
    while i < ctx.n:
        hit: Cue | None = None
        for k in range(min(lex.max_phrase, ctx.n - i), 1, -1):
            form = lex.phrases.get(tuple(ctx.ft[i:i + k]))
            if form is not None:
                hit = Cue(i, i + k, form)
                break
        if hit is None:
            form = lex.words.get(ctx.ft[i])
            # a source preposition in brackets cites, it does not report («… (حسب تقارير …)»)
            if form is not None and not (form.source and (not _source_follows(ctx, i + 1)
                                                          or (i > 0 and ctx.toks[i - 1].text == "("))):
                hit = Cue(i, i + 1, form)
                # «وتابع قائلا», «ومضى قائلا»: one cue
                nxt = lex.words.get(ctx.ft[i + 1]) if i + 1 < ctx.n else None
                if form.pos == "verb" and nxt is not None and nxt.pos == "participle" and nxt.lemma == "قال":
                    hit = Cue(i, i + 2, form)
        if hit is not None:
            cues.append(hit)
            i = hit.end
        else:
            i += 1
    return cues


def _source_follows(ctx: TokenContext, k: int) -> bool:
    """Whether a source that can speak starts at token k, after a bare attribution preposition
    («بحسب»): a person, organisation or place found by the entity layer, or a speaker head
    («مصادر», «بيان», «وكالة»), with or without «لـ» and quotation marks, or a website named
    after «موقع» («وحسب موقع "فوربس"»). «حسب التخصص» and «وفق القانون» attribute nothing."""
    k = _skip_marks_and_li(ctx, k)
    if k >= ctx.n:
        return False
    if k in ctx.ent_at and ctx.ent_at[k][0].type in ("PER", "ORG", "LOC"):
        return True
    f = ctx.ft[k]
    keys = {f, f.removeprefix("ال")}
    if f.startswith("لل"):
        keys |= {"ال" + f[2:], f[2:]}
    elif f.startswith("ل"):
        keys |= {f[1:], f[1:].removeprefix("ال")}
    if keys & speaker_heads().keys():
        return True
    if f in ("موقع", "لموقع"):
        j = _skip_marks_and_li(ctx, k + 1)
        return j < ctx.n and j in ctx.ent_at and ctx.ent_at[j][0].type == "ORG"
    return False


def _skip_marks_and_li(ctx: TokenContext, k: int) -> int:
    while k < ctx.n and (ctx.ft[k] == "ل" or is_opening_mark(ctx.toks[k].text)):
        k += 1
    return k


class _Intro(NamedTuple):
    kind: str  # colon | mark | compl | handover | nominal
    tok: int
    via: int | None  # «عن» before the speaker of «نقلت الوكالة عن الوزير أن»


class FrameFinder:
    def __init__(self, ctx: TokenContext) -> None:
        self.ctx = ctx
        self.cues = _find_cues(ctx)
        self.cue_at = {c.start: c for c in self.cues}

    # -- helpers -------------------------------------------------------------------------
    def _own_cue_at(self, k: int) -> bool:
        """A cue at token k whose speaker speaks for itself; a bare attribution preposition
        («بحسب رويترز») may only name the medium that transmits another cue's words."""
        c = self.cue_at.get(k)
        return c is not None and not c.form.source

    def _compl(self, i: int) -> bool:
        return self.ctx.fw.get(self.ctx.ft[i]) == "compl"

    def _is_name_pair(self, p: MarkPair, stop: int) -> bool:
        """Marks around a name or title inside a frame («لـ«الشرق الأوسط»», قال «المسؤول» إن)."""
        ctx = self.ctx
        if p.close_tok is None:
            return False
        prev = ctx.ft[p.open_tok - 1] if p.open_tok > 0 else ""
        prev_raw = ctx.toks[p.open_tok - 1].text if p.open_tok > 0 else ""
        if ctx.fw.get(prev) == "prep" or prev_raw in ("لـ", "ل", "بـ") or prev_raw.endswith("ـ"):
            return True
        words = sum(1 for k in range(p.open_tok + 1, p.close_tok) if ctx.toks[k].text[:1].isalnum())
        if words > 4:
            return False
        after_word = p.open_tok > 0 and ctx.toks[p.open_tok - 1].text[:1].isalpha() \
            and (p.open_tok - 1) not in self.cue_at
        if words <= 2 and after_word:
            return True  # «تحت اسم مشروع "القصبة"،»: a name after a noun
        nxt = p.close_tok + 1
        if (words <= 2 or after_word) and nxt < ctx.n and ctx.toks[nxt].text[:1].isalnum() \
                and nxt not in self.cue_at and not self._compl(nxt):
            return True  # «وأعلن "فيفا" في أيار», «كتب معرض "من هنا ننهض" للأسر …»: a name inside the sentence
        # Short marked text followed by more of the frame (a complementizer, a colon or a mark).
        for k in range(p.close_tok + 1, min(stop, p.close_tok + 6)):
            t = ctx.toks[k].text
            if self._compl(k) or t == ":" or is_opening_mark(t):
                return True
            if ctx.ft[k] and ctx.ft[k][0].isalnum() and ctx.fw.get(ctx.ft[k]) not in ("time", "prep"):
                break
        return False

    def _clause_end(self, k: int, indirect: bool = False) -> int:
        """Char offset where the content starting at token k ends: the sentence end (a «؛»
        does not end a quotation), or the next cue that opens a clause of its own
        («، مشيرا إلى أن», «وأضافت:»); for indirect speech also the journalist's own
        apposition («، وهي قاعدة …»)."""
        ctx = self.ctx
        end_tok = ctx.sent_end_tok(k)
        while end_tok < ctx.n and ctx.toks[end_tok - 1].text == "؛" \
                and "\n" not in ctx.text[ctx.toks[end_tok - 1].end:ctx.toks[end_tok].start] \
                and not (end_tok in self.cue_at and self._opens_clause(self.cue_at[end_tok])):
            end_tok = ctx.sent_end_tok(end_tok)
        end = ctx.toks[end_tok - 1].end if end_tok > k else ctx.char_end_of_sentence(k)
        j = k + 1
        while j < end_tok:
            if ctx.in_marks[j] and not ctx.in_marks[k]:
                j += 1
                continue
            c = self.cue_at.get(j)
            if c is not None and self._opens_clause(c):
                return ctx.toks[j].start
            if indirect and ctx.toks[j].text in COMMAS and j + 1 < end_tok and ctx.ft[j + 1] in _APPOSITION:
                return ctx.toks[j].start
            j += 1
        return end

    def _opens_clause(self, c: Cue) -> bool:
        ctx = self.ctx
        if c.form.pos in ("phrase-post", "phrase-self"):
            return True
        prev = ctx.toks[c.start - 1].text if c.start > 0 else "."
        if c.form.pos == "participle":
            # «… من كل سوء مشددا على أهمية …»: the accusative of manner is the journalist's,
            # with or without a comma before it
            # (but «ولم يكن مستغربا من …» is a predicate)
            return prev in COMMAS or prev == "." or (
                c.form.gender == "m" and ctx.ft[c.start].endswith("ا") and ctx.ft[c.start - 1] not in _COPULAS)
        connective = ctx.ft[c.start][:1] in ("و", "ف") or prev in COMMAS or (c.start > 0 and ctx.ft[c.start - 1] in _CONNECTIVES)
        if c.form.pos == "verb" and connective:
            # a new coordinated reporting clause: its introducer follows closely
            intro = self._scan(c, probe=True)
            return intro is not None and intro.kind in ("colon", "mark", "compl") and intro.tok - c.end <= 6
        return False

    def _trim(self, s: int, e: int) -> tuple[int, int]:
        t = self.ctx.text
        while s < e and t[s] in " \t\n\u00a0\u200f\u200e":
            s += 1
        while e > s and t[e - 1] in _TRAIL:
            e -= 1
        return s, e

    # -- the frame scanner ------------------------------------------------------------------
    def _scan(self, cue: Cue, probe: bool = False) -> _Intro | None:
        """Find the introducer after a cue: ("colon"|"mark"|"compl"|"handover"|"nominal", token,
        and for a cue whose speaker follows a preposition («نقلت الوكالة عن الوزير أن») the
        preposition's token)."""
        via_at: int | None = None
        ctx = self.ctx
        limit = min(ctx.sent_end_tok(cue.start), cue.end + (_WEAK_FRAME if cue.form.weak else _MAX_FRAME))
        # A mark opening right after the sentence end («».واضاف «…») still belongs to this cue.
        j = cue.end
        seen_rel = False
        while j < ctx.n and j < limit + 1:
            t = ctx.toks[j].text
            f = ctx.ft[j]
            seen_rel = seen_rel or ctx.fw.get(f) == "rel"
            if j >= limit and not (is_opening_mark(t)):
                break
            if t == ":" and not (j > 0 and ctx.ft[j - 1] in _LIST_INTRO):
                return _Intro("colon", j, via_at)
            if is_opening_mark(t):
                p = ctx.pair_at.get(j)
                if p is not None and self._is_name_pair(p, limit):
                    j = p.close_tok + 1  # type: ignore[operator]
                    continue
                if p is not None:
                    prev = ctx.ft[j - 1] if j > cue.end else ""
                    if prev in cue.form.preps or ctx.fw.get(prev) == "prep":
                        return _Intro("nominal", j, via_at)  # حذر من «…», تحدث عن «…»
                    return _Intro("mark", j, via_at)
            if self._compl(j):
                if j > cue.end and ctx.ft[j - 1] in _SUBORDINATORS:
                    return _Intro("nominal", j, via_at)  # «قبل أن», «بعد أن»: a time clause, not speech
                return _Intro("compl", j, via_at)
            if j == cue.end and len(f) > 3 and f[0] in cue.form.preps and not self._compl(j):
                return _Intro("nominal", j, via_at)  # «منوها باستقلالية …»
            if f == cue.form.via:
                via_at = j  # «نقلت الوكالة عن الوزير أن …»: the speaker follows
                j += 1
                continue
            if f == "عن" and f not in cue.form.preps and not seen_rel \
                    and (j - cue.end <= 4 or ctx.toks[j - 1].text in COMMAS):
                # «أعلنت عن إطلاق …» is nominal; «وقال عن هذا الأمر: …» still introduces speech
                ahead = range(j + 1, min(limit, j + 5))
                if not any(ctx.toks[k].text == ":" or self._compl(k) for k in ahead):
                    return _Intro("nominal", j, via_at)
            if f in cue.form.preps:
                nxt = j + 1
                if nxt < ctx.n and self._compl(nxt):
                    return _Intro("compl", nxt, via_at)
                return _Intro("nominal", j, via_at)
            # a medium that transmits the speech is no speaker of its own («وقالت الوزارة، بحسب
            # رويترز، إن …»: gold convention 5)
            if j > cue.end and not probe and self._own_cue_at(j):
                return _Intro("handover", j, via_at)
            j += 1
        return None

    def _whole_clause_marked(self, p: MarkPair) -> bool:
        """After «…» only punctuation, a cue or an attribution phrase until the sentence ends."""
        ctx = self.ctx
        if p.close_tok is None:
            return False
        end = ctx.sent_end_tok(p.close_tok)
        j = p.close_tok + 1
        while j < end:
            if j in self.cue_at:
                return True
            if not ctx.is_punct(j):
                return False
            j += 1
        return True

    def frames(self) -> list[Frame]:
        ctx = self.ctx
        out: list[Frame] = []
        claimed_pairs: set[int] = set()
        covered_until = -1  # char offset: cues inside an earlier quote are nested speech
        inherited: dict[int, tuple[int, int]] = {}
        for cue in self.cues:
            i = cue.start
            if ctx.in_marks[i] or ctx.toks[i].start < covered_until:
                continue
            if i > 0 and ctx.fw.get(ctx.ft[i - 1]) == "neg":
                continue
            if ctx.fw.get(ctx.ft[i]) == "journ" and i + 1 < ctx.n and self._compl(i + 1):
                continue  # «ويذكر أن»: background formula
            pos = cue.form.pos
            fr: Frame | None
            if pos == "phrase-post":
                fr = self._post_frame(cue, out)
            elif pos == "phrase-self":
                fr = self._self_frame(cue, claimed_pairs)
            else:
                fr = self._verb_frame(cue, inherited, claimed_pairs)
                if fr is not None:
                    fr.np_inherited = cue.start in inherited
            if fr is None or fr.end <= fr.start:
                continue
            out.append(fr)
            covered_until = max(covered_until, fr.end)
        return out

    def _verb_frame(self, cue: Cue, inherited: dict[int, tuple[int, int]], claimed: set[int]) -> Frame | None:
        ctx = self.ctx
        res = self._scan(cue)
        np: tuple[int, int] | None = inherited.get(cue.start)
        if res is None or res.kind == "nominal":
            return self._postposed(cue, claimed) if res is None else None
        kind, j, via_at = res
        if kind == "handover":
            nxt = self.cue_at[j]
            if nxt.form.pos in ("participle", "noun"):
                inherited[j] = (cue.end, j)
            return None
        if via_at is not None and j > via_at + 1:
            np = (via_at + 1, j)
        elif np is None and j > cue.end:
            np = (cue.end, j)
        if cue.form.pos == "noun":
            np = self._noun_cue_np(cue)
        conf = 0.9
        if kind == "colon":
            k = j + 1
            p = ctx.pair_at.get(k)
            if p is not None and p.close_tok is not None:
                claimed.add(p.open_tok)  # «روي عن أفلاطون: «…»، وكم …»: the marked words
                s, e = self._inside(p)
                return Frame(cue, "direct", s, e, np, confidence=conf)
            if k >= ctx.n:
                return None
            s, e = self._trim(ctx.toks[k].start, self._clause_end(k))
            return Frame(cue, "direct", s, e, np, confidence=0.85)
        if kind == "mark":
            if self._object_before_mark(cue, j):
                return None
            p = ctx.pair_at[j]
            claimed.add(p.open_tok)
            if p.close_tok is not None:
                s, e = self._inside(p)
            else:
                s, e = self._trim(ctx.toks[j].end, self._clause_end(j + 1) if j + 1 < ctx.n else ctx.toks[j].end)
            return Frame(cue, "direct", s, e, np, confidence=conf if p.close_tok is not None else 0.7)
        # complementizer; a preposition right after the cue belongs to it («مشيرا إلى أن»)
        if j == cue.end + 1 and ctx.ft[cue.end] in cue.form.preps:
            cue = Cue(cue.start, cue.end + 1, cue.form)
        k = j + 1
        if k >= ctx.n:
            return None
        p = ctx.pair_at.get(k)
        if p is not None and p.close_tok is not None and self._whole_clause_marked(p):
            claimed.add(p.open_tok)
            s, e = self._inside(p)
            return Frame(cue, "direct", s, e, np, confidence=conf)
        s, e = self._trim(ctx.toks[k].start, self._clause_end(k, indirect=True))
        return Frame(cue, "indirect", s, e, np, confidence=0.8)

    def _object_before_mark(self, cue: Cue, j: int) -> bool:
        """«اعلنت الثلاثاء تفكيك «خلية …»»: after a time adjunct, an unknown word right before
        the mark is the verb's object (a noun), so the marked words are not its speech."""
        ctx = self.ctx
        if j - cue.end < 2:
            return False
        k = j - 1
        f = ctx.ft[k]
        known = k in ctx.ent_at or f in speaker_heads() or f in title_words() or ctx.fw.get(f) is not None
        return ctx.toks[k].text[:1].isalpha() and not known and ctx.fw.get(ctx.ft[k - 1]) == "time"

    def _inside(self, p: MarkPair) -> tuple[int, int]:
        ctx = self.ctx
        s = ctx.toks[p.open_tok].end
        e = ctx.toks[p.close_tok].start  # type: ignore[index]
        t = ctx.text
        while s < e and t[s].isspace():
            s += 1
        while e > s and t[e - 1].isspace():
            e -= 1
        return s, e

    def _noun_cue_np(self, cue: Cue) -> tuple[int, int] | None:
        """«نقلت القناة عن مصدر محلي قوله»: the speaker sits between «عن» and the cue."""
        ctx = self.ctx
        first = ctx.sent_range[ctx.sent_of[cue.start]][0]
        for k in range(cue.start - 1, max(first, cue.start - 10) - 1, -1):
            if ctx.ft[k] in ("عن", "وعن"):
                return (k + 1, cue.start)
        return None

    def _postposed(self, cue: Cue, claimed: set[int]) -> Frame | None:
        """«…»، قال الوزير: the quotation stands before the cue."""
        ctx = self.ctx
        j = cue.start - 1
        while j >= 0 and ctx.toks[j].text in COMMAS:
            j -= 1
        if j < 0 or ctx.toks[j].text not in CLOSING_TOKENS:
            return None
        p = self.ctx.pair_closed_at.get(j)
        if p is None or p.open_tok in claimed:
            return None
        claimed.add(p.open_tok)
        s, e = self._inside(p)
        return Frame(cue, "direct", s, e, self._np_after(cue.end), confidence=0.75)

    def _np_after(self, k: int) -> tuple[int, int] | None:
        ctx = self.ctx
        end = ctx.sent_end_tok(k) if k < ctx.n else k
        j = k
        while j < end and not (ctx.toks[j].text in COMMAS or ctx.toks[j].text in _SENT_END or ctx.toks[j].text == ":"):
            j += 1
        return (k, j) if j > k else None

    def _post_frame(self, cue: Cue, done: list[Frame]) -> Frame | None:
        """«… بحسب ما ذكر النادي»: quote the clause before the phrase, unless a cue already did."""
        ctx = self.ctx
        # Pre-posed use: «وبحسب X فإن …», «حسبما أعلن X: …»
        res = self._scan(cue, probe=True)
        # «وبحسب رويترز قالت الوزارة إن …»: the verb's speaker speaks, the medium transmits
        if res is not None and res.kind in ("colon", "compl") and res.tok - cue.end <= 8 \
                and not any(self._own_cue_at(k) for k in range(cue.end, res.tok)):
            kind, j, _via = res
            k = j + 1
            if k < ctx.n:
                s, e = self._trim(ctx.toks[k].start, self._clause_end(k))
                return Frame(cue, "direct" if kind == "colon" else "indirect", s, e, (cue.end, j), confidence=0.75)
        sent_first = ctx.sent_range[ctx.sent_of[cue.start]][0]
        s_char = ctx.toks[sent_first].start
        e_char = ctx.toks[cue.start].start
        for fr in done:
            if fr.end > s_char and fr.start < e_char:
                return None  # the clause already has its own speaker: the phrase names the medium
        s, e = self._trim(s_char, e_char)
        if e - s < 10:
            return self._leading_post_frame(cue)
        p = ctx.pair_at.get(sent_first)
        kind = "direct" if p is not None and p.close_tok is not None and ctx.toks[p.close_tok].end >= e else "indirect"
        return Frame(cue, kind, s, e, self._np_after(cue.end), confidence=0.7)

    def _leading_post_frame(self, cue: Cue) -> Frame | None:
        """«وطبقا لما أفادت به السلطات، حاول المشجعون …»: a phrase that opens its sentence and
        whose source ends at a comma quotes the clause after the comma."""
        ctx = self.ctx
        end_tok = ctx.sent_range[ctx.sent_of[cue.start]][1]
        j = cue.end
        if j < end_tok and ctx.ft[j] in ("به", "بها"):  # «أفادت به»: the verb's own preposition
            j += 1
        np_start = j
        # the source must be named: «كما ذكرت لك قبل قليل، …» is the speaker's own aside
        if j >= end_tok or ctx.cls(j) in ("prep", "time") or ctx.ft[j] in _OBJECT_PRONOUNS:
            return None
        while j < end_tok and j - np_start <= 8 and ctx.toks[j].text not in COMMAS:
            # quotation marks around a name belong to the source («وحسب موقع "فوربس"، …»)
            if (ctx.is_punct(j) and not ctx.in_marks[j] and j not in ctx.pair_at
                    and j not in ctx.pair_closed_at) or j in self.cue_at:
                return None
            j += 1
        if j == np_start or j + 1 >= end_tok or ctx.toks[j].text not in COMMAS:
            return None
        # «وحسب موقع "سي إن إن"، قال شيخ الأزهر …»: the medium transmits the speaker's own cue
        if any(self._own_cue_at(k) for k in range(j + 1, min(j + 4, end_tok))):
            return None
        s, e = self._trim(ctx.toks[j + 1].start, self._clause_end(j + 1))
        if e - s < 10:
            return None
        return Frame(cue, "indirect", s, e, (np_start, j), confidence=0.7)

    def _self_frame(self, cue: Cue, claimed: set[int]) -> Frame | None:
        """«"لا تقنع حتى أصحابها"، بحسب تعبيره»: the marked words just before."""
        ctx = self.ctx
        j = cue.start - 1
        while j >= 0 and ctx.toks[j].text in COMMAS:
            j -= 1
        p = ctx.pair_closed_at.get(j)
        if p is None:
            return None
        claimed.add(p.open_tok)
        s, e = self._inside(p)
        return Frame(cue, "direct", s, e, None, confidence=0.75)


def extract_quotes(doc: Document) -> list[Quote]:
    if not doc.tokens:
        return []
    ctx = TokenContext(doc)
    if ctx.n == 0:
        return []
    frames, resolved, _ = speaker_options(doc, ctx, with_options=False)
    quotes: list[Quote] = []
    text = doc.text
    for fr, (cand, explicit, conf) in zip(frames, resolved):
        speaker = to_speaker(cand, explicit) if cand is not None else None
        cs, ce = ctx.toks[fr.cue.start].start, ctx.toks[fr.cue.end - 1].end
        quotes.append(Quote(fr.start, fr.end, text[fr.start:fr.end], fr.kind, Span(cs, ce, text[cs:ce]),
                            speaker, round(min(conf, 0.99), 3)))
    quotes.sort(key=lambda q: q.start)
    return quotes


_Resolved = tuple[Candidate | None, bool, float]


def speaker_options(doc: Document, ctx: TokenContext | None = None, with_options: bool = True,
                    ranker: SpeakerRanker | None | bool = True,
                    ) -> tuple[list[Frame], list[_Resolved], list[list[Option]]]:
    """The frames of a document, their speakers, and (for training) every frame's candidate options.

    The rules resolve each frame's speaker; then the learned ranker (``ranker=True``: the shipped
    one, ``None``/``False``: none) chooses among the candidates the rules generate."""
    ctx = ctx or TokenContext(doc)
    finder = FrameFinder(ctx)
    frames = finder.frames()
    resolver = SpeakerResolver(ctx, [(f.start, f.end) for f in frames], finder.cues)
    resolved: list[_Resolved] = []
    sources: list[str] = []
    for fr in frames:
        resolved.append(resolver.resolve(fr))
        sources.append(resolver.source)
    # Cataphora: «وأكدت متحدثة باسم الخارجية أن … وأضافت ماريا زاخاروفا: …» — an unnamed role
    # is the person named by the very next cue, when genders agree. A group is no one person,
    # though the verb before it is singular («وقال عدد من الأهالي: …»).
    for i in range(len(resolved) - 1):
        c, _ex, conf = resolved[i]
        n, n_ex, _ = resolved[i + 1]
        if c is not None and c.role and c.type in ("PER", "ANON") and c.gender != "p" \
                and frames[i].cue.form.gender in ("m", "f") \
                and n is not None and n_ex and not n.role and n.type == "PER" \
                and agrees(frames[i].cue.form.gender, n.gender) \
                and ctx.sent_of[frames[i + 1].cue.start] - ctx.sent_of[frames[i].cue.start] <= 1:
            resolved[i] = (n, False, conf * 0.9)
            sources[i] = "cataphora"
    model = default_ranker() if ranker is True else (ranker or None)
    all_options: list[list[Option]] = []
    if frames and (model is not None or with_options):
        builder = OptionBuilder(ctx, resolver, finder.cues)
        rule_choice = [c for c, _, _ in resolved]
        spoke: set[str] = set()  # keys of the rules' speakers of the frames before
        for i, fr in enumerate(frames):
            opts = builder.options(fr, rule_choice[i], sources[i], rule_choice[max(0, i - 2):i], spoke)
            if rule_choice[i] is not None:
                spoke.add(speaker_key(rule_choice[i]))
            if with_options:
                all_options.append(opts)
            if model is None:
                continue
            best, p = model.choose(opts)
            if sources[i] == "np" and resolved[i][1] and best.cand is not None and best.cand.tok < fr.cue.start:
                # a subject named right after its verb is the speaker: nothing before the verb overrides it
                continue
            if "from=rule" not in best.features:
                resolved[i] = (best.cand, False, resolved[i][2] * p)
    return frames, resolved, all_options
