"""Date expressions: month names (MSA, Levantine, Maghrebi, Hijri), weekdays, years,
numeric dates and relative expressions, resolved against the article's date.

Matching runs once over the folded view (``doc.cache["view"]``) with one compiled
regular expression whose word lists are tries built from the lexicons in
``khabar/resources`` (months.txt, weekdays.txt, relative_dates.txt,
date_context.txt). Each match is then checked and resolved in Python; matches are
sparse, so that per-match work does not cost throughput.

Resolution follows the article date (``doc.meta["date"]``) when it parses:
«أمس» → the day before, «الشهر الماضي» → the previous month, «جويلية الماضي» →
the last July before the article. Without a date, the fields stay ``None`` and
``relative`` says what the expression means ("yesterday", "last", "this-year").
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khabar.document import DateExpr, Document
from khabar.extract._lexre import HSPACE, HSPACE0, counted_noun, doc_view, prev_word, raw_span, trie_pattern
from khabar.resources import load_columns
from khabar.text.normalize import fold

_SP, _SP0 = HSPACE, HSPACE0
_ERA = r"(?:م|ه|هجريه|هجري|ميلاديه|ميلادي|للهجره|للميلاد)"
_OTHER_YEARS = frozenset(("الهجري", "الهجريه", "الدراسي", "الدراسيه", "المالي", "الماليه"))
_BYLINE_END = re.compile(r"[ \t]*(?:[\n\r]|$|[-–—ـ])")
_QUOTE_MARKS = frozenset("«»\"“”'")


@dataclass(frozen=True, slots=True)
class _Month:
    month: int
    calendar: str  # gregorian | hijri
    ambiguity: str  # "-" | "amb" | "strict"


@dataclass(frozen=True, slots=True)
class _Relative:
    unit: str  # day | week | month | year
    offset: int
    label: str
    needs_part: bool


class _Lexicon:
    """Compiled patterns and lookup tables; built once, on first use."""

    def __init__(self) -> None:
        self.months: dict[str, _Month] = {}
        for form, num, cal, amb in load_columns("months.txt"):
            self.months[_key(form)] = _Month(int(num), "hijri" if cal == "h" else "gregorian", amb)
        self.weekdays = {_key(f): int(n) for f, n in load_columns("weekdays.txt")}
        self.relatives = {_key(f): _Relative(u, int(o), lab, flag == "part")
                          for f, u, o, lab, flag in load_columns("relative_dates.txt")}
        ctx: dict[str, set[str]] = {}
        for form, role in load_columns("date_context.txt"):
            ctx.setdefault(role, set()).add(_key(form))
        self.parts = {w: role for role in ("start", "mid", "end") for w in ctx.get(role, ())}
        self.suffixes = {w: role for role in ("last", "next", "this") for w in ctx.get(role, ())}
        self.preps = frozenset(ctx.get("prep", ()))
        self.ordinals = {_key(f): int(n) for f, n in load_columns("day_ordinals.txt")}

        months = trie_pattern(self.months)
        wdays = trie_pattern(self.weekdays)
        rels = trie_pattern(self.relatives)
        parts = trie_pattern(self.parts)
        sufs = trie_pattern(self.suffixes)
        ords = trie_pattern(self.ordinals)
        # «أمس (الأحد)», «بعد غد الخميس»: a relative day right before a weekday names the same day.
        dayrels = trie_pattern(k for k, r in self.relatives.items() if r.unit == "day" and not r.needs_part)
        year_part = (rf"(?:{_SP0}[،,]?{_SP0}(?:من{_SP})?(?:(?:ال)?(?:عام|سنه){_SP})?(?P<y1>\d{{4}})(?!\d)"
                     rf"(?:\s?(?P<era1>{_ERA})(?!\w))?)")
        wd_prefix = (rf"(?:(?:(?P<wdpre>{dayrels}|يوم){_SP0})?(?P<wdq>\({_SP0})?(?P<wd>{wdays})(?!\w)"
                     rf"(?(wdq){_SP0}\)){_SP0}[،,]?{_SP0})")
        self.pattern = re.compile(
            r"(?<!\w)(?:[وف]?لل(?=\w)|[وفبل])?"    # a clitic («وب», «للعام» = ل + العام), outside the span
            r"(?P<x>"
            rf"(?:(?P<part>{parts})(?!\w){_SP}(?:من{_SP})?)?"
            r"(?:"
            # day / month / year, optionally after a weekday
            rf"(?P<m>{wd_prefix}?(?:(?:ال)?(?P<day>\d{{1,2}})(?!\d){_SP0}(?:من{_SP})?|(?P<oday>{ords}){_SP}من{_SP})?"
            rf"(?:(?P<shahr>شهر){_SP})?"
            rf"(?P<mon>{months})(?!\w)(?:{_SP0}[(/]{_SP0}(?P<mon2>{months})(?!\w)(?:{_SP0}\))?)?"
            rf"{year_part}?(?:{_SP}(?P<suf>{sufs})(?!\w))?)"
            # numeric dates: 21/7/2015, 21-07-2015, 2015-07-21, 1436/10/5هـ
            r"|(?P<num>(?:(?P<nd>\d{1,2})\s?(?P<sep>[/.\-])\s?(?P<nm>\d{1,2})\s?(?P=sep)\s?(?P<ny>\d{4}|\d{2})"
            r"|(?P<iy>\d{4})\s?(?P<sep2>[/.\-])\s?(?P<im>\d{1,2})\s?(?P=sep2)\s?(?P<id>\d{1,2}))"
            rf"(?![\d/\-]|\.\d)(?:\s?(?P<era3>{_ERA})(?!\w))?)"
            # years: العام 2016، عام 1436 هـ، 2015م، (في) 2015
            rf"|(?P<yr>(?:(?P<yw>(?:ال)?(?:عام|سنه)){_SP}(?P<y2>\d{{4}})(?!\d)(?:\s?(?P<era2>{_ERA})(?!\w))?)"
            rf"|(?P<y3>\d{{4}})\s?(?P<era4>{_ERA})(?!\w)"
            r"|(?P<y4>(?:19|20)\d\d)(?![\d\w]|[.,]\d))"
            # weekday alone or with اليوم / أمس: «اليوم (الاثنين)», «الأحد الماضي»
            rf"|(?P<w>(?:(?P<wdpre2>{dayrels}|يوم){_SP0})?(?P<wdq2>\({_SP0})?(?P<wd2>{wdays})(?!\w)"
            rf"(?(wdq2){_SP0}\))(?:{_SP}(?P<wdsuf>{sufs})(?!\w))?)"
            # relative expressions
            rf"|(?P<rel>{rels})(?!\w)"
            r"))"
        )
        self.next_word = re.compile(r"\s*(\S+)")


def _key(form: str) -> str:
    """The folded, single-spaced form used both in patterns and in lookups."""
    return " ".join(fold(form).split())


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_RE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_article_date(value: Any) -> _dt.date | None:
    """The article date from ``meta["date"]``, leniently: date/datetime objects, ISO strings
    («2015-07-21», «2015-07-21 02:51:32», «2015-07-21T...») or «21/7/2015». None when unclear."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = fold(value)
    for rx, order in ((_ISO_RE, (0, 1, 2)), (_DMY_RE, (2, 1, 0))):
        m = rx.search(s)
        if m:
            g = m.groups()
            try:
                return _dt.date(int(g[order[0]]), int(g[order[1]]), int(g[order[2]]))
            except ValueError:
                return None
    return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + delta
    return k // 12, k % 12 + 1


