"""The learned speaker ranker: loading, choosing, and its place in the quotation layer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import khabar
from khabar.extract import speaker_ranker
from khabar.extract.speaker_ranker import MODEL_PATH, Option, SpeakerRanker


def test_the_shipped_model_loads_with_weights_and_provenance() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["version"].startswith("speaker-ranker")
    assert data["data"]["quotations"] > 1000
    ranker = SpeakerRanker.load()
    assert ranker is not None and len(ranker.weights) > 50
    # the rules' own choice and the noun phrase after the cue are evidence for a candidate
    assert ranker.weights["from=rule"] > 0 and ranker.weights["from=np"] > 0


def test_a_missing_model_file_leaves_the_rules_choice(tmp_path: Path) -> None:
    assert SpeakerRanker.load(tmp_path / "none.json") is None


def test_the_switch_turns_the_ranker_off(monkeypatch: pytest.MonkeyPatch) -> None:
    speaker_ranker.default_ranker.cache_clear()
    monkeypatch.setenv("KHABAR_SPEAKER_RANKER", "off")
    try:
        assert speaker_ranker.default_ranker() is None
    finally:
        speaker_ranker.default_ranker.cache_clear()


def test_choose_takes_the_highest_score_and_gives_its_probability() -> None:
    r = SpeakerRanker({"a": 2.0, "b": -1.0})
    opts = [Option(None, {"b": 1.0}), Option(None, {"a": 1.0}), Option(None, {})]
    best, p = r.choose(opts)
    assert best is opts[1]
    assert 0.5 < p < 1.0


def _speakers(text: str) -> list[str | None]:
    return [q.speaker.name if q.speaker else None for q in khabar.analyze(text).quotes]


def test_a_regional_title_before_the_name_yields_the_name() -> None:
    # «حافظ» is also a first name; the apposition after the comma is the minister
    sp = _speakers("وقال وزير العدل حافظ الأختام، بلقاسم زغماتي، إن العدالة ستأخذ مجراها في كل القضايا.")
    assert sp == ["بلقاسم زغماتي"]


def test_the_same_source_is_the_source_quoted_before() -> None:
    sp = _speakers("وقال مصدر أمني إن الوضع تحت السيطرة. وأوضح ذات المصدر أن المستشفى استقبل 20 حالة.")
    assert len(sp) == 2 and sp[1] is not None and not sp[1].startswith("ذات")
    assert sp[0] == sp[1]
