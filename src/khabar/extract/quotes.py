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

from dataclasses import dataclass, replace

from khabar.document import Document, Entity, Quote, Span, Speaker
from khabar.extract.cues import CueForm, descriptor_heads, lexicon, speaker_heads
from khabar.extract.marks import OPENERS, STRAIGHT, MarkPair, pair_marks
from khabar.extract.speakers import (Candidate, agrees, entity_gender, first_name_gender, function_words,
                                     nationality_adjectives, speaker_type, title_words)
from khabar.text.normalize import fold_word

_TRAIL = " \t\n\u00a0\u200f\u200e.،,؛;:-–—"
_SENT_END = frozenset(".!?؟؛…")
_COMMA = frozenset("،,")
_APPOSITION = frozenset({"وهي", "وهو"})
_LIST_INTRO = frozenset({"من", "التالي", "كالتالي", "يلي", "كالاتي", "الاتي", "التاليه"})  # «وهم كل من:»
_CONNECTIVES = frozenset({"فيما", "بينما", "كما", "وكما", "حيث", "لكن", "ولكن"})
_MAX_FRAME = 28  # tokens between a cue and its introducer
_WEAK_FRAME = 3


@dataclass(slots=True)
class _Cue:
    start: int  # token index
    end: int  # token index, exclusive
    form: CueForm


@dataclass(slots=True)
class _Frame:
    cue: _Cue
    kind: str  # direct | indirect
    start: int  # char offsets of the content
    end: int
    np: tuple[int, int] | None  # token range of the speaker noun phrase, if any
    confidence: float = 0.8
    np_inherited: bool = False  # the NP came from the verb before a participle («وعلق X قائلا»)


