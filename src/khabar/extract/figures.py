"""Figures: money, percentages, counts, ratios and plain numbers, with normalized values.

One compiled regex over the folded view finds a *chain*: digits (Western, Eastern and
Persian digits are ASCII in the view; ``٫``/``٬`` are ``.``/``,``) or number words
(numbers.txt) followed by more number words («ثلاثة ملايين», «خمسة وعشرين»,
«50 مليون»). A small parser turns the chain into a value and stops where the words
stop forming one number («ثلاثة وأربعة» is two numbers, not seven). What follows
the chain decides the kind: a percent sign or «بالمئة/في المائة» → percent; a
currency word or symbol (currencies.txt, with a nationality adjective from
currency_adjectives.txt) → money with an ISO 4217 ``unit``; an indefinite noun →
count (the noun is part of the span: «عشر نقاط»); a fraction alone → ratio;
otherwise number.

Dates own their numbers: figures overlapping a date expression (``21 يوليو``,
``العام 2016``) are dropped, and a bare 4-digit number between 1900 and 2100 with
nothing after it is taken for a year, not a figure.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from khabar.document import Document, Figure
from khabar.extract._lexre import HSPACE, counted_noun, doc_view, prev_word, raw_span, trie_pattern
from khabar.extract.dates import extract_dates
from khabar.resources import load_columns
from khabar.text.normalize import fold

# 1,200 / 1,200.5; 37.960.200 (dots as thousands separators: only with two groups or more, since
# «1.500» alone is a decimal); «935ر6» (the press convention with ر as the decimal mark, see
# _digits_value); plain 50 / 3.5.
_DIGITS = r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+ر\d+(?!\w)|\d+(?:\.\d+)?"
_SP = HSPACE
_REST_DIGITS = r"\d{1,3}(?![\d.,]|\w)"
_STANDALONE_TATWEEL = re.compile(r"(?:^|(?<=\s))\u0640+(?=\s|$)")
_OPEN_PAREN = re.compile(r"\(\s?$")
_CLOSE_PAREN = re.compile(r"\s?\)")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
# Two-letter number words that a clitic turns into another word: «لست» "you are not", «وست» "West"
# (وست هام، وست بروميتش). «و ست سنوات» with a space is still read.
_SHORT = frozenset(("ست",))
# «نصف النهائي» (semi-final), «الربع الخالي» (the Empty Quarter), «الربع الأول» (a quarter of the year).
_FRAC_BLOCKER_WORDS = "النهائي النهائية الخالي الأول الاول الثاني الثالث الرابع الأخير الاخير الأخيرة الاخيرة ساعة"


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    role: str


class _Lexicon:
    def __init__(self) -> None:
        self.frac_blockers = frozenset(fold(w) for w in _FRAC_BLOCKER_WORDS.split())
        self.words: dict[str, _Word] = {}
        for form, value, role in load_columns("numbers.txt"):
            self.words[fold(form)] = _Word(float(value), role)
        self.currencies: dict[str, tuple[str, str | None]] = {}
        for form, group, code in load_columns("currencies.txt"):
            self.currencies[fold(form)] = (group, None if code == "-" else code)
        self.adjectives: dict[tuple[str, str], str] = {}
        for group, adj, code in load_columns("currency_adjectives.txt"):
            a = fold(adj)
            for form in (a, a + "ه", a + "ا"):
                self.adjectives[(group, form)] = code
        nw = trie_pattern(self.words)
        self.chain = re.compile(
            # «ال20 مليون» glues the article to digits
            # and prepositions typed without a space («الى25», «من٦٠٠»)
            rf"(?<![\w.,])(?P<cl>(?:[وفبل]?ال|الي|علي|من|في)(?=\d)|[وفبل]{{0,2}}?)"
            rf"(?:(?P<dig>{_DIGITS})(?!\d|[.,]\d)|(?P<w>{nw})(?!\w))"
        )
        # After a scale word, «و» may continue with digits: «4 آلاف و651 طنا».
        self.rest_word = re.compile(rf"{_SP}(?P<waw>و\s?)?(?:(?P<w>{nw})(?!\w)|(?P<d>{_REST_DIGITS}))")
        self.percent = re.compile(rf"\s?[%٪]|{_SP}(?:بال|في{_SP}ال)(?:ميه|مايه)(?!\w)")
        cur = trie_pattern(self.currencies)
        adj = trie_pattern({a for _, a in self.adjectives})
        self.currency = re.compile(
            r"\s?(?P<sym>[$€£¥])"
            rf"|{_SP}(?:من{_SP}(?:ال)?)?(?P<cur>{cur})(?!\w)(?:{_SP}(?P<adj>{adj})(?!\w))?"
        )
        self.next_word = re.compile(rf"{_SP}(?P<n>[^\W\d_]+)")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


class _Chain:
    """Parses the number words of one chain into a value.

    ``total`` holds completed groups (×1000, ×10^6 …); ``current`` the group below
    1000 being built; ``last`` the value of the last word added to ``current``.
    """

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.last = 0.0
        self.largest = 0.0
        self.frac: float | None = None
        self.words = 0
        self.first_role = ""
        self.closed = False  # «... ونصف» ends a number

    def add(self, w: _Word, waw: bool) -> bool:
        """Consume one word; False when it cannot continue the number."""
        r, v = w.role, w.value
        if not self.words:
            self.first_role = r
        if self.closed:
            return False
        if self.frac is not None:
            # «نصف مليون»: a fraction only continues with a scale word.
            if r != "scale" or waw:
                return False
            self.total, self.frac, self.largest = self.frac * v, None, v
            self.words += 1
            return True
        if r in ("unit", "bound", "ten", "hund"):
            if self.current == 0 and (not waw or self.words == 0 or self.total > 0):
                self.current = self.last = v
            elif waw and 1 <= self.last <= 9 and r == "ten":
                self.current += v  # خمسة وعشرون
                self.last = v
            elif waw and self.last >= 100 and v < 100:
                self.current += v  # مئة وخمسون
                self.last = v
            elif not waw and 1 <= self.last <= 9 and v == 10:
                self.current += v  # خمسة عشر
                self.last = v
            else:
                return False
        elif r == "hundred":
            if not waw and 1 <= self.current <= 9 and self.current == self.last:
                self.current *= 100  # ثلاث مئة
            elif self.current == 0 and (not waw or self.total > 0 or self.words == 0):
                self.current = 100
            elif waw and self.last >= 1000:
                self.current = 100
            else:
                return False
            self.last = self.current
        elif r in ("scale", "scalepl", "scale2"):
            if r == "scale2":
                if self.current or waw and not self.total:
                    return False
                mult = 2.0
            elif r == "scalepl":
                if not self.current or waw:
                    return False  # «آلاف» alone is vague
                mult = self.current
            else:
                if waw and (not self.total or self.current):
                    return False
                # «ألف مليون» multiplies what came before; «مليون» alone is one million.
                mult = self.current or (0.0 if self.total else 1.0)
            if v > self.largest:
                self.total = (self.total + mult) * v
            else:
                self.total += mult * v
            self.largest = max(self.largest, v)
            self.current = 0.0
            self.last = 1000.0
        elif r == "frac":
            if not self.words:
                self.frac = v
            elif waw and self.current and self.total == 0:
                self.current += v  # ثلاثة ونصف
                self.closed = True
            elif waw and self.total and not self.current and self.last == 1000.0:
                self.total += v * self.largest  # مليون ونصف
                self.closed = True
            else:
                return False
        elif r == "fracpl":
            if waw or not 1 <= self.current <= 9 or self.total:
                return False
            self.frac = self.current * v  # ثلاثة أرباع
            self.current = 0.0
        else:
            return False
        self.words += 1
        return True

    def after_scale(self) -> bool:
        return bool(self.total) and not self.current and not self.closed and self.last == 1000.0

    @property
    def value(self) -> float:
        return self.frac if self.frac is not None else self.total + self.current

    @property
    def bound_only(self) -> bool:
        return self.words == 1 and self.first_role in ("bound", "fracpl", "scalepl")


_GLUE_AFTER = re.compile(r"\s?/\s?\d|:\d|-\s?[^\W\d]")
_GLUE_BEFORE = re.compile(r"(?:\d\s?/|\d:)\s?$")


def _glued(vt: str, start: int, end: int) -> bool:
    """Digits that are part of something else: a clock time (10:30), a case or score number
    («47/2015», «3/6»), a list marker («2- إلغاء»)."""
    if _GLUE_AFTER.match(vt, end):
        return True
    return bool(_GLUE_BEFORE.search(vt, max(0, start - 3), start))


def _digits_value(s: str) -> float:
    """The value of a digit string from the view (ASCII digits, «,» and «.» separators).

    «935ر6» is how Arabic wire copy types 6.935: the number is keyed fraction first, so that
    right-to-left display shows «6ر935» — integer part on the left, as readers expect."""
    if "ر" in s:
        frac, whole = s.split("ر")
        return float(f"{whole}.{frac}")
    if s.count(".") > 1:
        return float(s.replace(".", ""))
    return float(s.replace(",", ""))


def _is_number_word(lex: _Lexicon, w: str) -> bool:
    """«وأربعة» after «ثلاثة»: a second number (the chain stopped there), not a counted noun."""
    return w in lex.words or (w[:1] in "وفبل" and w[1:] in lex.words)


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


def extract_figures(doc: Document) -> list[Figure]:
    """Figures of ``doc`` sorted by start, non-overlapping, with raw offsets."""
    view = doc_view(doc)
    vt = view.text
    lex = _lexicon()
    dates = extract_dates(doc)
    date_starts = [d.start for d in dates]
    out: list[Figure] = []
    pos = 0
    while True:
        m = lex.chain.search(vt, pos)
        if m is None:
            break
        pos = m.end()
        fig = _read(lex, vt, m)
        if fig is None:
            # Retry just after the first character so that a longer failed chain does not hide
            # a number inside it.
            pos = m.start() + 1
            continue
        vs, ve, kind, value, unit = fig
        pos = max(ve, m.start() + 1)
        rs, re_ = raw_span(view, vs, ve)
        if _STANDALONE_TATWEEL.search(doc.text, rs, re_):
            continue  # «8 ـ تعيين ...»: a list number followed by a tatweel used as a dash
        k = bisect_left(date_starts, re_) - 1  # the last date starting before this figure ends
        if k >= 0 and dates[k].end > rs:
            continue
        if out and rs < out[-1].end:
            continue  # «0%0»: a sign or bracket claimed by the figure before
        out.append(Figure(rs, re_, doc.text[rs:re_], kind, value, unit))
    return out


def _read(lex: _Lexicon, vt: str, m: re.Match[str]) -> tuple[int, int, str, int | float, str | None] | None:
    start = m.start("dig") if m.group("dig") else m.start("w")
    clitic = m.group("cl")
    chain = _Chain()
    if m.group("dig"):
        if start >= 2 and vt[start - 1] == "-" and vt[start - 2].isalpha():
            return None  # «كوفيد-19», «F-16»
        if _glued(vt, start, m.end("dig")):
            return None
        chain.current = _digits_value(m.group("dig"))
        chain.last = 1000.0  # digits accept a following scale only
        chain.words = 1
        end = m.end("dig")
    else:
        word = m.group("w")
        if clitic and word in _SHORT:
            return None
        if lex.words[word].value == 10 and prev_word(vt, m.start()).startswith("ال"):
            return None  # «الرابعة عشرة», «الخامس عشر»: the tens part of an ordinal
        chain.add(lex.words[word], False)
        end = m.end("w")
    # Word by word, stopping at the first word that does not continue the number: linear even on
    # a long run of number words.
    while (t := lex.rest_word.match(vt, end)) is not None:
        if t.group("d"):
            if not (t.group("waw") and chain.after_scale()):
                break
            # «206 ملايين و400 ألف»: only a smaller scale word may follow the digits.
            chain.current = float(t.group("d"))
            chain.last = 1000.0
            chain.words += 1
        elif not chain.add(lex.words[t.group("w")], bool(t.group("waw"))):
            break
        end = t.end()
    if chain.bound_only or chain.words == 0:
        return None
    value = chain.value
    is_frac = chain.frac is not None and chain.total == 0
    kind = "number"
    unit: str | None = None
    if is_frac:
        nxt = lex.next_word.match(vt, end)
        if nxt and nxt.group("n") in lex.frac_blockers:
            return None
        return start, end, "ratio", _number(value), None
    if m.group("dig") and start > 0 and vt[start - 1] in "%٪":
        return start - 1, end, "percent", _number(value), None
    if m.group("dig") and start > 0 and vt[start - 1] in _SYMBOLS:
        return start - 1, end, "money", _number(value), _SYMBOLS[vt[start - 1]]
    p = lex.percent.match(vt, end)
    if p:
        return start, p.end(), "percent", _number(value), None
    c = lex.currency.match(vt, end)
    if c:
        if c.group("sym"):
            return start, c.end(), "money", _number(value), _SYMBOLS[c.group("sym")]
        group, unit = lex.currencies[c.group("cur")]
        if c.group("adj"):
            code = lex.adjectives.get((group, c.group("adj")))
            if code is None:
                return start, c.end("cur"), "money", _number(value), unit
            unit = code
        return start, c.end(), "money", _number(value), unit
    opening = _OPEN_PAREN.search(vt, max(0, start - 2), start) if m.group("dig") else None
    if opening and prev_word(vt, opening.start()).endswith("عدد"):
        # «عدد (10) مسدسات» in police statements; other bracketed numbers are footnotes.
        close = _CLOSE_PAREN.match(vt, end)
        if close:
            n = lex.next_word.match(vt, close.end())
            if n and counted_noun(n.group("n")):
                return opening.start(), n.end(), "count", _number(value), None
    n = lex.next_word.match(vt, end)
    if (n and counted_noun(n.group("n")) and not _is_number_word(lex, n.group("n"))
            and not (m.group("dig") and value == 1)  # «جنيف 1 وجنيف 2»: «1 X» is not how Arabic counts
            and not clitic.endswith("ال")):  # «المرتبة الـ14 بوزارة»: a definite number is an ordinal
        return start, n.end(), "count", _number(value), None
    if m.group("dig") and chain.words == 1 and "." not in m.group("dig") and 1900 <= value <= 2100:
        return None  # a bare year («رؤية 2030») is not a figure
    return start, end, kind, _number(value), unit
