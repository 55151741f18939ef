"""Readers: paths, directories and JSON Lines into a stream of articles."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from khabar.io.readers import Article, BadArticle, iter_articles


def test_directory_reads_articles_not_stray_xml(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قال الوزير إن الاجتماع ناجح.", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset></urlset>", encoding="utf-8")
    items = list(iter_articles([str(tmp_path)]))
    assert [type(i) for i in items] == [Article]
    assert items[0].id == "a"


def test_jsonl_gz_with_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "x1", "text": "نص أول", "date": "2015-07-21"}, ensure_ascii=False) + "\n")
        f.write("{broken\n")
        f.write(json.dumps({"id": "x2", "text": "  "}) + "\n")
    items = list(iter_articles([str(p)]))
    assert isinstance(items[0], Article) and items[0].meta == {"date": "2015-07-21"}
    assert isinstance(items[1], BadArticle) and "broken JSON" in items[1].reason and ":2" in items[1].id
    assert isinstance(items[2], BadArticle) and "empty text" in items[2].reason


def test_missing_path_is_a_bad_article(tmp_path: Path) -> None:
    items = list(iter_articles([str(tmp_path / "nope.txt")]))
    assert isinstance(items[0], BadArticle) and "no such file" in items[0].reason