class _Ctx:
    """Token-level views of one document shared by the frame finder and the resolver."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.toks = [t for t in doc.tokens if not t.text.isspace()]
        self.ft = [fold_word(t.text) for t in self.toks]
        self.n = len(self.toks)
        self.fw = function_words()
        # sentence index of every token, and token range of every sentence
        self.sent_of = [0] * self.n
        self.sent_range: list[tuple[int, int]] = []
        si, ti = 0, 0
        sents = doc.sentences
        for si, s in enumerate(sents):
            first = ti
            while ti < self.n and self.toks[ti].start < s.end:
                self.sent_of[ti] = si
                ti += 1
            self.sent_range.append((first, ti))
        while ti < self.n:  # tokens outside any sentence (should not happen)
            self.sent_of[ti] = max(len(sents) - 1, 0)
            ti += 1
        if not self.sent_range:
            self.sent_range.append((0, self.n))
        self.pairs, self.stray = pair_marks(self.text, self.toks, doc.paragraphs)
        self.pair_at = {p.open_tok: p for p in self.pairs}
        # depth of closed quotation marks around each token: nested speech lives inside
        self.in_marks = [False] * self.n
        for p in self.pairs:
            if p.close_tok is not None:
                for k in range(p.open_tok + 1, p.close_tok):
                    self.in_marks[k] = True
        self.ent_at: dict[int, tuple[Entity, Span]] = {}
        ti = 0
        mentions = sorted(((m.start, m.end, e, m) for e in doc.entities for m in e.mentions), key=lambda x: x[0])
        starts = [t.start for t in self.toks]
        from bisect import bisect_right

        for ms, me, e, m in mentions:
            k = max(bisect_right(starts, ms) - 1, 0)
            while k < self.n and self.toks[k].start < me:
                if self.toks[k].end > ms:
                    self.ent_at.setdefault(k, (e, m))
                k += 1

    def cls(self, k: int) -> str | None:
        """Function-word class of token k. «علي» spelled with ي before a name is the first
        name, not the preposition «على» that folds to the same letters."""
        c = self.fw.get(self.ft[k])
        if c == "prep" and self.toks[k].text.endswith("ي") and k + 1 < self.n \
                and self.ft[k] in first_name_gender() and self.toks[k + 1].text[:1].isalpha() \
                and self.fw.get(self.ft[k + 1]) is None:
            return None
        return c

    def sent_end_tok(self, i: int) -> int:
        return self.sent_range[self.sent_of[i]][1] if i < self.n else self.n

    def is_punct(self, i: int) -> bool:
        return not self.toks[i].text[:1].isalnum()

    def char_end_of_sentence(self, i: int) -> int:
        return self.doc.sentences[self.sent_of[i]].end if self.doc.sentences else len(self.text)


def _find_cues(ctx: _Ctx) -> list[_Cue]:
    lex = lexicon()
    cues: list[_Cue] = []
    i = 0
    while i < ctx.n:
        hit: _Cue | None = None
        for k in range(min(lex.max_phrase, ctx.n - i), 1, -1):
            form = lex.phrases.get(tuple(ctx.ft[i:i + k]))
            if form is not None:
                hit = _Cue(i, i + k, form)
                break
        if hit is None:
            form = lex.words.get(ctx.ft[i])
            if form is not None:
                hit = _Cue(i, i + 1, form)
                # «وتابع قائلا», «ومضى قائلا»: one cue
                nxt = lex.words.get(ctx.ft[i + 1]) if i + 1 < ctx.n else None
                if form.pos == "verb" and nxt is not None and nxt.pos == "participle" and nxt.lemma == "قال":
                    hit = _Cue(i, i + 2, form)
        if hit is not None:
            cues.append(hit)
            i = hit.end
        else:
            i += 1
    return cues


class _FrameFinder:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx
        self.cues = _find_cues(ctx)
        self.cue_at = {c.start: c for c in self.cues}
        lex = lexicon()
        self.participle_quala = {k for k, v in lex.words.items() if v.pos == "participle" and v.lemma == "قال"}
        self.via_at: int | None = None

    # -- helpers -------------------------------------------------------------------------
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
        nxt = p.close_tok + 1
        if words <= 2 and p.open_tok > 0 and ctx.toks[p.open_tok - 1].text[:1].isalpha() \
                and (p.open_tok - 1) not in self.cue_at:
            return True  # «تحت اسم مشروع "القصبة"،»: a name after a noun
        if nxt < ctx.n and ctx.toks[nxt].text[:1].isalnum() and nxt not in self.cue_at and not self._compl(nxt):
            after_word = p.open_tok > 0 and ctx.toks[p.open_tok - 1].text[:1].isalpha() \
                and (p.open_tok - 1) not in self.cue_at
            if words <= 2 or after_word:
                # «وأعلن "فيفا" في أيار», «كتب معرض "من هنا ننهض" للأسر …»: a name inside the sentence
                return True
        # Short marked text followed by more of the frame (a complementizer, a colon or a mark).
        for k in range(p.close_tok + 1, min(stop, p.close_tok + 6)):
            t = ctx.toks[k].text
            if self._compl(k) or t == ":" or t in OPENERS or t == STRAIGHT:
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
            if indirect and ctx.toks[j].text in _COMMA and j + 1 < end_tok and ctx.ft[j + 1] in _APPOSITION:
                return ctx.toks[j].start
            j += 1
        return end

    def _opens_clause(self, c: _Cue) -> bool:
        ctx = self.ctx
        if c.form.pos in ("phrase-post", "phrase-self"):
            return True
        prev = ctx.toks[c.start - 1].text if c.start > 0 else "."
        if c.form.pos == "participle":
            return prev in _COMMA or prev == "."
        connective = ctx.ft[c.start][:1] in ("و", "ف") or prev in _COMMA or (c.start > 0 and ctx.ft[c.start - 1] in _CONNECTIVES)
        if c.form.pos == "verb" and connective:
            # a new coordinated reporting clause: its introducer follows closely
            intro = self._scan(c, probe=True)
            return intro is not None and intro[0] in ("colon", "mark", "compl") and intro[1] - c.end <= 6
        return False

    def _trim(self, s: int, e: int) -> tuple[int, int]:
        t = self.ctx.text
        while s < e and t[s] in " \t\n\u00a0\u200f\u200e":
            s += 1
        while e > s and t[e - 1] in _TRAIL:
            e -= 1
        return s, e

    # -- the frame scanner ------------------------------------------------------------------
    def _scan(self, cue: _Cue, probe: bool = False) -> tuple[str, int] | None:
        """Find the introducer after a cue: ("colon"|"mark"|"compl"|"handover"|"nominal", token).
        For a cue whose speaker follows a preposition («نقلت الوكالة عن الوزير أن»), the
        preposition's position is left in ``self.via_at``."""
        self.via_at = None
        ctx = self.ctx
        limit = min(ctx.sent_end_tok(cue.start), cue.end + (_WEAK_FRAME if cue.form.weak else _MAX_FRAME))
        # A mark opening right after the sentence end («».واضاف «…») still belongs to this cue.
        j = cue.end
        seen_rel = False
        while j < ctx.n and j < limit + 1:
            t = ctx.toks[j].text
            f = ctx.ft[j]
            seen_rel = seen_rel or ctx.fw.get(f) == "rel"
            if j >= limit and not (t in OPENERS or t == STRAIGHT):
                break
            if t == ":" and not (j > 0 and ctx.ft[j - 1] in _LIST_INTRO):
                return ("colon", j)
            if t in OPENERS or t == STRAIGHT:
                p = ctx.pair_at.get(j)
                if p is not None and self._is_name_pair(p, limit):
                    j = p.close_tok + 1  # type: ignore[operator]
                    continue
                if p is not None:
                    prev = ctx.ft[j - 1] if j > cue.end else ""
                    if prev in cue.form.preps or ctx.fw.get(prev) == "prep":
                        return ("nominal", j)  # حذر من «…», تحدث عن «…»
                    return ("mark", j)
            if self._compl(j):
                return ("compl", j)
            if j == cue.end and len(f) > 3 and f[0] in cue.form.preps and not self._compl(j):
                return ("nominal", j)  # «منوها باستقلالية …»
            if f == cue.form.via:
                self.via_at = j  # «نقلت الوكالة عن الوزير أن …»: the speaker follows
                j += 1
                continue
            if f == "عن" and f not in cue.form.preps and not seen_rel \
                    and (j - cue.end <= 4 or ctx.toks[j - 1].text in _COMMA):
                # «أعلنت عن إطلاق …» is nominal; «وقال عن هذا الأمر: …» still introduces speech
                ahead = range(j + 1, min(limit, j + 5))
                if not any(ctx.toks[k].text == ":" or self._compl(k) for k in ahead):
                    return ("nominal", j)
            if f in cue.form.preps:
                nxt = j + 1
                if nxt < ctx.n and self._compl(nxt):
                    return ("compl", nxt)
                return ("nominal", j)
            if j > cue.end and j in self.cue_at and not probe:
                return ("handover", j)
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

    def frames(self) -> list[_Frame]:
        ctx = self.ctx
        out: list[_Frame] = []
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
            fr: _Frame | None
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

    def _verb_frame(self, cue: _Cue, inherited: dict[int, tuple[int, int]], claimed: set[int]) -> _Frame | None:
        ctx = self.ctx
        res = self._scan(cue)
        via_at = self.via_at
        np: tuple[int, int] | None = inherited.get(cue.start)
        if res is None or res[0] == "nominal":
            return self._postposed(cue, claimed) if res is None else None
        kind, j = res
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
                return _Frame(cue, "direct", s, e, np, confidence=conf)
            if k >= ctx.n:
                return None
            s, e = self._trim(ctx.toks[k].start, self._clause_end(k))
            return _Frame(cue, "direct", s, e, np, confidence=0.85)
        if kind == "mark":
            p = ctx.pair_at[j]
            claimed.add(p.open_tok)
            if p.close_tok is not None:
                s, e = self._inside(p)
            else:
                s, e = self._trim(ctx.toks[j].end, self._clause_end(j + 1) if j + 1 < ctx.n else ctx.toks[j].end)
            return _Frame(cue, "direct", s, e, np, confidence=conf if p.close_tok is not None else 0.7)
        # complementizer; a preposition right after the cue belongs to it («مشيرا إلى أن»)
        if j == cue.end + 1 and ctx.ft[cue.end] in cue.form.preps:
            cue = _Cue(cue.start, cue.end + 1, cue.form)
        k = j + 1
        if k >= ctx.n:
            return None
        p = ctx.pair_at.get(k)
        if p is not None and p.close_tok is not None and self._whole_clause_marked(p):
            claimed.add(p.open_tok)
            s, e = self._inside(p)
            return _Frame(cue, "direct", s, e, np, confidence=conf)
        s, e = self._trim(ctx.toks[k].start, self._clause_end(k, indirect=True))
        return _Frame(cue, "indirect", s, e, np, confidence=0.8)

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

    def _noun_cue_np(self, cue: _Cue) -> tuple[int, int] | None:
        """«نقلت القناة عن مصدر محلي قوله»: the speaker sits between «عن» and the cue."""
        ctx = self.ctx
        first = ctx.sent_range[ctx.sent_of[cue.start]][0]
        for k in range(cue.start - 1, max(first, cue.start - 10) - 1, -1):
            if ctx.ft[k] in ("عن", "وعن"):
                return (k + 1, cue.start)
        return None

    def _postposed(self, cue: _Cue, claimed: set[int]) -> _Frame | None:
        """«…»، قال الوزير: the quotation stands before the cue."""
        ctx = self.ctx
        j = cue.start - 1
        while j >= 0 and ctx.toks[j].text in _COMMA:
            j -= 1
        if j < 0 or ctx.toks[j].text not in ("»", "”", STRAIGHT):
            return None
        for p in self.ctx.pairs:
            if p.close_tok == j and p.open_tok not in claimed:
                claimed.add(p.open_tok)
                s, e = self._inside(p)
                return _Frame(cue, "direct", s, e, self._np_after(cue.end), confidence=0.75)
        return None

    def _np_after(self, k: int) -> tuple[int, int] | None:
        ctx = self.ctx
        end = ctx.sent_end_tok(k) if k < ctx.n else k
        j = k
        while j < end and not (ctx.toks[j].text in _COMMA or ctx.toks[j].text in _SENT_END or ctx.toks[j].text == ":"):
            j += 1
        return (k, j) if j > k else None

    def _post_frame(self, cue: _Cue, done: list[_Frame]) -> _Frame | None:
        """«… بحسب ما ذكر النادي»: quote the clause before the phrase, unless a cue already did."""
        ctx = self.ctx
        # Pre-posed use: «وبحسب X فإن …», «حسبما أعلن X: …»
        res = self._scan(cue, probe=True)
        if res is not None and res[0] in ("colon", "compl") and res[1] - cue.end <= 8:
            kind, j = res
            k = j + 1
            if k < ctx.n:
                s, e = self._trim(ctx.toks[k].start, self._clause_end(k))
                return _Frame(cue, "direct" if kind == "colon" else "indirect", s, e, (cue.end, j), confidence=0.75)
        sent_first = ctx.sent_range[ctx.sent_of[cue.start]][0]
        s_char = ctx.toks[sent_first].start
        e_char = ctx.toks[cue.start].start
        for fr in done:
            if fr.end > s_char and fr.start < e_char:
                return None  # the clause already has its own speaker: the phrase names the medium
        for k in range(sent_first, cue.start):
            if k in self.cue_at and self.cue_at[k].form.pos == "verb" and not ctx.in_marks[k]:
                # a reporting verb in the same clause with a nominal complement («أعلنت انسحابها»)
                # is still the event being attributed; keep going
                break
        s, e = self._trim(s_char, e_char)
        if e - s < 10:
            return None
        p = ctx.pair_at.get(sent_first)
        kind = "direct" if p is not None and p.close_tok is not None and ctx.toks[p.close_tok].end >= e else "indirect"
        return _Frame(cue, kind, s, e, self._np_after(cue.end), confidence=0.7)

    def _self_frame(self, cue: _Cue, claimed: set[int]) -> _Frame | None:
        """«"لا تقنع حتى أصحابها"، بحسب تعبيره»: the marked words just before."""
        ctx = self.ctx
        j = cue.start - 1
        while j >= 0 and ctx.toks[j].text in _COMMA:
            j -= 1
        for p in ctx.pairs:
            if p.close_tok == j:
                claimed.add(p.open_tok)
                s, e = self._inside(p)
                return _Frame(cue, "direct", s, e, None, confidence=0.75)
        return None