def _near_weekday(day: _dt.date, weekday: int, direction: int = 0) -> _dt.date:
    """The date with ISO ``weekday`` nearest to ``day`` (direction -1: strictly before, +1: after)."""
    if direction < 0:
        back = (day.isoweekday() - weekday) % 7 or 7
        return day - _dt.timedelta(days=back)
    if direction > 0:
        fwd = (weekday - day.isoweekday()) % 7 or 7
        return day + _dt.timedelta(days=fwd)
    for k in (0, -1, 1, -2, 2, -3, 3):
        d = day + _dt.timedelta(days=k)
        if d.isoweekday() == weekday:
            return d
    return day


def _year_calendar(year: int, era: str | None, default: str) -> str:
    if era:
        return "gregorian" if era in ("م", "ميلادي", "ميلاديه", "للميلاد") else "hijri"
    if default == "gregorian" and 1300 <= year <= 1500:
        return "hijri"  # «عام 1436» in the Gulf press is a Hijri year
    return default


class _Resolver:
    """Turns one regex match into a DateExpr (or None when context rejects it)."""

    def __init__(self, lex: _Lexicon, vt: str, base: _dt.date | None) -> None:
        self.lex = lex
        self.vt = vt
        self.base = base

    def __call__(self, m: re.Match[str]) -> tuple[int, int, dict[str, Any]] | None:
        part = self.lex.parts.get(m.group("part")) if m.group("part") else None
        if m.group("m") is not None:
            out = self._month(m, part)
        elif m.group("num") is not None:
            out = self._numeric(m)
        elif m.group("yr") is not None:
            out = self._year(m, part)
        elif m.group("w") is not None:
            out = self._weekday(m)
        else:
            out = self._relative(m, part)
        if out is None:
            return None
        start, end = m.span("x")
        if "_start" in out:
            return out.pop("_start"), end, out
        kind = next(k for k in ("m", "num", "yr", "w", "rel") if m.group(k) is not None)
        if m.group("part") and (part is None or kind in ("num", "w")):
            start = m.start(kind)  # the part word does not apply to this kind: leave it out
        elif part is not None:
            out["part"] = part
        return start, end, out

    # -- kinds -----------------------------------------------------------------
    def _month(self, m: re.Match[str], part: str | None) -> dict[str, Any] | None:
        day = int(m.group("day")) if m.group("day") else None
        if m.group("oday"):
            if prev_word(self.vt, m.start("x")).startswith("ال"):
                # «النصف الثاني من شعبان», «الأسبوع الأول من يوليو»: the ordinal is not a day.
                skip_to = m.start("shahr") if m.group("shahr") else m.start("mon")
                out = self._month_fields(m, part, None)
                if out is not None:
                    out["_start"] = skip_to
                return out
            day = self.lex.ordinals[" ".join(m.group("oday").split())]
        if day is not None and not 1 <= day <= 31:
            return None
        return self._month_fields(m, part, day)

    def _month_fields(self, m: re.Match[str], part: str | None, day: int | None) -> dict[str, Any] | None:
        info = self.lex.months[" ".join(m.group("mon").split())]
        year = int(m.group("y1")) if m.group("y1") else None
        suf = self.lex.suffixes.get(m.group("suf")) if m.group("suf") else None
        strong = bool(day or m.group("shahr") or year or suf or m.group("mon2") or m.group("wd"))
        if info.ambiguity != "-" and not strong:
            if info.ambiguity == "strict":
                return None
            if not part and prev_word(self.vt, m.start("x")) not in self.lex.preps:
                return None
        cal = info.calendar
        if year is not None:
            cal = _year_calendar(year, m.group("era1"), cal)
        out: dict[str, Any] = {"year": year, "month": info.month, "day": day, "calendar": cal}
        if m.group("wd"):
            out["weekday"] = self.lex.weekdays[m.group("wd")]
        if suf:
            out["relative"] = suf
            if year is None and self.base is not None and cal == "gregorian":
                b = self.base
                # Compare (month, day) with the article date: «27 أغسطس المقبل» written on 1 August
                # is this year's, «أغسطس المقبل» written in August is next year's.
                here = (info.month, day or 0)
                now = (b.month, b.day if day else 0)
                if suf == "last":
                    out["year"] = b.year if here < now else b.year - 1
                elif suf == "next":
                    out["year"] = b.year if here > now else b.year + 1
                else:
                    out["year"] = b.year
        return out

    def _numeric(self, m: re.Match[str]) -> dict[str, Any] | None:
        if m.group("nd"):
            d, mo, ys = int(m.group("nd")), int(m.group("nm")), m.group("ny")
            if m.group("sep") == "." and len(ys) != 4:
                return None  # «1.2.15» is more likely a version or a list number
            y = int(ys) if len(ys) == 4 else 2000 + int(ys) if int(ys) < 50 else 1900 + int(ys)
            if mo > 12 and d <= 12:
                d, mo = mo, d  # month/day/year order
        else:
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        cal = _year_calendar(y, m.group("era3"), "gregorian")
        if cal == "gregorian" and not 1800 <= y <= 2200:
            return None
        return {"year": y, "month": mo, "day": d, "calendar": cal}

    def _year(self, m: re.Match[str], part: str | None) -> dict[str, Any] | None:
        if m.group("y2"):
            y, era = int(m.group("y2")), m.group("era2")
        elif m.group("y3"):
            y, era = int(m.group("y3")), m.group("era4")
        else:
            # A bare year needs a preposition or a part word before it, and must not count a noun
            # («في 2000 حالة» is a count).
            y, era = int(m.group("y4")), None
            if not part and prev_word(self.vt, m.start("x")) not in self.lex.preps:
                return None
            nxt = self.lex.next_word.match(self.vt, m.end("x"))
            if nxt and counted_noun(nxt.group(1)):
                return None
        if not 1000 <= y <= 2200:
            return None
        return {"year": y, "month": None, "day": None, "calendar": _year_calendar(y, era, "gregorian")}

    def _weekday(self, m: re.Match[str]) -> dict[str, Any] | None:
        wd = self.lex.weekdays[m.group("wd2")]
        pre = m.group("wdpre2")
        suf = self.lex.suffixes.get(m.group("wdsuf")) if m.group("wdsuf") else None
        out: dict[str, Any] = {"year": None, "month": None, "day": None, "weekday": wd}
        rel = self.lex.relatives.get(" ".join(pre.split())) if pre else None
        day: _dt.date | None = None
        if rel is not None:
            offset = rel.offset
            out["relative"] = rel.label
            if self.base is not None:
                # The article date is often the crawl time: trust the weekday for the exact day.
                day = _near_weekday(self.base + _dt.timedelta(days=offset), wd)
        elif suf in ("last", "next"):
            out["relative"] = suf
            if self.base is not None:
                day = _near_weekday(self.base, wd, -1 if suf == "last" else 1)
        if day is not None:
            out.update(year=day.year, month=day.month, day=day.day)
        return out

    def _relative(self, m: re.Match[str], part: str | None) -> dict[str, Any] | None:
        key = " ".join(m.group("rel").split())
        rel = self.lex.relatives[key]
        if rel.needs_part and not part:
            return None
        if key == "اليوم" and not self._today_ok(m):
            return None
        out: dict[str, Any] = {"year": None, "month": None, "day": None, "relative": rel.label}
        b = self.base
        if rel.unit == "year":
            nxt = self.lex.next_word.match(self.vt, m.end("x"))
            qualifier = nxt.group(1) if nxt else ""
            if qualifier in _OTHER_YEARS:
                # «العام الهجري الجاري», «العام الدراسي المقبل»: not the Gregorian calendar year.
                if qualifier.startswith("الهجري"):
                    out["calendar"] = "hijri"
                return out
        if b is None:
            return out
        if rel.unit == "day":
            d = b + _dt.timedelta(days=rel.offset)
            out.update(year=d.year, month=d.month, day=d.day)
        elif rel.unit == "month":
            out["year"], out["month"] = _shift_month(b.year, b.month, rel.offset)
        elif rel.unit == "year":
            out["year"] = b.year + rel.offset
        return out

    def _today_ok(self, m: re.Match[str]) -> bool:
        """«اليوم» is today except in «اليوم الوطني», «اليوم التالي», «ذلك اليوم», «اليوم نفسه»,
        «في اليوم» (per day) and a quoted «"اليوم"» (the newspaper)."""
        s, e = m.span("x")
        if prev_word(self.vt, s) in ("ذلك", "نفس", "تلك", "هذا", "في"):
            return False
        if self.vt[s - 1: s] in _QUOTE_MARKS and self.vt[e: e + 1] in _QUOTE_MARKS:
            return False
        nxt = self.lex.next_word.match(self.vt, m.end("x"))
        if nxt:
            w = nxt.group(1)
            if w.startswith("ال") or w in ("نفسه", "ذاته"):
                return False
        # A byline or dateline («فلان – عين اليوم», «اليوم – عمان»): the name of a newspaper.
        return _BYLINE_END.match(self.vt, e) is None


