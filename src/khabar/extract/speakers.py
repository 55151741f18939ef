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

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from khabar.document import Entity, Span, Speaker
from khabar.extract.cues import descriptor_heads, speaker_heads
from khabar.extract.marks import COMMAS, is_opening_mark
from khabar.resources import load_columns, load_lines
from khabar.text.normalize import fold, fold_word

if TYPE_CHECKING:  # the context module imports this one
    from khabar.extract.context import Cue, Frame, TokenContext



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


# «his highness / excellency / eminence»: an honorific that refers back like a pronoun (folded).
# (Matching it to the titles of the persons named before, «سموه» → «الأمير …», named the right
# person in 5 of 7 cases in 293 SaudiNewsNet articles; salience in 6.)
_HONORIFICS = frozenset(fold_word(w) for w in (
    "معاليه", "معاليها", "سموه", "سموها", "فضيلته", "سعادته", "سعادتها", "سماحته", "دولته", "فخامته",
    "جلالته", "سيادته", "حضرته"))


_SAME = frozenset(fold_word(w) for w in ("ذات", "نفس"))
_SAME_AFTER = frozenset(fold_word(w) for w in ("ذاته", "ذاتها", "نفسه", "نفسها"))


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




class SpeakerResolver:
    """Turns a frame's NP (or its absence) into a Speaker."""

    def __init__(self, ctx: TokenContext, quote_spans: list[tuple[int, int]], cues: list[Cue]) -> None:
        self.ctx = ctx
        self.cue_index = {k for c in cues for k in range(c.start, c.end)}
        self.cue_starts = {c.start: c.end for c in cues if c.form.pos == "verb"}
        self.heads = speaker_heads()
        self.titles = title_words()
        self.previous: list[Candidate] = []
        self.source = "none"  # which rule of :meth:`resolve` chose the last speaker (a ranker feature)
        # quotations as sorted, merged char ranges: membership by bisection, not a scan per call
        merged: list[list[int]] = []
        for qs, qe in sorted(quote_spans):
            if merged and qs <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], qe)
            else:
                merged.append([qs, qe])
        self._q_starts = [m[0] for m in merged]
        self._q_ends = [m[1] for m in merged]

    def _inside_quote(self, char: int) -> bool:
        i = bisect_right(self._q_starts, char) - 1
        return i >= 0 and char < self._q_ends[i]

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
            if ctx.is_punct(i) and not (is_opening_mark(t)):
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
            if is_opening_mark(t):
                p = ctx.pair_at.get(j)
                if p is not None and p.close_tok is not None and p.close_tok < b and p.close_tok - j <= 5 and j > start:
                    j = p.close_tok + 1
                    continue
                break
            if t == "." and j > start and len(ctx.ft[j - 1]) == 1:
                j += 1  # «عميد القبول والتسجيل د. عبدالعزيز الصقر»: an abbreviated title's stop
                continue
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
        if k not in ctx.ent_at and k - 1 in ctx.ent_at and ctx.ent_at[k - 1][0].type == "PER":
            return False  # a person's name ends where its entity does («… الصقر شرحا مفصلا»)
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
        if j >= b or ctx.toks[j].text not in COMMAS:
            return None
        k = j + 1
        if k in ctx.ent_at and ctx.ent_at[k][0].type == "PER":
            return self._entity_candidate(k)
        e = k
        while e < b and self._name_like(e):
            e += 1
        if e - k >= 2 and (e >= b or ctx.toks[e].text in COMMAS):
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

    def _entity_or_longer_name(self, k: int, j: int, words: frozenset[str], lo: int | None = None) -> Candidate:
        """The entity mentioned at token k, unless the name in the text runs on past the
        mention («بيتاني بارون جيبس» where only «بيتاني» was tagged) or starts before it
        («علي حسن» where only «حسن» was): then the full name. ``lo`` bounds the look-back."""
        ctx = self.ctx
        c = self._entity_candidate(k)
        c.np_words = words
        if c.type != "PER":
            return c
        m_start = k
        while m_start > 0 and (m_start - 1) in ctx.ent_at and ctx.ent_at[m_start - 1][1] is c.mention:
            m_start -= 1
        m_end = k
        while m_end < j and m_end in ctx.ent_at and ctx.ent_at[m_end][1] is c.mention:
            m_end += 1
        trimmed = False
        while m_end - 1 > m_start and ctx.ft[m_end - 1].startswith(("بال", "لل", "كال", "فال")):
            m_end -= 1  # a prepositional phrase glued to the name by the tagger («يوسف بالعمال»)
            trimmed = True
        b = m_start
        floor = m_start - 3 if lo is None else max(lo, m_start - 3)
        while b > floor and b > 0 and self._name_like(b - 1) and (b - 1) not in ctx.ent_at \
                and not ctx.ft[b - 1].startswith("ال"):
            b -= 1
        e = m_end
        while not trimmed and e < j and e - b < 5 and self._name_like(e) and e not in ctx.ent_at:
            e += 1
        if trimmed:
            return self._named(b, e, c.gender, words)
        if e > m_end or b < m_start:
            longer = self._named(b, e, c.gender, words)
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
        if ctx.ft[i] in _HONORIFICS:
            return None  # «وأكد سموه», «ونوه فضيلته أن»: a pronoun for the most salient person before
        if self._same_source(i, b) and self.previous:
            # «وأوضح ذات المصدر», «وأضاف المصدر نفسه» (Maghrebi papers): the source quoted last
            return replace(self.previous[-1], tok=i)
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
            # «بحسب ما أعلن فريقه الجديد», «وقالت وزارته»: a body named before, through its owner
            stem = next((head[:-len(x)] for x in ("هم", "ها", "ه") if head.endswith(x)
                         and self.heads.get(head[:-len(x)], ("",))[0] == "ORG"), None)
            if stem is not None and start not in ctx.ent_at:
                ante = self._antecedent(frozenset({stem}), "ال" + stem, "ORG", gender, start)
                if ante is not None:
                    return ante
            if start in ctx.ent_at:
                return self._entity_or_longer_name(start, j, words, lo=start)
            if not bare_name or adjunct or not ctx.toks[start].text[:1].isalpha():
                return None
            if head.startswith("ال"):
                # «وقال الأبنودي»: a family name known elsewhere; otherwise a description («الزوج المكلوم»)
                named = self._named(start, start + 1, gender, words)
                if named.entity is not None or named.name != ctx.toks[start].text:
                    return named
                # a role and its complement, then the name («وأوضح المشرف على فرق الفنون الشعبية
                # هذال العتيبي أن»): the person the role introduces, before the introducer
                for k in range(j, b):
                    if k in ctx.ent_at and ctx.ent_at[k][0].type == "PER" and not ctx.in_marks[k] \
                            and ctx.fw.get(ctx.ft[k - 1]) != "prep" and ctx.ent_at[k][1].start == ctx.toks[k].start:
                        return self._entity_candidate(k)
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
                    return self._entity_or_longer_name(k, j, words, lo=start)
        # An organisation named with its head noun («وكالة أنباء البحرين»), or after a generic
        # descriptor that names the same thing («قناة السومرية»; but «بعثة الأمم المتحدة» is not the UN).
        bare_head = head[2:] if head.startswith("ال") else head
        # (the name may stand in quotation marks: «موقع "فوربس"»)
        nxt = h + 2 if h + 2 < j and is_opening_mark(ctx.toks[h + 1].text) else h + 1
        after = (nxt,) if (head in descriptor_heads() or bare_head in descriptor_heads()) else ()
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

    def _same_source(self, i: int, b: int) -> bool:
        """«ذات المصدر», «نفس المصدر», «المصدر ذاته», «المصدر نفسه» (also with الجهة, البلاغ …)."""
        ft = self.ctx.ft
        if i + 1 >= b:
            return False
        first, second = ft[i], ft[i + 1]
        if first in _SAME and second.startswith("ال"):
            return True
        return first.startswith("ال") and self._head(first) is not None and second in _SAME_AFTER

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
            # an organisation named earlier, outside quotations first; then inside them, for
            # «تخلى سبورتينغ لشبونة عن … بحسب ما ذكر النادي» where the attributed clause names it
            for quoted_too in (False, True):
                best: Candidate | None = None
                for k in range(before - 1, -1, -1):
                    if k in self.ctx.ent_at and (quoted_too or not self._inside_quote(self.ctx.toks[k].start)):
                        e, _m = self.ctx.ent_at[k]
                        if e.type == "ORG" and (fold_word(e.name.split()[0]).removeprefix("ال") == h
                                                or self._after_head(k, h)):
                            return self._entity_candidate(k)
                        if best is None and e.type == "ORG" and agrees(gender, entity_gender(e)):
                            best = self._entity_candidate(k)
                if best is not None:
                    return best
            return None
        if htype == "PER" and self.previous:
            last = self.previous[-1]
            if agrees(gender, last.gender) and last.type in ("PER", "ANON") \
                    and self.ctx.sent_of[before] - self.ctx.sent_of[min(last.tok, before)] <= 3:
                return last
        return None

    def _after_head(self, k: int, h: str) -> bool:
        """Whether the name at token k follows the head noun ``h`` (folded, without ال), maybe with
        a proclitic and a quotation mark: «صحيفة "ديلي ستار"» for a later «الصحيفة»."""
        ctx = self.ctx
        j = k - 1
        if j >= 0 and is_opening_mark(ctx.toks[j].text):
            j -= 1
        if j < 0:
            return False
        f = ctx.ft[j]
        return any(f.removeprefix(p).removeprefix("ال") == h for p in ("", "و", "ب", "ل", "وب", "ول"))

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

    def resolve(self, fr: Frame) -> tuple[Candidate | None, bool, float]:
        """(candidate, named explicitly in this frame, confidence)."""
        gender = fr.cue.form.gender
        pos = fr.cue.form.pos
        cand: Candidate | None = None
        conf = fr.confidence
        explicit = False
        self.source = "np"
        if fr.np is not None and fr.np[1] > fr.np[0] and (pos != "participle" or fr.np_inherited):
            cand = self.from_np(fr.np[0], fr.np[1], gender)
            explicit = cand is not None and cand.mention is not None
        if cand is None and pos == "participle":
            self.source = "subject"
            cand = self.subject_of_sentence(fr.cue.start, gender)
        if cand is None and pos == "verb" and not fr.np_inherited:
            self.source = "preverbal"
            cand = self.preverbal_subject(fr.cue.start, gender)
        if cand is None:
            self.source = "salient"
            same = pos == "participle"
            cand = self.salient(fr.cue.start, gender, same_sentence=same)
            if cand is None and same:
                cand = self.salient(fr.cue.start, gender, same_sentence=False)
            conf *= 0.85
        if cand is None:
            self.source = "none"
            return None, False, conf * 0.6
        if cand.gender == "?" and gender in ("m", "f"):
            cand.gender = gender
        self.previous.append(replace(cand, tok=max(cand.tok, fr.cue.start)))
        return cand, explicit, conf


def to_speaker(c: Candidate, explicit: bool) -> Speaker:
    name = c.entity.name if c.entity is not None else c.name
    return Speaker(name, c.type, c.entity.id if c.entity is not None else None, c.mention if explicit else None)