class _Resolver:
    """Turns a frame's NP (or its absence) into a Speaker."""

    def __init__(self, ctx: _Ctx, quote_spans: list[tuple[int, int]], cues: list[_Cue]) -> None:
        self.ctx = ctx
        self.cue_index = {k for c in cues for k in range(c.start, c.end)}
        self.cue_starts = {c.start: c.end for c in cues if c.form.pos == "verb"}
        self.heads = speaker_heads()
        self.titles = title_words()
        self.previous: list[Candidate] = []
        self.quote_spans = quote_spans

    def _inside_quote(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.quote_spans)

    def _entity_candidate(self, k: int) -> Candidate:
        e, m = self.ctx.ent_at[k]
        return Candidate(e.name, speaker_type(e), entity_gender(e), k, e, m)

    def _head(self, f: str) -> tuple[str, str] | None:
        h = self.heads.get(f)
        if h is None and f[:1] in ("و", "ف") and len(f) > 3:
            f = f[1:]
            h = self.heads.get(f)
        if h is None and f.startswith("ال") and len(f) > 4:
            h = self.heads.get(f[2:])  # «التقرير», «المصدر»
        return h

    def _is_title(self, f: str) -> bool:
        return f in self.titles or (f[:1] in ("و", "ف") and f[1:] in self.titles)

    def _skip_adjuncts(self, i: int, b: int) -> tuple[int, bool]:
        """Skip time words, prepositional phrases, punctuation and abbreviated titles.
        Returns the next token and whether a real adjunct (time word or PP) was skipped."""
        ctx = self.ctx
        adjunct = False
        while i < b:
            t = ctx.toks[i].text
            f = ctx.ft[i]
            cls = ctx.cls(i)
            if ctx.is_punct(i) and not (t in OPENERS or t == STRAIGHT):
                i += 1
            elif len(f) == 1 and i + 1 < b and ctx.toks[i + 1].text == ".":
                i += 2  # «م. حسام», «د. أحمد»: an abbreviated title
            elif cls == "time":
                i += 1
                adjunct = True
            elif cls == "prep" or t.endswith("ـ") or (f.startswith("لل") and i not in ctx.ent_at):
                i += 1
                adjunct = True
                p = ctx.pair_at.get(i)
                if p is not None and p.close_tok is not None and p.close_tok < b:
                    i = p.close_tok + 1
                elif i < b and not ctx.is_punct(i):
                    i += 1
            else:
                break
        return i, adjunct

    def _np_end(self, start: int, b: int, allow_pp: bool) -> int:
        ctx = self.ctx
        head = self._head(ctx.ft[start])
        in_title = self._is_title(ctx.ft[start]) or (head is not None and head[0] == "PER")
        j = start
        while j < b:
            t = ctx.toks[j].text
            f = ctx.ft[j]
            cls = ctx.cls(j)
            if t in OPENERS or t == STRAIGHT:
                p = ctx.pair_at.get(j)
                if p is not None and p.close_tok is not None and p.close_tok < b and p.close_tok - j <= 5 and j > start:
                    j = p.close_tok + 1
                    continue
                break
            if ctx.is_punct(j) or cls in ("time", "compl", "rel"):
                break
            if cls == "prep":
                if f == "باسم" and j + 1 < b and not ctx.is_punct(j + 1):
                    j += 2  # «المتحدث باسم الخارجية»: part of the role
                    continue
                if allow_pp and f in ("في", "من", "ب") and j + 1 < b and not ctx.is_punct(j + 1):
                    allow_pp = False
                    j += 2
                    continue
                break
            if j > start and f.startswith(("لل", "بال")) and j not in ctx.ent_at:
                break
            if j > start and not in_title and f[:1] == "ل" and len(f) > 3 \
                    and (self._head(f[1:]) or self._head("ال" + f[1:])):
                break  # «المسؤولون لوكالة الأنباء», but «المتحدث الإعلامي لشرطة المنطقة العقيد …»
            if j > start and j in self.cue_index:
                break
            j += 1
        return j

    def _name_run(self, a: int, b: int) -> tuple[int, int] | None:
        """The last run of name-like words in a title phrase («المدير الإقليمي لأوروبا بمنظمة
        الهجرة الدولية يوجينيو أمبروزي»): no article, no title word, no entity of another type.
        One word is a name only when it is a known first name."""
        ctx = self.ctx
        best: tuple[int, int] | None = None
        k = a
        while k < b:
            if self._name_like(k):
                e = k
                while e < b and self._name_like(e):
                    e += 1
                if e - k >= 2 or ctx.ft[k] in first_name_gender():
                    best = (k, e)
                k = e
            else:
                k += 1
        return best

    def _name_like(self, k: int) -> bool:
        ctx = self.ctx
        f = ctx.ft[k]
        cls = ctx.cls(k)
        prev_cls = ctx.cls(k - 1) if k > 0 else None
        if not ctx.toks[k].text[:1].isalpha():
            return False
        if f.startswith(("ال", "لل", "بال", "وال")) and prev_cls != "name":  # «عبد الله», «أبو السعود»
            # a family name after a first name («علي شايف الحريري»), not a nationality («الأمريكي»)
            prev_is_name = k > 0 and self._name_like(k - 1) and not ctx.ft[k - 1].startswith("ال") and (
                ctx.ft[k - 1] in first_name_gender() or (k > 1 and self._name_like(k - 2)))
            if not (f.startswith("ال") and prev_is_name
                    and f not in nationality_adjectives() and not self._is_title(f) and self._head(f) is None
                    and f not in ctx.fw):
                return False
            return True
        if f[:1] == "ل" and len(f) > 3 and (self._head(f[1:]) or self._head("ال" + f[1:])):
            return False  # «لمجلة», «لصحيفة»: the start of a prepositional phrase
        if f[:1] == "ل" and k > 0 and ctx.ft[k - 1].startswith("ال") and prev_cls != "name":
            return False  # «الأمين العام لأوبك»: a genitive phrase, not a name
        if cls == "name":
            return True
        if self._is_title(f) or self._head(f) is not None or cls is not None or k in self.cue_index:
            return False
        if k in ctx.ent_at and ctx.ent_at[k][0].type != "PER":
            return False
        return not (f.endswith("ي") and f.startswith("ال"))

    def _apposition(self, j: int, b: int) -> Candidate | None:
        """«المتحدث باسم المقاومة الجنوبية، علي شايف الحريري، …»: the name after the comma."""
        ctx = self.ctx
        if j >= b or ctx.toks[j].text not in _COMMA:
            return None
        k = j + 1
        if k in ctx.ent_at and ctx.ent_at[k][0].type == "PER":
            return self._entity_candidate(k)
        e = k
        while e < b and self._name_like(e):
            e += 1
        if e - k >= 2 and (e >= b or ctx.toks[e].text in _COMMA):
            return self._named(k, e, "?")
        return None

    def preverbal_subject(self, cue_tok: int, gender: str) -> Candidate | None:
        """SVO order: «وكانت مصادر قد كشفت أن», «وكان البنك الدولي أقر بأن»."""
        ctx = self.ctx
        first = ctx.sent_range[ctx.sent_of[cue_tok]][0]
        lo = max(first, cue_tok - 12)
        k = cue_tok - 1
        while k >= lo and not ctx.is_punct(k) and ctx.fw.get(ctx.ft[k]) != "compl":
            k -= 1
        for s0 in range(k + 1, cue_tok):
            f = ctx.ft[s0]
            if ctx.fw.get(f) == "aux":
                continue
            prev = ctx.ft[s0 - 1] if s0 > 0 else ""
            if ctx.fw.get(prev) == "prep" or ctx.in_marks[s0]:
                continue
            if (s0 in ctx.ent_at and ctx.ent_at[s0][0].type in ("PER", "ORG", "LOC")) or self._head(f) or self._is_title(f):
                end = cue_tok
                while end > s0 and ctx.fw.get(ctx.ft[end - 1]) == "aux":
                    end -= 1
                c = self.from_np(s0, end, gender, bare_name=False)
                if c is not None and agrees(gender, c.gender):
                    return c
        return None

    def _entity_or_longer_name(self, k: int, j: int, words: frozenset[str]) -> Candidate:
        """The entity mentioned at token k, unless the name in the text runs on past the
        mention («بيتاني بارون جيبس» where only «بيتاني» was tagged): then the full name."""
        ctx = self.ctx
        c = self._entity_candidate(k)
        c.np_words = words
        if c.type != "PER":
            return c
        m_end = k
        while m_end < j and m_end in ctx.ent_at and ctx.ent_at[m_end][1] is c.mention:
            m_end += 1
        e = m_end
        while e < j and e - k < 5 and self._name_like(e) and e not in ctx.ent_at:
            e += 1
        if e > m_end:
            longer = self._named(k, e, c.gender, words)
            if len(fold_word(longer.name).split()) > len(fold_word(c.name).split()):
                return longer
        return c

    def _named(self, start: int, end: int, gender: str, words: frozenset[str] = frozenset()) -> Candidate:
        """The speaker named by tokens [start, end): its entity, an earlier speaker of whose
        name it is the tail («حسام الرشودي» … «الرشودي»), or a new person."""
        ctx = self.ctx
        text = ctx.text[ctx.toks[start].start:ctx.toks[end - 1].end]
        span = Span(ctx.toks[start].start, ctx.toks[end - 1].end, text)
        ent = self._link_name(start, end)
        if ent is not None:
            return Candidate(ent.name, speaker_type(ent), entity_gender(ent), start, ent, span, words)
        key = ctx.ft[start:end]
        for c in reversed(self.previous):
            cw = fold_word(c.name).split()
            if c.type == "PER" and not c.role and len(cw) > len(key) and cw[-len(key):] == key:
                return replace(c, tok=start, mention=span)
        return Candidate(text, "PER", first_name_gender().get(ctx.ft[start], gender), start, None, span, words)

    def _link_name(self, start: int, end: int) -> Entity | None:
        """A name the entity layer did not tag here: find its entity elsewhere in the article."""
        key = " ".join(self.ctx.ft[start:end])
        words = key.split()
        for e in self.ctx.doc.entities:
            if e.type != "PER":
                continue
            forms = {fold_word(m.text) for m in e.mentions} | {fold_word(e.name)}
            if key in forms:
                return e
            ew = fold_word(e.name).split()
            if len(words) == 1 and len(ew) > 1 and words[0] in (ew[0], ew[-1]):
                return e
        return None

    def from_np(self, a: int, b: int, gender: str, bare_name: bool = True) -> Candidate | None:
        ctx = self.ctx
        i, adjunct = self._skip_adjuncts(a, b)
        if i >= b:
            return None
        start = i
        h = start
        while h < b - 1 and (ctx.ft[h].isdigit() or ctx.fw.get(ctx.ft[h]) == "det"):
            h += 1
        head = ctx.ft[h]
        head_info = self._head(head)
        is_title = self._is_title(head)
        allow_pp = head_info is not None and head_info[0] == "ANON" and not head.startswith("ال")
        j = self._np_end(h, b, allow_pp)
        if j <= start:
            return None
        words = frozenset(ctx.ft[k] for k in range(start, j))
        np_text = ctx.text[ctx.toks[start].start:ctx.toks[j - 1].end]
        np_span = Span(ctx.toks[start].start, ctx.toks[j - 1].end, np_text)
        if head_info is None and not is_title:
            if start in ctx.ent_at:
                return self._entity_or_longer_name(start, j, words)
            if not bare_name or adjunct or not ctx.toks[start].text[:1].isalpha():
                return None
            if head.startswith("ال"):
                # «وقال الأبنودي»: a family name known elsewhere; otherwise a description («الزوج المكلوم»)
                named = self._named(start, start + 1, gender, words)
                if named.entity is not None or named.name != ctx.toks[start].text:
                    return named
                e2 = min(j, start + 5)
                text2 = ctx.text[ctx.toks[start].start:ctx.toks[e2 - 1].end]
                return Candidate(text2, "PER", gender, start, None,
                                 Span(ctx.toks[start].start, ctx.toks[e2 - 1].end, text2), words, role=True)
            # A title further on introduces the name («استشاري الأنف والأذن الدكتور أنور سالم»),
            # unless the phrase itself opens with a known first name («خوسيب ماريا بارتوميو رئيس …»).
            opens_with_name = ctx.ft[start] in first_name_gender()
            for t in range(start + 1, j if not opens_with_name else start + 1):
                if self._is_title(ctx.ft[t]):
                    if t + 1 < j and (t + 1) in ctx.ent_at and ctx.ent_at[t + 1][0].type == "PER":
                        return self._entity_candidate(t + 1)
                    run = self._name_run(t + 1, j)
                    if run is not None:
                        return self._named(run[0], run[1], gender, words)
            # Not a known noun right after the verb: a name the entity layer missed («وصرح دينغوف»).
            name_end = start + 1
            while name_end < j and name_end - start < 5 and self._name_like(name_end):
                name_end += 1
            return self._named(start, name_end, gender, words)
        htype, hgender = head_info if head_info is not None else ("PER", "?")
        if htype == "KIN":
            # the relative is the speaker; the name in the phrase is someone else
            fuller = self._fuller_description(h, start, words)
            if fuller is not None:
                return fuller
            return Candidate(np_text, "PER", hgender, start, None, np_span, words, role=True)
        # A person named inside a title phrase («وزير الخارجية الأمريكي جون كيري»).
        if htype == "PER":
            for k in range(start, j):
                if k in ctx.ent_at and ctx.ent_at[k][0].type == "PER":
                    return self._entity_or_longer_name(k, j, words)
        # An organisation named with its head noun («وكالة أنباء البحرين»), or after a generic
        # descriptor that names the same thing («قناة السومرية»; but «بعثة الأمم المتحدة» is not the UN).
        bare_head = head[2:] if head.startswith("ال") else head
        after = (h + 1,) if (head in descriptor_heads() or bare_head in descriptor_heads()) else ()
        for k in ((h,) + after if htype != "PER" else ()):
            if k < j and k in ctx.ent_at and ctx.ent_at[k][0].type in ("ORG", "LOC") \
                    and not (k == h and ctx.ent_at[k][1].end <= ctx.toks[h].end):
                c = self._entity_candidate(k)
                c.np_words = words
                return c
        if htype == "PER":
            run = self._name_run(h + 1, j)
            if run is not None:
                c = self._named(run[0], run[1], gender, words)
                if c.entity is None and hgender in ("m", "f"):
                    c.gender = hgender  # «المستشارة …»: the title tells the gender
                return c
        g = hgender if hgender in ("m", "f", "p") else gender
        definite = head.startswith("ال") or (h + 1 < j and (ctx.ft[h + 1].startswith("ال") or (h + 1) in ctx.ent_at))
        if htype == "PER":
            app = self._apposition(j, b)
            if app is not None:
                return app
        if htype != "PER":
            definite = head.startswith("ال") and j - h == 1  # «الوزارة», «النادي»: a back-reference
        if definite:
            ante = self._antecedent(words, head, htype, g if g != "p" else gender, start)
            if ante is not None:
                return ante
        if htype == "PER" and head_info is None:
            # a bare title with no antecedent: look for a name right after it anyway
            for k in range(h + 1, j):
                if k in ctx.ent_at and ctx.ent_at[k][0].type == "PER":
                    return self._entity_candidate(k)
        fuller = self._fuller_description(h, start, words) if htype == "PER" else None
        if fuller is not None:
            return fuller
        return Candidate(np_text, htype, g, start, None, np_span, words, role=True)

    def _fuller_description(self, h: int, start: int, words: frozenset[str]) -> Candidate | None:
        """«وقالت والدة "عبدالرحمن"» after «ناشدت والدة المواطن عبدالرحمن عويد العنزي»:
        the earlier, fuller description with the same head and the same name words."""
        ctx = self.ctx
        head = ctx.ft[h]
        core = {w for w in words if w[:1].isalnum() and w != head}
        if not core:
            return None
        for k in range(start - 1, -1, -1):
            if ctx.ft[k] != head or ctx.in_marks[k] or self._inside_quote(ctx.toks[k].start):
                continue
            end = self._np_end(k, ctx.sent_end_tok(k), False)
            earlier = {ctx.ft[x] for x in range(k, end)}
            if end - k > len(core) + 1 and core <= earlier:
                text = ctx.text[ctx.toks[k].start:ctx.toks[end - 1].end]
                return Candidate(text, "PER", self._head(head)[1] if self._head(head) else "?", k, None,
                                 Span(ctx.toks[k].start, ctx.toks[end - 1].end, text), frozenset(earlier), role=True)
        return None

    def _antecedent(self, words: frozenset[str], head: str, htype: str, gender: str, before: int) -> Candidate | None:
        """A title or role alone («وزير الخارجية الأمريكي», «المتحدث», «الوزارة»): who it designates."""
        bare = {w[2:] if w.startswith("ال") else w for w in words}
        for c in reversed(self.previous):
            cw = {w[2:] if w.startswith("ال") else w for w in c.np_words}
            if bare <= cw and agrees(gender, c.gender):
                return c
        for e in self.ctx.doc.entities:
            for t in e.titles:
                tw = {fold_word(w) for w in t.split()}
                tw = {w[2:] if w.startswith("ال") else w for w in tw}
                if bare <= tw and e.mentions and e.mentions[0].start < self.ctx.toks[before].start:
                    return Candidate(e.name, speaker_type(e), entity_gender(e), before, e, None)
        h = head[2:] if head.startswith("ال") else head
        if htype == "ORG":
            for c in reversed(self.previous):
                if c.name and fold_word(c.name.split()[0]).removeprefix("ال") == h:
                    return c
            best: Candidate | None = None
            for k in range(before - 1, -1, -1):
                if k in self.ctx.ent_at and not self._inside_quote(self.ctx.toks[k].start):
                    e, _m = self.ctx.ent_at[k]
                    if e.type == "ORG" and fold_word(e.name.split()[0]).removeprefix("ال") == h:
                        return self._entity_candidate(k)
                    if best is None and e.type == "ORG" and agrees(gender, entity_gender(e)):
                        best = self._entity_candidate(k)
            return best
        if htype == "PER" and self.previous:
            last = self.previous[-1]
            if agrees(gender, last.gender) and last.type in ("PER", "ANON") \
                    and self.ctx.sent_of[before] - self.ctx.sent_of[min(last.tok, before)] <= 3:
                return last
        return None

    def subject_of_sentence(self, cue_tok: int, gender: str) -> Candidate | None:
        """For a participle («…، مؤكدة أنها»): the subject of the clause it hangs on."""
        ctx = self.ctx
        first = ctx.sent_range[ctx.sent_of[cue_tok]][0]
        for k in range(first, cue_tok):
            if k in self.cue_starts and k + 1 < cue_tok and not ctx.in_marks[k]:
                # «وأشار نصر إلى …، منوها إلى أن»: the subject of the sentence's own verb
                c = self.from_np(self.cue_starts[k], cue_tok, gender)
                if c is not None and agrees(gender, c.gender):
                    return c
                break
        for k in range(first, cue_tok):
            if ctx.in_marks[k] or self._inside_quote(ctx.toks[k].start):
                continue
            f = ctx.ft[k]
            prev = ctx.ft[k - 1] if k > first else ""
            if ctx.fw.get(prev) == "prep":
                continue
            starts_np = (k in ctx.ent_at and ctx.ent_at[k][0].type in ("PER", "ORG")
                         and ctx.ent_at[k][1].start >= ctx.toks[k].start and ctx.ent_at[k][1].start == ctx.toks[k].start) \
                or self._head(f) is not None or self._is_title(f)
            if not starts_np:
                continue
            c = self.from_np(k, cue_tok, gender, bare_name=False)
            if c is not None and agrees(gender, c.gender):
                return c
        return None

    def salient(self, before: int, gender: str, same_sentence: bool) -> Candidate | None:
        """The most salient earlier candidate that agrees with the cue."""
        ctx = self.ctx
        sent = ctx.sent_of[before] if before < ctx.n else ctx.sent_of[-1]
        best: tuple[float, Candidate] | None = None
        seen: set[str] = set()
        first_tok = ctx.sent_range[sent][0]
        k = before - 1
        while k >= 0:
            d = sent - ctx.sent_of[k]
            if d > 4 or (same_sentence and d > 0):
                break
            if k in ctx.ent_at and not ctx.in_marks[k] and not self._inside_quote(ctx.toks[k].start):
                e, m = ctx.ent_at[k]
                if e.id not in seen and e.type in ("PER", "ORG", "LOC"):
                    seen.add(e.id)
                    c = self._entity_candidate(k)
                    if agrees(gender, c.gender):
                        score = {"PER": 3.0, "ORG": 2.0, "GPE": 1.0}.get(c.type, 0.5) - 0.6 * d
                        tok = ctx.toks[k]
                        prev = ctx.ft[k - 1] if k > 0 else ""
                        if ctx.fw.get(prev) == "prep" or m.start > tok.start:
                            score -= 1.5  # inside a prepositional phrase: rarely the subject
                        if same_sentence and k == first_tok:
                            score += 0.5
                        if best is None or score > best[0]:
                            best = (score, c)
            k -= 1
        for rank, c in enumerate(reversed(self.previous)):
            d = sent - ctx.sent_of[min(c.tok, ctx.n - 1)]
            if d > 4 or (same_sentence and d > 0) or not agrees(gender, c.gender):
                continue
            score = {"PER": 3.0, "ORG": 2.0, "ANON": 2.0, "GPE": 1.0}.get(c.type, 1.0) - 0.6 * d + (2.0 if rank == 0 else 1.0)
            if best is None or score > best[0]:
                best = (score, c)
        return best[1] if best else None

    def resolve(self, fr: _Frame) -> tuple[Candidate | None, bool, float]:
        """(candidate, named explicitly in this frame, confidence)."""
        gender = fr.cue.form.gender
        pos = fr.cue.form.pos
        cand: Candidate | None = None
        conf = fr.confidence
        explicit = False
        if fr.np is not None and fr.np[1] > fr.np[0] and (pos != "participle" or fr.np_inherited):
            cand = self.from_np(fr.np[0], fr.np[1], gender)
            explicit = cand is not None and cand.mention is not None
        if cand is None and pos == "participle":
            cand = self.subject_of_sentence(fr.cue.start, gender)
        if cand is None and pos == "verb" and not fr.np_inherited:
            cand = self.preverbal_subject(fr.cue.start, gender)
        if cand is None:
            same = pos == "participle"
            cand = self.salient(fr.cue.start, gender, same_sentence=same)
            if cand is None and same:
                cand = self.salient(fr.cue.start, gender, same_sentence=False)
            conf *= 0.85
        if cand is None:
            return None, False, conf * 0.6
        if cand.gender == "?" and gender in ("m", "f"):
            cand.gender = gender
        self.previous.append(replace(cand, tok=max(cand.tok, fr.cue.start)))
        return cand, explicit, conf


