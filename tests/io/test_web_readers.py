"""HTML, RSS/Atom and WARC readers: boilerplate removed, metadata kept, bad files reported."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.io.readers import READERS, Article, BadArticle, iter_articles

BODY = ("<p>أعربت المستشارة الألمانية أنجيلا ميركل عن رغبتها في زيادة التعاون مع ليبيا لوقف تدفق المهاجرين"
        " من سواحلها الشمالية إلى أوروبا، وذلك عقب لقائها مسؤولين من منظمة الهجرة الدولية.</p>"
        "<p>وقالت إن «جهود تحسين أوضاع المهاجرين في ليبيا لا يجب أن تفشل بسبب عدم توفر التمويل اللازم».</p>")
PAGE = f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>ميركل تعد بدعم ليبيا | أخبار اليوم</title>
<link rel="canonical" href="https://news.example/2017/08/merkel-libya">
<meta property="article:published_time" content="2017-08-29T10:00:00Z"></head>
<body><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li><li><a href="/eco">اقتصاد</a></li></ul></nav>
<article><h1>ميركل تعد بدعم ليبيا</h1>{BODY}</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/1">خبر آخر لا علاقة له</a></li></ul></aside>
<footer>جميع الحقوق محفوظة لموقع أخبار اليوم 2017</footer></body></html>"""

pytest.importorskip("trafilatura", reason="the HTML reader needs trafilatura (pip install 'khabar[ingest]')")


def _one(path: Path) -> list:
    return list(iter_articles([str(path)]))


def test_registered_by_suffix_without_importing_libraries() -> None:
    for suf in (".html", ".htm", ".rss", ".atom", ".xml", ".warc", ".warc.gz"):
        assert suf in READERS, suf
    code = ("import sys, khabar, khabar.io.readers; "
            "bad = [m for m in ('trafilatura', 'feedparser', 'warcio') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_html_boilerplate_removed_and_metadata_kept(tmp_path: Path) -> None:
    p = tmp_path / "merkel.html"
    p.write_text(PAGE, encoding="utf-8")
    [a] = _one(p)
    assert isinstance(a, Article)
    assert a.id == "merkel"
    assert "أنجيلا ميركل" in a.text and "التمويل اللازم" in a.text
    assert "الرئيسية" not in a.text and "جميع الحقوق" not in a.text and "الأكثر قراءة" not in a.text
    assert a.meta["title"] == "ميركل تعد بدعم ليبيا"
    assert a.meta["date"] == "2017-08-29"
    assert a.meta["url"] == "https://news.example/2017/08/merkel-libya"


def test_html_in_directory_and_empty_page_reported(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.htm").write_text("<html><head><title>x</title></head><body><script>var a;</script></body></html>",
                                     encoding="utf-8")
    items = list(iter_articles([str(tmp_path)]))
    assert [type(i) for i in items] == [Article, BadArticle]
    assert "no article text" in items[1].reason


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار اليوم</title><link>https://news.example/</link>
<item><title>ميركل تعد بدعم ليبيا</title><link>https://news.example/1</link><guid>news-1</guid>
<pubDate>Tue, 29 Aug 2017 10:00:00 GMT</pubDate><description><![CDATA[{BODY}<script>alert(1)</script>]]></description></item>
<item><title>خبر بلا نص</title><link>https://news.example/2</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة</title><id>urn:x</id><updated>2017-08-30T00:00:00Z</updated>
<entry><title>مينيتي: النتائج مباشرة</title><id>urn:x:2</id><link href="https://agency.example/2"/>
<updated>2017-08-30T08:00:00Z</updated>
<content type="html">&lt;p&gt;وعلق وزير الداخلية الإيطالي ماركو مينيتي قائلاً إن «ذلك نتيجة مباشرة».&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries(tmp_path: Path) -> None:
    p = tmp_path / "feed.rss"
    p.write_text(RSS, encoding="utf-8")
    first, second = _one(p)
    assert isinstance(first, Article) and first.id == "news-1"
    assert first.meta == {"title": "ميركل تعد بدعم ليبيا", "date": "2017-08-29", "url": "https://news.example/1",
                          "source": "أخبار اليوم"}
    assert "<p>" not in first.text and "alert" not in first.text
    assert first.text.count("\n\n") == 1  # two paragraphs kept apart
    assert isinstance(second, BadArticle)


def test_atom_entry(tmp_path: Path) -> None:
    p = tmp_path / "feed.atom"
    p.write_text(ATOM, encoding="utf-8")
    [a] = _one(p)
    assert a.id == "urn:x:2" and a.meta["date"] == "2017-08-30"
    assert a.text == "وعلق وزير الداخلية الإيطالي ماركو مينيتي قائلاً إن «ذلك نتيجة مباشرة»."


def test_not_a_feed(tmp_path: Path) -> None:
    p = tmp_path / "notes.xml"
    p.write_text("<?xml version='1.0'?><notes><n>x</n></notes>", encoding="utf-8")
    [bad] = _one(p)
    assert isinstance(bad, BadArticle) and "feed" in bad.reason


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc(tmp_path: Path, name: str, gz: bool) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    p = tmp_path / name
    with open(p, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for uri, status, ctype, body in [
            ("https://news.example/2017/08/merkel-libya", "200 OK", "text/html; charset=utf-8", PAGE.encode()),
            ("https://news.example/style.css", "200 OK", "text/css", b"body{}"),
            ("https://news.example/missing", "404 Not Found", "text/html", b"<html>404</html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    assert warcio
    [a] = _one(p)
    assert isinstance(a, Article)
    assert a.id == "https://news.example/2017/08/merkel-libya"
    assert a.meta["url"] == a.id and "أنجيلا ميركل" in a.text and "الرئيسية" not in a.text


def test_broken_warc(tmp_path: Path) -> None:
    p = tmp_path / "broken.warc"
    p.write_bytes(b"this is not a warc file\n" * 3)
    items = _one(p)
    assert items and all(isinstance(i, BadArticle) for i in items)
