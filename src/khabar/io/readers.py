"""Turn paths into a stream of articles, never stopping at a bad one.

Each item is an :class:`Article` or a :class:`BadArticle` (which carries the reason);
the caller decides what to do with the bad ones. Everything streams: a 30k-line
JSONL file is never held in memory at once.
"""
from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.text.decode import decode_bytes

META_KEYS = ("title", "date", "url", "source")


@dataclass(slots=True)
class Article:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    warning: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, **{k: v for k, v in self.meta.items() if v is not None}}


@dataclass(slots=True)
class BadArticle:
    id: str
    reason: str


Item = Article | BadArticle
# Extra readers (html, feeds, warc) register here by suffix; see khabar.io.web_readers.
READERS: dict[str, Callable[[Path], Iterator[Item]]] = {}
DIR_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm")


def _suffix(p: Path) -> str:
    name = p.name.lower()
    for s in (".jsonl.gz", ".json.gz", ".warc.gz"):
        if name.endswith(s):
            return s
    return p.suffix.lower()


def read_txt(path: Path) -> Iterator[Item]:
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as e:
        yield BadArticle(doc_id, f"cannot read {path}: {e.strerror}")
        return
    yield from _from_bytes(data, doc_id, str(path))


def _from_bytes(data: bytes, doc_id: str, name: str) -> Iterator[Item]:
    try:
        dec = decode_bytes(data, name)
    except InputError as e:
        yield BadArticle(doc_id, str(e))
        return
    if not dec.text.strip():
        yield BadArticle(doc_id, f"{name}: empty text")
        return
    yield Article(doc_id, dec.text, {}, dec.warning)


def read_jsonl(path: Path) -> Iterator[Item]:
    opener: Callable[..., Any] = gzip.open if _suffix(path) in (".jsonl.gz", ".json.gz") else open
    try:
        fh = opener(path, "rb")
    except OSError as e:
        yield BadArticle(path.stem, f"cannot read {path}: {e.strerror}")
        return
    with fh:
        yield from read_jsonl_lines(fh, str(path))


def read_jsonl_lines(lines: Iterable[bytes], name: str) -> Iterator[Item]:
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            line = raw.decode("utf-8-sig") if lineno == 1 else raw.decode("utf-8")
        except UnicodeDecodeError:
            yield BadArticle(where, f"{where}: line is not valid UTF-8")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield BadArticle(where, f"{where}: broken JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield BadArticle(where, f"{where}: expected a JSON object, got {type(obj).__name__}")
            continue
        doc_id = str(obj["id"]) if obj.get("id") is not None else where
        text = obj.get("text")
        if not isinstance(text, str):
            yield BadArticle(doc_id, f"{where} (id {doc_id}): missing or non-string \"text\"")
            continue
        if not text.strip():
            yield BadArticle(doc_id, f"{where} (id {doc_id}): empty text")
            continue
        if b"\\u" in raw and _has_lone_surrogate(text):
            yield BadArticle(doc_id, f"{where} (id {doc_id}): text holds an unpaired surrogate escape "
                                     "(\\ud800-\\udfff), which is not a character (fix the producer of this file)")
            continue
        yield Article(doc_id, text, {k: obj.get(k) for k in META_KEYS if obj.get(k) is not None})


def _has_lone_surrogate(text: str) -> bool:
    # JSON can escape half of a UTF-16 pair ("\\ud800"); such a string cannot be written
    # as UTF-8 and breaks C extensions downstream. Only checked when the line has escapes.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_stdin() -> Iterator[Item]:
    data = sys.stdin.buffer.read()
    yield from _from_bytes(data, "stdin", "standard input")


def read_path(path: Path) -> Iterator[Item]:
    if not path.exists():
        yield BadArticle(path.name, f"{path}: no such file or directory")
        return
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in _dir_suffixes())
        for f in files:
            yield from read_path(f)
        return
    suf = _suffix(path)
    if suf in (".jsonl", ".jsonl.gz", ".ndjson"):
        yield from read_jsonl(path)
    elif suf in READERS:
        yield from READERS[suf](path)
    else:
        yield from read_txt(path)


# Registered for explicit paths only: a directory's stray .xml files (sitemaps, configs) are not feeds.
NOT_IN_DIRECTORIES = (".xml",)


def _dir_suffixes() -> tuple[str, ...]:
    return DIR_SUFFIXES + tuple(s for s in READERS if s not in DIR_SUFFIXES and s not in NOT_IN_DIRECTORIES)


def iter_articles(paths: Iterable[str]) -> Iterator[Item]:
    """Articles from every path in order; ``-`` (or no path) reads standard input."""
    plist = list(paths) or ["-"]
    for p in plist:
        if p == "-":
            yield from read_stdin()
        else:
            yield from read_path(Path(p))


def count_articles(paths: Iterable[str]) -> int | None:
    """A cheap total for progress bars; None when unknown (standard input, feeds).

    JSONL lines are counted by scanning for newlines in 1 MiB blocks (no line
    splitting, no JSON parsing), so a 100 MB file takes a fraction of a second;
    blank lines are counted too, which only makes the ETA slightly pessimistic.
    """
    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        if path.is_dir():
            files = [f for f in path.rglob("*") if f.is_file() and _suffix(f) in _dir_suffixes()]
        else:
            files = [path]
        for f in files:
            n = _count_file(f)
            if n is None:
                return None
            total += n
    return total


def _count_file(path: Path) -> int | None:
    suf = _suffix(path)
    if suf in (".jsonl", ".ndjson", ".jsonl.gz", ".json.gz"):
        opener: Callable[..., Any] = gzip.open if suf.endswith(".gz") else open
        n = 0
        last = b"\n"
        try:
            with opener(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    n += block.count(b"\n")
                    last = block[-1:]
        except (OSError, EOFError):
            return 1  # unreadable or truncated: the reader reports it; count it once
        return n + (last != b"\n")
    if suf in (".txt", ".html", ".htm") or suf not in READERS:
        return 1
    return None  # a registered reader (feeds, WARC) may hold any number of articles


# Registers the HTML, RSS/Atom and WARC readers in READERS (cheap: their libraries load lazily).
from khabar.io import web_readers as _web_readers  # noqa: E402,F401