def _speaker(c: Candidate, explicit: bool) -> Speaker:
    name = c.entity.name if c.entity is not None else c.name
    return Speaker(name, c.type, c.entity.id if c.entity is not None else None, c.mention if explicit else None)


def extract_quotes(doc: Document) -> list[Quote]:
    if not doc.tokens:
        return []
    ctx = _Ctx(doc)
    if ctx.n == 0:
        return []
    finder = _FrameFinder(ctx)
    frames = finder.frames()
    resolver = _Resolver(ctx, [(f.start, f.end) for f in frames], finder.cues)
    resolved = [resolver.resolve(fr) for fr in frames]
    # Cataphora: «وأكدت متحدثة باسم الخارجية أن … وأضافت ماريا زاخاروفا: …» — an unnamed role
    # is the person named by the very next cue, when genders agree.
    for i in range(len(resolved) - 1):
        c, _ex, conf = resolved[i]
        n, n_ex, _ = resolved[i + 1]
        if c is not None and c.role and c.type in ("PER", "ANON") and frames[i].cue.form.gender in ("m", "f") \
                and n is not None and n_ex and not n.role and n.type == "PER" \
                and agrees(frames[i].cue.form.gender, n.gender) \
                and ctx.sent_of[frames[i + 1].cue.start] - ctx.sent_of[frames[i].cue.start] <= 1:
            resolved[i] = (n, False, conf * 0.9)
    quotes: list[Quote] = []
    text = doc.text
    for fr, (cand, explicit, conf) in zip(frames, resolved):
        speaker = _speaker(cand, explicit) if cand is not None else None
        cs, ce = ctx.toks[fr.cue.start].start, ctx.toks[fr.cue.end - 1].end
        quotes.append(Quote(fr.start, fr.end, text[fr.start:fr.end], fr.kind, Span(cs, ce, text[cs:ce]),
                            speaker, round(min(conf, 0.99), 3)))
    quotes.sort(key=lambda q: q.start)
    return quotes
