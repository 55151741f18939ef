"""Date expressions: recognition, resolution against the article date, spans, the seed."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import DateExpr, Document
from khabar.extract.dates import extract_dates, parse_article_date
from khabar.pipeline import Pipeline


def dates(text: str, date: Any = None) -> list[DateExpr]:
    doc = Document("t", text, meta={"date": date} if date is not None else {})
    out = extract_dates(doc)
    for d in out:
        assert doc.text[d.start:d.end] == d.text
    return out


def one(text: str, date: Any = None) -> DateExpr:
    out = dates(text, date)
    assert len(out) == 1, out
    return out[0]


def ymd(d: DateExpr) -> tuple[int | None, int | None, int | None]:
    return d.year, d.month, d.day


@pytest.mark.parametrize("text, span, expected", [
    # MSA spellings
    ("وقع في 21 يوليو 2015 هجوم", "21 يوليو 2015", (2015, 7, 21)),
    ("وقع في 21 يوليه 2015 هجوم", "21 يوليه 2015", (2015, 7, 21)),
    ("في ابريل 2014", "ابريل 2014", (2014, 4, None)),
    ("في أبريل 2014", "أبريل 2014", (2014, 4, None)),
    ("منذ اغسطس الماضي", "اغسطس الماضي", (None, 8, None)),
    ("في ٣ ديسمبر ٢٠١٤", "٣ ديسمبر ٢٠١٤", (2014, 12, 3)),
    # Levantine, with the MSA name in brackets
    ("في 21 تموز (يوليو) 2015", "21 تموز (يوليو) 2015", (2015, 7, 21)),
    ("في كانون الثاني 2016", "كانون الثاني 2016", (2016, 1, None)),
    ("في تشرين الأول 2016", "تشرين الأول 2016", (2016, 10, None)),
    ("في 5 شباط", "5 شباط", (None, 2, 5)),
    ("في 14 آذار", "14 آذار", (None, 3, 14)),
    ("في أيلول (سبتمبر) المقبل", "أيلول (سبتمبر) المقبل", (None, 9, None)),
    # Maghrebi
    ("في 3 جانفي 2017", "3 جانفي 2017", (2017, 1, 3)),
    ("في فيفري الماضي", "فيفري الماضي", (None, 2, None)),
    ("في 12 أفريل", "12 أفريل", (None, 4, 12)),
    ("في شهر جوان 2016", "شهر جوان 2016", (2016, 6, None)),
    ("في 20 أوت 2017", "20 أوت 2017", (2017, 8, 20)),
    # ordinals
    ("في الثامن من أغسطس", "الثامن من أغسطس", (None, 8, 8)),
    ("في الحادي والعشرين من يونيو", "الحادي والعشرين من يونيو", (None, 6, 21)),
    # numeric
    ("بتاريخ 21/7/2015 صدر", "21/7/2015", (2015, 7, 21)),
    ("بتاريخ ٢١/٧/٢٠١٥ صدر", "٢١/٧/٢٠١٥", (2015, 7, 21)),
    ("بتاريخ 2015-07-21 صدر", "2015-07-21", (2015, 7, 21)),
    # years
    ("في العام 2016", "العام 2016", (2016, None, None)),
    ("خلال عام 2015", "عام 2015", (2015, None, None)),
    ("تأسس 1932م", "1932م", (1932, None, None)),
    ("منذ 2011 وحتى الآن", "2011", (2011, None, None)),
])
def test_gregorian(text: str, span: str, expected: tuple[int | None, ...]) -> None:
    d = one(text)
    assert d.text == span
    assert ymd(d) == expected
    assert d.calendar == "gregorian"


@pytest.mark.parametrize("text, span, expected", [
    ("في 10 شوال 1436هـ", "10 شوال 1436هـ", (1436, 10, 10)),
    ("خلال شهر رمضان", "شهر رمضان", (None, 9, None)),
    ("في ربيع الأول", "ربيع الأول", (None, 3, None)),
    ("في 9 ذي الحجة", "9 ذي الحجة", (None, 12, 9)),
    ("للعام 1436 هـ", "عام 1436 هـ", (1436, None, None)),  # ل + العام: the clitic stays outside
    ("يوم الجمعة 9 / 9 / 1436هـ", "يوم الجمعة 9 / 9 / 1436هـ", (1436, 9, 9)),
])
def test_hijri(text: str, span: str, expected: tuple[int | None, ...]) -> None:
    d = one(text)
    assert (d.text, ymd(d), d.calendar) == (span, expected, "hijri")


@pytest.mark.parametrize("text, span, expected, relative", [
    ("وصل أمس الى الرياض", "أمس", (2015, 7, 20), "yesterday"),
    ("وصل البارحة", "البارحة", (2015, 7, 20), "yesterday"),
    ("وصل أول أمس", "أول أمس", (2015, 7, 19), "day-before-yesterday"),
    ("وصل أول من أمس", "أول من أمس", (2015, 7, 19), "day-before-yesterday"),
    ("يصل غدا", "غدا", (2015, 7, 22), "tomorrow"),
    ("يصل بعد غد", "بعد غد", (2015, 7, 23), "day-after-tomorrow"),
    ("أعلن اليوم أن", "اليوم", (2015, 7, 21), "today"),
    ("خلال الشهر الماضي", "الشهر الماضي", (2015, 6, None), "last-month"),
    ("خلال الشهر المقبل", "الشهر المقبل", (2015, 8, None), "next-month"),
    ("خلال هذا العام", "هذا العام", (2015, None, None), "this-year"),
    ("خلال العام الماضي", "العام الماضي", (2014, None, None), "last-year"),
    ("خلال السنة المقبلة", "السنة المقبلة", (2016, None, None), "next-year"),
    ("في يونيو الماضي", "يونيو الماضي", (2015, 6, None), "last"),
    ("في يوليو الماضي", "يوليو الماضي", (2014, 7, None), "last"),  # the July before this one
    ("في أغسطس المقبل", "أغسطس المقبل", (2015, 8, None), "next"),
    ("في مارس المقبل", "مارس المقبل", (2016, 3, None), "next"),
    ("الأحد الماضي", "الأحد الماضي", (2015, 7, 19), "last"),
    ("الأحد المقبل", "الأحد المقبل", (2015, 7, 26), "next"),
])
def test_relative_with_article_date(text: str, span: str, expected: tuple[int | None, ...],
                                    relative: str) -> None:
    d = one(text, "2015-07-21 02:51:32")
    assert (d.text, ymd(d), d.relative) == (span, expected, relative)


def test_relative_month_wraps_the_year() -> None:
    assert ymd(one("خلال الشهر الماضي", "2015-01-10")) == (2014, 12, None)
    assert ymd(one("خلال الشهر المقبل", "2015-12-10")) == (2016, 1, None)
    assert ymd(one("وصل أمس", "2016-03-01")) == (2016, 2, 29)


@pytest.mark.parametrize("text, relative", [
    ("وصل أمس", "yesterday"), ("هذا العام", "this-year"), ("الشهر الماضي", "last-month"),
    ("الأسبوع المقبل", "next-week"), ("في يوليو الماضي", "last"),
])
def test_relative_without_article_date(text: str, relative: str) -> None:
    d = one(text)
    assert d.relative == relative
    assert d.year is None and d.day is None


def test_unparseable_article_date_is_ignored() -> None:
    d = one("وصل أمس", "قبل يومين")
    assert d.relative == "yesterday" and ymd(d) == (None, None, None)


def test_weekdays() -> None:
    d = one("قال اليوم (الاثنين) إن", "2015-07-21 02:51:32")
    # The article date is the crawl time (Tuesday); the weekday says Monday.
    assert (d.text, d.weekday, ymd(d), d.relative) == ("اليوم (الاثنين)", 1, (2015, 7, 20), "today")
    d = one("وصل أمس الأحد", "2015-08-10")
    assert (d.text, d.weekday, ymd(d)) == ("أمس الأحد", 7, (2015, 8, 9))
    d = one("الثلاثاء 21 يوليو")
    assert (d.text, d.weekday, ymd(d)) == ("الثلاثاء 21 يوليو", 2, (None, 7, 21))
    d = one("وصل الخميس إلى جدة")
    assert (d.text, d.weekday, ymd(d), d.relative) == ("الخميس", 4, (None, None, None), None)
    assert d.to_dict()["weekday"] == 4


@pytest.mark.parametrize("text, span, part, month", [
    ("ونهاية جويلية، توافق", "نهاية جويلية", "end", 7),
    ("في مطلع يناير", "مطلع يناير", "start", 1),
    ("في بداية شهر مارس", "بداية شهر مارس", "start", 3),
    ("في منتصف شهر رمضان", "منتصف شهر رمضان", "mid", 9),
    ("في أواخر يونيو (حزيران) الماضي", "أواخر يونيو (حزيران) الماضي", "end", 6),
])
def test_parts(text: str, span: str, part: str, month: int) -> None:
    d = one(text)
    assert (d.text, d.part, d.month) == (span, part, month)


def test_part_of_relative_period() -> None:
    d = one("حتى نهاية العام الماضي", "2015-07-21")
    assert (d.text, d.part, d.year, d.relative) == ("نهاية العام الماضي", "end", 2014, "last-year")
    d = one("منذ بداية الأسبوع")
    assert (d.text, d.part, d.relative) == ("بداية الأسبوع", "start", "this-week")


@pytest.mark.parametrize("text", [
    "مارس الرياضة منذ صغره",           # the verb «practised»
    "من مارس الرياضة",
    "أب لثلاثة أطفال",                  # آب / أب «father»
    "في محافظة إب",                      # the Yemeni city
    "بدأ من الصفر",
    "قال رجب طيب أردوغان",              # a name
    "احتفل باليوم الوطني",              # not «today»
    "في اليوم التالي",
    "في ذلك اليوم",
    "40 مليون قارئ في اليوم",            # per day
    "قرأت صحيفة \"اليوم\"",              # the newspaper
    "سجلت 2000 حالة",                    # a count, not a year
    "في 2000 حالة",
    "ماي الأولى",
])
def test_not_dates(text: str) -> None:
    assert dates(text) == []


@pytest.mark.parametrize("text, month", [
    ("في مارس الماضي", 3), ("منذ مارس", 3), ("10 مارس", 3), ("شهر مارس", 3),
    ("في آب الماضي", 8), ("3 آب 2014", 8), ("في رمضان", 9), ("في 5 صفر", 2), ("خلال ماي", 5),
    ("في نيسان", 4),
])
def test_ambiguous_months_with_context(text: str, month: int) -> None:
    assert one(text).month == month


def test_diacritics_and_tatweel() -> None:
    d = one("وصل أمسِ إلى جدة", "2015-07-21")
    assert d.text == "أمسِ" and ymd(d) == (2015, 7, 20)
    d = one("في يـولـيو 2015")
    assert d.text == "يـولـيو 2015" and ymd(d) == (2015, 7, None)


@pytest.mark.parametrize("value, expected", [
    ("2015-07-21", dt.date(2015, 7, 21)),
    ("2015-07-21 02:51:32", dt.date(2015, 7, 21)),
    ("2015-07-21T02:51:32Z", dt.date(2015, 7, 21)),
    ("21/7/2015", dt.date(2015, 7, 21)),
    ("٢١/٧/٢٠١٥", dt.date(2015, 7, 21)),
    (dt.date(2015, 7, 21), dt.date(2015, 7, 21)),
    (dt.datetime(2015, 7, 21, 3, 0), dt.date(2015, 7, 21)),
    ("2015-02-30", None),
    ("yesterday", None),
    (20150721, None),
    (None, None),
])
def test_parse_article_date(value: Any, expected: dt.date | None) -> None:
    assert parse_article_date(value) == expected


def test_seed_dates(seed_text: str) -> None:
    doc = Pipeline(("segment", "tokenize", "dates")).analyze(seed_text, "seed")
    got = [(d.text, d.year, d.month, d.relative, d.part) for d in doc.dates]
    assert got == [
        ("نهاية جويلية", None, 7, None, "end"),
        ("هذا العام", None, None, "this-year", None),
        ("شهر جويلية الماضي", None, 7, "last", None),
        ("شهر جويلية من العام 2016", 2016, 7, None, None),
    ]


def test_round_trip_through_dict() -> None:
    d = one("قال اليوم (الاثنين) إن", "2015-07-21")
    assert DateExpr.from_dict(d.to_dict()) == d
    d = one("في 10 شوال 1436هـ")
    assert DateExpr.from_dict(d.to_dict()) == d


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩/-.() ،هـمًَُِ\n")
                                + ["يوليو", "شهر", "الماضي", "من العام", "نهاية", "اليوم", "(الأحد)", "أمس",
                                   "مارس", "آب", "ربيع الأول", "كانون الثاني", "في", "عام", "الحادي عشر من"]),
                max_size=40).map("".join)
       | st.text(max_size=60)
       | st.text(st.characters(exclude_categories=[]), max_size=40),
       st.sampled_from([None, "2015-07-21", "garbage", "2016-02-29"]))
def test_never_raises_and_offsets_hold(text: str, date: str | None) -> None:
    out = dates(text, date)
    for a, b in zip(out, out[1:]):
        assert a.end <= b.start


def test_ordinal_after_a_definite_noun_is_not_a_day() -> None:
    d = one("خلال النصف الثاني من شهر شعبان")
    assert (d.text, d.month, d.day) == ("شهر شعبان", 8, None)


@pytest.mark.parametrize("text", ["حنان الحامدي – عين اليوم\nاعتقلت الشرطة", "عين اليوم – عمان"])
def test_today_in_a_byline_is_a_newspaper(text: str) -> None:
    assert dates(text) == []


def test_school_fiscal_and_hijri_years_are_not_resolved_as_gregorian() -> None:
    d = one("بدأ التشغيل مطلع العام الهجري الجاري", "2015-07-21")
    assert (d.text, d.year, d.calendar, d.part) == ("مطلع العام", None, "hijri", "start")
    d = one("حتى نهاية العام المالي", "2015-07-21")
    assert (d.text, d.year, d.part) == ("نهاية العام", None, "end")


@pytest.mark.parametrize("text, expected", [
    ("في 27 أغسطس المقبل", (2015, 8, 27)),    # later this month
    ("في 7 أغسطس الماضي", (2014, 8, 7)),     # the article is from 1 August: last year's
    ("في أغسطس المقبل", (2016, 8, None)),
    ("في يوليو الماضي", (2015, 7, None)),
])
def test_named_month_relative_to_a_day_in_the_same_month(text: str, expected: tuple[int | None, ...]) -> None:
    assert ymd(one(text, "2015-08-01")) == expected


def test_relative_day_with_weekday() -> None:
    d = one("الافتتاح بعد غد (الخميس)، وقال", "2015-08-04")
    assert (d.text, d.relative, d.weekday, ymd(d)) == ("بعد غد (الخميس)", "day-after-tomorrow", 4, (2015, 8, 6))
    d = one("وصل أول من أمس الأحد", "2015-08-11")
    assert (d.relative, d.weekday, ymd(d)) == ("day-before-yesterday", 7, (2015, 8, 9))


def test_definite_day_number() -> None:
    d = one("حتى يوم الجمعة الـ7 من أغسطس")
    assert (d.text, d.weekday, d.month, d.day) == ("يوم الجمعة الـ7 من أغسطس", 5, 8, 7)
