"""Figures: values, kinds, units and spans on small examples, the seed, and arbitrary text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document, Figure
from khabar.extract.figures import extract_figures
from khabar.pipeline import Pipeline


def figs(text: str, **meta: object) -> list[Figure]:
    doc = Document("t", text, meta=dict(meta))
    out = extract_figures(doc)
    for f in out:
        assert doc.text[f.start:f.end] == f.text
    return out


def one(text: str) -> Figure:
    out = figs(text)
    assert len(out) == 1, out
    return out[0]


@pytest.mark.parametrize("text, span, kind, value, unit", [
    # digits: Western, Eastern Arabic, Persian; decimals; thousands separators
    ("قتل 50 شخصا", "50 شخصا", "count", 50, None),
    ("قتل ٥٠ شخصا", "٥٠ شخصا", "count", 50, None),
    ("قتل ۵۰ شخصا", "۵۰ شخصا", "count", 50, None),
    ("نما الاقتصاد ٣٫٥ في المئة", "٣٫٥ في المئة", "percent", 3.5, None),
    ("ارتفع 3.5%", "3.5%", "percent", 3.5, None),
    ("نحو 1,200 عامل", "1,200 عامل", "count", 1200, None),
    ("بلغ ١٬٢٠٠ دولار", "١٬٢٠٠ دولار", "money", 1200, "USD"),
    # scales after digits and words
    ("ما قيمته 50 مليون يورو", "50 مليون يورو", "money", 50_000_000, "EUR"),
    ("بقيمة 1.5 مليار دولار أمريكي", "1.5 مليار دولار أمريكي", "money", 1_500_000_000, "USD"),
    ("خصص ٥٠ ألف ريال سعودي", "٥٠ ألف ريال سعودي", "money", 50_000, "SAR"),
    ("غرامة 3 آلاف درهم", "3 آلاف درهم", "money", 3000, "AED"),
    ("بلغ الدين 9.7 ترليونات دولار", "9.7 ترليونات دولار", "money", 9_700_000_000_000, "USD"),
    # number words with gender/case forms and compounds
    ("على بيان من عشر نقاط تعهدا", "عشر نقاط", "count", 10, None),
    ("يقطنها ثلاثة ملايين نسمة", "ثلاثة ملايين نسمة", "count", 3_000_000, None),
    ("منذ خمسة وعشرين عاما", "خمسة وعشرين عاما", "count", 25, None),
    ("وصل خمسون مهاجرا", "خمسون مهاجرا", "count", 50, None),
    ("ضم أحد عشر لاعبا", "أحد عشر لاعبا", "count", 11, None),
    ("ضم اثنا عشر لاعبا", "اثنا عشر لاعبا", "count", 12, None),
    ("تبرع بمائتين وخمسين ألف جنيه إسترليني", "مائتين وخمسين ألف جنيه إسترليني", "money", 250_000, "GBP"),
    ("خصصت مئة وخمسين مليون دولار", "مئة وخمسين مليون دولار", "money", 150_000_000, "USD"),
    ("أنفقت ثلاث مئة مليون ريال قطري", "ثلاث مئة مليون ريال قطري", "money", 300_000_000, "QAR"),
    ("وصل العدد إلى مليون وخمسمائة ألف", "مليون وخمسمائة ألف", "number", 1_500_000, None),
    ("رصد ألف مليون دينار كويتي", "ألف مليون دينار كويتي", "money", 1_000_000_000, "KWD"),
    ("تكلفة مليونين", "مليونين", "number", 2_000_000, None),
    ("بلغت مليون ونصف", "مليون ونصف", "number", 1_500_000, None),
    ("قيمتها نصف مليون ريال", "نصف مليون ريال", "money", 500_000, "SAR"),
    ("ثلاثة ألاف", "ثلاثة ألاف", "number", 3000, None),
    # fractions
    ("تراجعت الأعداد إلى النصف مقارنة بالعام", "النصف", "ratio", 0.5, None),
    ("يمثلون الربع تقريبا", "الربع", "ratio", 0.25, None),
    ("ثلث السكان", "ثلث", "ratio", 0.333333, None),
    ("ثلاثة أرباع السكان", "ثلاثة أرباع", "ratio", 0.75, None),
    # percentages in all spellings
    ("بنسبة 15 بالمئة", "15 بالمئة", "percent", 15, None),
    ("بنسبة 15 بالمائة", "15 بالمائة", "percent", 15, None),
    ("بنسبة خمسين في المائة", "خمسين في المائة", "percent", 50, None),
    ("بنسبة ٪20", "٪20", "percent", 20, None),
    ("بنسبة 20 ٪", "20 ٪", "percent", 20, None),
    # currencies: symbols, adjectives, defaults, ambiguous words
    ("دفع $50 فقط", "$50", "money", 50, "USD"),
    ("دفع 40€ فقط", "40€", "money", 40, "EUR"),
    ("بسعر 30.20 ريالاً للسهم", "30.20 ريالاً", "money", 30.2, "SAR"),
    ("بلغت 10 ليرات تركية", "10 ليرات تركية", "money", 10, "TRY"),
    ("بلغت 10 ليرات فقط", "10 ليرات", "money", 10, None),
    ("تكلف 200 دينار", "200 دينار", "money", 200, None),
    ("دفع 500 جنيه مصري", "500 جنيه مصري", "money", 500, "EGP"),
    ("بلغ 100 مليار ين", "100 مليار ين", "money", 100_000_000_000, "JPY"),
    ("بلغ 7 آلاف روبية هندية", "7 آلاف روبية هندية", "money", 7000, "INR"),
    ("حوالي 50 مليونا من الدولارات", "50 مليونا من الدولارات", "money", 50_000_000, "USD"),
    # counts in parentheses (police statements)
    ("ضبط عدد (10) مسدسات", "(10) مسدسات", "count", 10, None),
    # plain numbers
    ("المادة 5 من النظام", "5", "number", 5, None),
])
def test_figure(text: str, span: str, kind: str, value: float, unit: str | None) -> None:
    f = one(text)
    assert (f.text, f.kind, f.unit) == (span, kind, unit)
    assert f.value == pytest.approx(value)


def test_integral_values_are_ints() -> None:
    f = one("ما قيمته 50 مليون يورو")
    assert f.value == 50_000_000 and isinstance(f.value, int)
    assert f.to_dict() == {"start": 9, "end": 22, "text": "50 مليون يورو", "kind": "money",
                           "value": 50_000_000, "unit": "EUR"}


def test_diacritics_and_tatweel_inside_words() -> None:
    f = one("خصصت خمسـون مليونَ دولارٍ للمشروع")
    assert f.text == "خمسـون مليونَ دولارٍ" and f.value == 50_000_000 and f.unit == "USD"


def test_clitic_is_left_outside() -> None:
    f = one("تبرع بخمسين ألف دولار")
    assert f.text == "خمسين ألف دولار" and f.value == 50_000
    f = one("دفع بـ٥٠ ألف درهم")
    assert f.text == "٥٠ ألف درهم"


def test_two_coordinated_numbers_are_not_added() -> None:
    out = figs("ثلاثة وأربعة")
    assert [(f.text, f.value) for f in out] == [("ثلاثة", 3), ("أربعة", 4)]


@pytest.mark.parametrize("text", [
    "لست أدري ماذا حدث",              # ل + ست is not «six»
    "جاء رجل واحد فقط",                # «واحد» alone is an adjective, not a figure
    "أحد الأشخاص",                     # «one of»
    "عشرات الآلاف من المتظاهرين",     # vague quantities
    "وصل إلى نصف النهائي",             # semi-final
    "عبروا الربع الخالي",              # the Empty Quarter
    "أرباح الربع الأول",                # a quarter of the year
    "رؤية 2030 للمملكة",                # a bare year is not a figure
    "أصيب بفيروس كوفيد-19",            # part of a name
    "عند الساعة 10:30",                 # a clock time
    "القضية رقم 47/2015",               # a case number
    "مرض السكري",
])
def test_not_figures(text: str) -> None:
    assert figs(text) == []


def test_years_in_dates_belong_to_dates() -> None:
    out = figs("في 21 يوليو 2015 قتل 50 شخصا خلال العام 2016")
    assert [f.text for f in out] == ["50 شخصا"]


def test_sorted_and_non_overlapping() -> None:
    out = figs("دفع 50 مليون يورو و30 مليون دولار وارتفع 5% و3 آلاف ريال ثم النصف")
    assert [f.kind for f in out] == ["money", "money", "percent", "money", "ratio"]
    for a, b in zip(out, out[1:]):
        assert a.end <= b.start


def test_seed_figures(seed_text: str) -> None:
    doc = Pipeline(("segment", "tokenize", "figures")).analyze(seed_text, "seed")
    got = {(f.text, f.kind, f.value, f.unit) for f in doc.figures}
    assert ("50 مليون يورو", "money", 50_000_000, "EUR") in got
    assert ("عشر نقاط", "count", 10, None) in got
    assert ("النصف", "ratio", 0.5, None) in got
    assert len(doc.figures) == 3  # the year 2016 belongs to a date, nothing else is a figure


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩۵٫٬.,%٪$€ /:-()ـًٌٍَُِّْ"
                                             "ومليونألفمئةمائةآلافعشرثلاثخمسونصفربعدولاريوروبالمئةفي\n")),
               max_size=80)
       | st.text(max_size=60)
       | st.text(st.characters(exclude_categories=[]), max_size=40))
def test_never_raises_and_offsets_hold(text: str) -> None:
    out = figs(text)
    for a, b in zip(out, out[1:]):
        assert a.end <= b.start


@pytest.mark.parametrize("text, span, value", [
    ("تجاوز ال20 مليون ريال", "20 مليون ريال", 20_000_000),
    ("وعلى متنها 4 آلاف و651 طن بضائع", "4 آلاف و651 طن", 4651),
    ("الدول الاثنتي عشرة الأعضاء", "الاثنتي عشرة", 12),
    ("بلغ مليون و200", "مليون و200", 1_000_200),
    ("بلغت 206 ملايين و400 ألف ريال عماني", "206 ملايين و400 ألف ريال عماني", 206_400_000),
    ("بما قيمته ملياران و819 مليونا و300 ألف ريال", "ملياران و819 مليونا و300 ألف ريال", 2_819_300_000),
])
def test_glued_article_and_digits_after_scale(text: str, span: str, value: int) -> None:
    f = one(text)
    assert (f.text, f.value) == (span, value)


def test_bracketed_numbers_count_only_after_adad() -> None:
    assert figs("(7) دانيال كريسيليس")[0].kind == "number"       # a footnote
    assert figs("جنيف 1 وجنيف 2")[0].kind == "number"             # «1 X» is not a count
    assert [f.text for f in figs("جرف 50 سيارة و20 ممن كانوا")] == ["50 سيارة", "20"]


@pytest.mark.parametrize("text", [
    "الأحد" + " " * 20000 + "x",          # whitespace runs next to optional groups
    "يوليو" + " " * 20000 + "x",
    "واحد " * 20000,                       # a long run of number words that never forms a figure
    "قال إن 50 مليون يورو وصلت في 21 يوليو 2015 أمس. " * 5000,   # many figures and many dates
])
def test_pathological_input_stays_linear(text: str) -> None:
    import time

    from khabar.extract.dates import extract_dates

    t = time.perf_counter()
    doc = Document("t", text)
    extract_dates(doc)
    extract_figures(doc)
    # Linear code takes well under a second here; the quadratic versions took 30 s and more.
    assert time.perf_counter() - t < 5.0


@pytest.mark.parametrize("text, expected", [
    ("8 ـ تعيين المهندس سعد", []),                          # a list number, tatweel as a dash
    ("الدوري في معقل وست بروميتش", []),                     # «West», not «and six»
    ("بالمرتبتين الخامسة عشرة والرابعة عشرة", []),          # ordinals
    ("بالمرتبة الـ14 بوزارة النقل", [("14", "number")]),    # a definite number is an ordinal, not a count
    ("و ست سنوات", [("ست سنوات", "count")]),
])
def test_ordinals_lists_and_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.kind) for f in figs(text)] == expected


@pytest.mark.parametrize("text, span, value", [
    ("ارتفع الإنتاج إلى 333ر10 مليون برميل يوميا", "333ر10 مليون برميل", 10_333_000),
    ("عالجت 224ر2 مليون برميل", "224ر2 مليون برميل", 2_224_000),
    ("استقبل المطار 37.960.200 مسافر", "37.960.200 مسافر", 37_960_200),
    ("تصل أبعادها الى25 مترا", "25 مترا", 25),
    ("أكثر من٦٠٠ شاب", "٦٠٠ شاب", 600),
])
def test_press_number_formats(text: str, span: str, value: int) -> None:
    f = one(text)
    assert (f.text, f.value) == (span, value)
