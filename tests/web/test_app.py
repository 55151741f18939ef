"""The JSON API (CONTRACT.md) and the pages, through FastAPI's TestClient."""
from __future__ import annotations

import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.store.conftest import load_analyses

pytest.importorskip("fastapi", reason="the web layer needs fastapi (pip install 'khabar[serve]')")
pytest.importorskip("httpx", reason="TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar.errors import StoreError  # noqa: E402
from khabar.web.app import create_app  # noqa: E402
from tests.web.conftest import EVIL  # noqa: E402


@pytest.fixture()
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db))


class Tags(HTMLParser):
    """Every start tag with its attributes, to check what the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def test_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="khabar ingest"):
        create_app(tmp_path / "none.db")


def test_api_article_is_the_stored_analysis(client: TestClient) -> None:
    r = client.get("/api/articles/seed")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == load_analyses()[0]


def test_api_article_id_with_slashes(client: TestClient) -> None:
    aid = "https://news.example/2017/08/a?b=1#c"
    assert client.get("/api/articles/" + quote(aid, safe="")).json()["id"] == aid
    assert client.get("/articles/" + quote(aid, safe="")).status_code == 200


def test_api_search(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "انجيلا ميركل"})
    body = r.json()
    assert r.status_code == 200 and {h["id"] for h in body["hits"]} == {"seed", "berlin-1"}
    seed = next(h for h in body["hits"] if h["id"] == "seed")
    text = load_analyses()[0]["text"]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in seed["matches"])
    assert body["total"] == 2 and body["limit"] == 20 and body["offset"] == 0


def test_api_quotes_by_speaker_and_pagination(client: TestClient) -> None:
    everything = client.get("/api/quotes", params={"speaker": "ميركل", "limit": 100}).json()
    assert everything["total"] == 5
    pages = [client.get("/api/quotes", params={"speaker": "ميركل", "limit": 2, "offset": o}).json()["hits"]
             for o in (0, 2, 4)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [q["id"] for p in pages for q in p] == [q["id"] for q in everything["hits"]]
    q = everything["hits"][0]
    assert q["link"] == f"/articles/{q['article']}#q{q['ord']}"


def test_api_entities(client: TestClient) -> None:
    body = client.get("/api/entities", params={"q": "انجيلا"}).json()
    assert [e["name"] for e in body["hits"]] == ["أنجيلا ميركل"]
    e = client.get(f"/api/entities/{body['hits'][0]['id']}").json()
    assert e["quote_list"]["total"] == 5
    assert client.get("/api/entities", params={"type": "PER", "limit": 100}).json()["total"] >= 6


@pytest.mark.parametrize("url,status", [
    ("/api/articles/nope", 404), ("/api/entities/999999", 404), ("/api/search", 400),
    ("/api/search?q=%22%20*", 400), ("/api/search?q=x&limit=0", 400), ("/api/search?q=x&limit=101", 400),
    ("/api/search?q=x&offset=-1", 400), ("/api/search?q=" + "ب" * 400, 400), ("/api/entities?type=XXX", 400),
    ("/api/quotes?speaker=%20", 400), ("/api/nowhere", 404),
])
def test_api_errors_are_json(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert "error" in r.json() and "Traceback" not in r.text


@pytest.mark.parametrize("url,status", [
    ("/articles/nope", 404), ("/articles/" + quote("<script>alert(1)</script>", safe=""), 404),
    ("/entities/abc", 404), ("/entities/99999999", 404), ("/search?q=%22", 400),
    ("/search?q=x&limit=5000", 400), ("/nowhere/at/all", 404), ("/quotes?limit=-3", 400),
])
def test_pages_errors_are_arabic_pages(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert '<html dir="rtl" lang="ar">' in r.text and "Traceback" not in r.text
    assert "<script>alert" not in r.text


def test_openapi_lists_the_contract_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/search", "/api/quotes", "/api/articles/{article_id}", "/api/entities"):
        assert p in paths, p


def test_article_page_rtl_highlights_and_twin(client: TestClient) -> None:
    r = client.get("/articles/seed")
    assert r.status_code == 200
    html = r.text
    assert html.startswith("<!doctype html>") and '<html dir="rtl" lang="ar">' in html
    tags = tags_of(html)
    quotes = [a for t, a in tags if "quote" in (a.get("class") or "").split() and a.get("data-q") is not None]
    assert {q["data-q"] for q in quotes} == {str(i) for i in range(5)}
    assert {q["id"] for q in quotes if q.get("id")} == {f"q{i}" for i in range(5)}
    assert any(q["data-speaker"] == "أنجيلا ميركل" for q in quotes)
    ents = [a for t, a in tags if t == "a" and "ent" in (a.get("class") or "").split()]
    assert any("ent-PER" in a["class"] for a in ents) and any("ent-LOC" in a["class"] for a in ents)
    assert all(a["href"].startswith("/entities/") for a in ents)
    assert ("link", {"rel": "alternate", "type": "application/json", "href": "/api/articles/seed"}) in tags
    assert "Content-Security-Policy" in r.headers and "script-src" not in r.headers["Content-Security-Policy"]


def test_speaker_page_links_to_exact_passages(client: TestClient) -> None:
    eid = client.get("/api/entities", params={"q": "ميركل"}).json()["hits"][0]["id"]
    r = client.get(f"/entities/{eid}")
    assert r.status_code == 200
    links = [a["href"] for t, a in tags_of(r.text) if t == "a" and "passage" in (a.get("class") or "")]
    assert len(links) == 5 and "/articles/seed#q2" in links and "/articles/berlin-1#q0" in links
    # each link's anchor exists on the article page and holds that quote's text
    art = client.get("/articles/seed").text
    assert 'id="q2"' in art


def test_search_and_other_pages(client: TestClient) -> None:
    r = client.get("/search", params={"q": "انجيلا ميركل"})
    assert r.status_code == 200 and "<mark>أنجيلا</mark> <mark>ميركل</mark>" in r.text and 'href="/articles/seed"' in r.text
    assert client.get("/search").status_code == 200
    for url in ("/", "/entities", "/entities?q=ميركل", "/quotes", "/quotes?speaker=ميركل"):
        page = client.get(url)
        assert page.status_code == 200 and '<html dir="rtl" lang="ar">' in page.text, url
        twin = [a["href"] for t, a in tags_of(page.text) if t == "link" and a.get("rel") == "alternate"]
        assert twin and client.get(twin[0]).status_code == 200, url


def test_untrusted_text_is_inert(client: TestClient) -> None:
    html = client.get("/articles/evil").text
    tags = tags_of(html)
    assert not [t for t, _ in tags if t == "script"]
    for t, attrs in tags:
        assert not [k for k in attrs if k.startswith("on")], (t, attrs)
        for k in ("href", "src", "action"):
            assert not (attrs.get(k) or "").lower().startswith("javascript:"), (t, attrs)
    assert "&lt;script&gt;" in html  # shown as text, not dropped
    api = client.get("/api/search?q=الهجوم")  # JSON carries the text as data, never as a page
    assert api.headers["content-type"].startswith("application/json") and api.headers["x-content-type-options"] == "nosniff"
    for url in ("/search?q=الهجوم", "/quotes", "/entities"):
        body = client.get(url).text
        assert "<script>window" not in body, url
        assert not [k for _, a in tags_of(body) for k in a if k.startswith("on")], url


def test_slow_query_is_stopped_with_503(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query running past the time limit is interrupted by SQLite: a 503, never a hung server."""
    from khabar.store import queries as Q
    from khabar.store.db import guard

    def endless(conn: object, *a: object, **k: object) -> dict:
        with guard(conn):  # type: ignore[arg-type]
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"  # type: ignore[attr-defined]
                         " SELECT count(*) FROM n").fetchone()
        return {}

    monkeypatch.setattr(Q, "search", endless)
    client = TestClient(create_app(web_db, time_limit=0.1))
    api = client.get("/api/search", params={"q": "ميركل"})
    assert api.status_code == 503 and "too long" in api.json()["error"]
    page = client.get("/search", params={"q": "ميركل"})
    assert page.status_code == 503 and '<html dir="rtl" lang="ar">' in page.text
    assert client.get("/api/articles/seed").status_code == 200  # the server goes on
