"""The article text as HTML: entities coloured by type, quotes highlighted with their speaker.

Everything taken from the article (text, names, titles, URLs) is untrusted and goes through
:func:`markupsafe.escape`; only the tags built here are markup. Spans come from the stored
analysis; one whose offsets do not point at its text is ignored rather than drawn in the
wrong place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as urlquote, urlsplit

from markupsafe import Markup, escape

ENTITY_TYPES = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان", "GPE": "كيان سياسي", "MISC": "أخرى", "ANON": "مجهول"}


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    type: str
    name: str
    href: str | None


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int
    end: int
    ord: int
    speaker: str | None
    kind: str


def _valid(text: str, d: dict[str, Any]) -> bool:
    try:
        s, e = int(d["start"]), int(d["end"])
        return 0 <= s < e <= len(text) and text[s:e] == d.get("text", text[s:e])
    except (KeyError, TypeError, ValueError):
        return False


def _no_overlap(spans: list[Any]) -> list[Any]:
    """Keep spans in text order, dropping any that overlaps one already kept (longest first wins ties)."""
    out: list[Any] = []
    for sp in sorted(spans, key=lambda x: (x.start, -(x.end - x.start))):
        if not out or sp.start >= out[-1].end:
            out.append(sp)
    return out


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (a stored ``javascript:`` URL is never a link)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def article_path(article_id: str) -> str:
    return "/articles/" + urlquote(article_id, safe="")


def render_article(analysis: dict[str, Any], links: dict[str, int]) -> Markup:
    """Paragraphs of the article with ``<a class="ent ent-TYPE">`` mentions and
    ``<span class="quote" id="qN">`` quotes (speaker in ``data-speaker`` and ``title``)."""
    text: str = analysis.get("text") or ""
    mentions = _no_overlap([
        _Mention(int(m["start"]), int(m["end"]), str(e.get("type") or "MISC"), str(e.get("name") or ""),
                 f"/entities/{links[str(e.get('id'))]}" if str(e.get("id")) in links else None)
        for e in analysis.get("entities") or [] for m in e.get("mentions") or [] if _valid(text, m)])
    quotes = _no_overlap([
        _Quote(int(q["start"]), int(q["end"]), i, (q.get("speaker") or {}).get("name"), str(q.get("kind") or ""))
        for i, q in enumerate(analysis.get("quotes") or []) if _valid(text, q)])
    paras = [(int(p["start"]), int(p["end"]), bool(p.get("heading")))
             for p in analysis.get("paragraphs") or [] if 0 <= int(p["start"]) < int(p["end"]) <= len(text)]
    if not paras:
        paras, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                paras.append((pos, pos + len(line), False))
            pos += len(line) + 1
    out: list[str] = []
    for ps, pe, heading in paras:
        tag = "h3" if heading else "p"
        out.append(f'<{tag} data-start="{ps}">')
        pos = ps
        for q in quotes:
            s, e = max(q.start, ps), min(q.end, pe)
            if e <= s:
                continue
            out.append(_mentions(text, pos, s, mentions))
            first = s == q.start
            who = q.speaker or "متحدث غير معروف"
            attrs = (f' id="q{q.ord}"' if first else "") + (
                f' class="quote quote-{escape(q.kind)}" tabindex="0" data-q="{q.ord}"'
                f' data-speaker="{escape(who)}" title="{escape("المتحدث: " + who)}"')
            out.append(f"<span{attrs}>{_mentions(text, s, e, mentions)}</span>")
            pos = e
        out.append(_mentions(text, pos, pe, mentions))
        out.append(f"</{tag}>")
    return Markup("".join(out))


def _mentions(text: str, a: int, b: int, mentions: list[_Mention]) -> str:
    """Escaped ``text[a:b]`` with the mentions inside it (clipped to the range) as links."""
    out: list[str] = []
    pos = a
    for m in mentions:
        s, e = max(m.start, a), min(m.end, b)
        if e <= s or s < pos:
            continue
        out.append(str(escape(text[pos:s])))
        label = escape(f"{m.name} ({ENTITY_TYPES.get(m.type, m.type)})")
        cls = f"ent ent-{escape(m.type)}"
        if m.href:
            out.append(f'<a class="{cls}" href="{m.href}" title="{label}">{escape(text[s:e])}</a>')
        else:
            out.append(f'<span class="{cls}" title="{label}">{escape(text[s:e])}</span>')
        pos = e
    out.append(str(escape(text[pos:b])))
    return "".join(out)