_JOINER = re.compile(r"[\s،,()\-–]*")


def _merge_weekdays(text: str, dates: list[DateExpr]) -> list[DateExpr]:
    """«يوم الجمعة 9 / 9 / 1436هـ»: a weekday right before a dated expression is one expression."""
    out: list[DateExpr] = []
    for d in dates:
        prev = out[-1] if out else None
        if (prev is not None and prev.weekday is not None and prev.month is None and prev.relative is None
                and d.weekday is None and d.day is not None
                and _JOINER.fullmatch(text, prev.end, d.start)):
            d = DateExpr(prev.start, d.end, text[prev.start:d.end], d.year, d.month, d.day, d.calendar,
                         d.relative, d.part, prev.weekday)
            out[-1] = d
        else:
            out.append(d)
    return out


def extract_dates(doc: Document) -> list[DateExpr]:
    """Date expressions of ``doc`` sorted by start, non-overlapping, with raw offsets."""
    cached = doc.cache.get("dates")
    if isinstance(cached, list) and doc.cache.get("dates_text") is doc.text:
        return list(cached)
    view = doc_view(doc)
    vt = view.text
    lex = _lexicon()
    resolve = _Resolver(lex, vt, parse_article_date(doc.meta.get("date")))
    out: list[DateExpr] = []
    for m in lex.pattern.finditer(vt):
        r = resolve(m)
        if r is None:
            continue
        vs, ve, f = r
        rs, re_ = raw_span(view, vs, ve)
        out.append(DateExpr(rs, re_, doc.text[rs:re_], f.get("year"), f.get("month"), f.get("day"),
                            f.get("calendar", "gregorian"), f.get("relative"), f.get("part"),
                            f.get("weekday")))
    out = _merge_weekdays(doc.text, out)
    doc.cache["dates"] = out
    doc.cache["dates_text"] = doc.text
    return list(out)
