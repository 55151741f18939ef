"""Readers for web formats: HTML pages, RSS/Atom feeds and WARC archives.

- HTML: trafilatura (Barbaresi, 2021; Apache-2.0) removes navigation, footers and other
  boilerplate and finds the title, the publication date and the canonical URL.
- RSS/Atom: feedparser; each entry is an article (its full content when the feed has one,
  else its summary), HTML markup turned into plain paragraphs.
- WARC / WARC.gz: warcio; every HTML response (status 200) is read like an HTML page, with
  the record's target URI as id and URL.

Importing this module registers the readers by suffix in :data:`khabar.io.readers.READERS`
(``khabar.io.readers`` imports it at its end). It is cheap: trafilatura, feedparser and
warcio are imported only when a file of their kind is read, never at ``import khabar``.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.io import readers as _readers
from khabar.io.readers import Article, BadArticle, Item

MAX_RECORD_BYTES = 20_000_000  # a WARC record larger than this is not a news page


def _need(module: str, extra: str = "ingest") -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise InputError(f"reading this file needs the Python package {module!r}",
                         f"pip install 'khabar[{extra}]'") from e


def _open_with(path: Path, module: str, whole: bool = True) -> tuple[Any, Any] | BadArticle:
    """(the reader library, the file's bytes or, with ``whole=False``, an open binary file),
    or the reason why the file cannot be read."""
    try:
        return _need(module), (path.read_bytes() if whole else open(path, "rb"))
    except InputError as e:
        return BadArticle(path.stem, f"{path}: {e}")
    except OSError as e:
        return BadArticle(path.stem, f"cannot read {path}: {e.strerror}")


# -- HTML -------------------------------------------------------------------------------
def html_article(data: bytes | str, doc_id: str, name: str, url: str | None = None) -> Item:
    """One article from an HTML page, boilerplate removed; title, date and URL kept."""
    try:
        trafilatura = _need("trafilatura")
    except InputError as e:
        return BadArticle(doc_id, f"{name}: {e}")
    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    # trafilatura >= 2 returns a Document object, 1.x a dict.
    fields: dict[str, Any] = (doc if isinstance(doc, dict) else doc.as_dict()) if doc is not None else {}
    text = (fields.get("text") or "").strip()
    if not text:
        return BadArticle(doc_id, f"{name}: no article text found in the HTML page")
    meta = {"title": fields.get("title"), "date": fields.get("date"), "url": fields.get("url") or url,
            "source": fields.get("sitename")}
    return Article(doc_id, text, {k: v for k, v in meta.items() if v})


def read_html(path: Path) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as e:
        yield BadArticle(path.stem, f"cannot read {path}: {e.strerror}")
        return
    yield html_article(data, path.stem, str(path))


# -- RSS / Atom -------------------------------------------------------------------------
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr)\s*>")
_BLANKS = re.compile(r"\n\s*\n+")


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry), one paragraph per block element."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    import lxml.html
    from lxml.etree import ParserError

    marked = _BLOCK_END.sub(lambda m: m.group() + "\n\n", fragment)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (ParserError, ValueError):
        return fragment.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines = [ln.strip() for ln in root.text_content().splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def read_feed(path: Path) -> Iterator[Item]:
    opened = _open_with(path, "feedparser")
    if isinstance(opened, BadArticle):
        yield opened
        return
    feedparser, data = opened
    feed = feedparser.parse(data)
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield BadArticle(path.stem, f"{path}: not an RSS/Atom feed or no entries{why}")
        return
    source = feed.feed.get("title")
    for i, e in enumerate(feed.entries, 1):
        doc_id = str(e.get("id") or e.get("link") or f"{path.stem}:{i}")
        contents = [c.get("value", "") for c in e.get("content") or []]
        body = max(contents, key=len) if contents else ""
        if len(body) < len(e.get("summary") or ""):
            body = e.get("summary") or ""
        text = fragment_text(body)
        if not text:
            yield BadArticle(doc_id, f"{path} entry {i}: no text (neither content nor summary)")
            continue
        parsed = e.get("published_parsed") or e.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", parsed) if parsed else (e.get("published") or e.get("updated"))
        meta = {"title": fragment_text(e.get("title") or "") or None, "date": date, "url": e.get("link"),
                "source": source}
        yield Article(doc_id, text, {k: v for k, v in meta.items() if v})


# -- WARC -------------------------------------------------------------------------------
def read_warc(path: Path) -> Iterator[Item]:
    # Streamed record by record: crawl files can be gigabytes.
    opened = _open_with(path, "warcio.archiveiterator", whole=False)
    if isinstance(opened, BadArticle):
        yield opened
        return
    archive, fh = opened
    exceptions = _need("warcio.exceptions")
    n_html = 0
    with fh:
        try:
            for rec in archive.ArchiveIterator(fh):
                if rec.rec_type not in ("response", "resource"):
                    continue
                if rec.rec_type == "response":
                    if rec.http_headers is None or rec.http_headers.get_statuscode() != "200":
                        continue
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = rec.rec_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                doc_id = url or rec.rec_headers.get_header("WARC-Record-ID") or f"{path.stem}:{n_html + 1}"
                data = rec.content_stream().read(MAX_RECORD_BYTES + 1)
                n_html += 1
                if len(data) > MAX_RECORD_BYTES:
                    yield BadArticle(doc_id, f"{path}: record {doc_id} is larger than {MAX_RECORD_BYTES} bytes")
                    continue
                yield html_article(data, doc_id, f"{path} ({doc_id})", url=url or None)
        except exceptions.ArchiveLoadFailed as e:
            yield BadArticle(path.stem, f"{path}: broken WARC file ({e})")
            return
    if n_html == 0:
        yield BadArticle(path.stem, f"{path}: no HTML responses in this WARC file")


def register() -> None:
    """Register the readers by suffix (idempotent)."""
    for suf in (".html", ".htm", ".xhtml"):
        _readers.READERS.setdefault(suf, read_html)
    for suf in (".rss", ".atom", ".xml"):
        _readers.READERS.setdefault(suf, read_feed)
    for suf in (".warc", ".warc.gz"):
        _readers.READERS.setdefault(suf, read_warc)


register()
