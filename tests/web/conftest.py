from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.store.conftest import load_analyses

EVIL = '<script>window.__pwned = 1; alert(1)</script>" onmouseover="window.__pwned = 2" x="'


def evil_analysis() -> dict[str, Any]:
    """An article whose text, title, URL, entity and speaker names are hostile HTML."""
    text = f"قال المسؤول {EVIL} إن «الهجوم {EVIL} فشل» في المدينة."
    q0 = text.index("الهجوم")
    q1 = text.index("» في")
    ent = text.index("المسؤول")
    return {
        "id": "evil", "text": text, "title": f"عنوان {EVIL}", "url": "javascript:window.__pwned=3",
        "source": EVIL, "date": EVIL, "paragraphs": [], "sentences": [],
        "entities": [{"id": "e1", "name": f"المسؤول {EVIL}", "type": 'PER" onmouseover="x', "titles": [EVIL],
                      "mentions": [{"start": ent, "end": ent + 7, "text": "المسؤول"}]}],
        "quotes": [{"start": q0, "end": q1, "text": text[q0:q1], "kind": 'direct" onfocus="x', "cue": None,
                    "speaker": {"name": EVIL, "entity": "e1", "type": "PER", "mention": None}, "confidence": 0.5}],
        "figures": [], "dates": [], "events": [],
    }


@pytest.fixture()
def web_db(tmp_path: Path) -> Path:
    from khabar.store.ingest import Writer

    db = tmp_path / "kb.db"
    with Writer(db) as w:
        for a in load_analyses():
            w.add(a)
        w.add(evil_analysis())
        url_id = copy.deepcopy(load_analyses()[2])
        url_id["id"] = "https://news.example/2017/08/a?b=1#c"
        url_id["text"] += " وأضاف أن الزيارة ستتكرر."
        url_id["quotes"], url_id["entities"] = [], []
        w.add(url_id)
    return db
