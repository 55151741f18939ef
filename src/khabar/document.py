"""The Document: original text (never changed) plus typed standoff layers.

Every span-like object stores ``start``/``end`` character offsets (Python string
indices) into ``Document.text``; ``text[start:end] == span.text`` always holds.
Serialization follows ``CONTRACT.md``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    """A stretch of the original text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(int(d["start"]), int(d["end"]), str(d["text"]))


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    heading: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "heading": self.heading}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Token:
    """A surface token. ``stem_start``/``stem_end`` delimit the word after
    proclitics (و ف ب ل ك ال س) and before pronoun suffixes, so that entity
    spans can start after the clitic."""

    start: int
    end: int
    text: str
    stem_start: int
    stem_end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str  # PER | ORG | LOC | MISC
    titles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "titles": list(self.titles),
                "mentions": [m.to_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Entity":
        return cls(d["id"], d["name"], d["type"], list(d.get("titles") or []),
                   [Span.from_dict(m) for m in d.get("mentions") or []])


@dataclass(slots=True)
class Speaker:
    name: str | None
    type: str  # PER | ORG | GPE | ANON
    entity: str | None = None
    mention: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "entity": self.entity, "type": self.type,
                "mention": self.mention.to_dict() if self.mention else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        m = d.get("mention")
        return cls(d.get("name"), d.get("type") or "ANON", d.get("entity"),
                   Span.from_dict(m) if m else None)


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # direct | indirect
    cue: Span | None
    speaker: Speaker | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "cue": self.cue.to_dict() if self.cue else None,
                "speaker": self.speaker.to_dict() if self.speaker else None,
                "confidence": round(self.confidence, 3)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        return cls(int(d["start"]), int(d["end"]), d["text"], d["kind"],
                   Span.from_dict(d["cue"]) if d.get("cue") else None,
                   Speaker.from_dict(d["speaker"]) if d.get("speaker") else None,
                   float(d.get("confidence", 0.0)))


@dataclass(slots=True)
class Figure:
    start: int
    end: int
    text: str
    kind: str  # money | percent | count | ratio | number
    value: float | int | None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text,
                             "kind": self.kind, "value": self.value}
        if self.unit is not None:
            d["unit"] = self.unit
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        return cls(int(d["start"]), int(d["end"]), d["text"], d["kind"], d.get("value"), d.get("unit"))


@dataclass(slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    calendar: str = "gregorian"  # gregorian | hijri
    relative: str | None = None  # e.g. "last", "this-year", "yesterday"
    part: str | None = None  # "start" | "mid" | "end" of the period
    weekday: int | None = None  # ISO weekday (1 = Monday … 7 = Sunday) when the expression names one

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text,
                             "year": self.year, "month": self.month, "day": self.day}
        if self.calendar != "gregorian":
            d["calendar"] = self.calendar
        if self.relative:
            d["relative"] = self.relative
        if self.part:
            d["part"] = self.part
        if self.weekday is not None:
            d["weekday"] = self.weekday
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DateExpr":
        return cls(int(d["start"]), int(d["end"]), d["text"], d.get("year"), d.get("month"), d.get("day"),
                   d.get("calendar", "gregorian"), d.get("relative"), d.get("part"),
                   d.get("weekday"))


@dataclass(slots=True)
class Document:
    """One article and its analysis. ``text`` is the article exactly as read."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # Scratch space shared between stages (e.g. the normalized view, raw NER spans).
    # Never serialized.
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        for k in ("title", "date", "url", "source"):
            if self.meta.get(k) is not None:
                d[k] = self.meta[k]
        d["paragraphs"] = [p.to_dict() for p in self.paragraphs]
        d["sentences"] = [s.to_dict() for s in self.sentences]
        d["entities"] = [e.to_dict() for e in self.entities]
        d["quotes"] = [q.to_dict() for q in self.quotes]
        d["figures"] = [f.to_dict() for f in self.figures]
        d["dates"] = [x.to_dict() for x in self.dates]
        d["events"] = list(self.events)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        meta = {k: d[k] for k in ("title", "date", "url", "source") if d.get(k) is not None}
        return cls(
            id=str(d["id"]), text=d["text"], meta=meta,
            paragraphs=[Paragraph(p["start"], p["end"], bool(p.get("heading"))) for p in d.get("paragraphs", [])],
            sentences=[Sentence(s["start"], s["end"]) for s in d.get("sentences", [])],
            entities=[Entity.from_dict(e) for e in d.get("entities", [])],
            quotes=[Quote.from_dict(q) for q in d.get("quotes", [])],
            figures=[Figure.from_dict(f) for f in d.get("figures", [])],
            dates=[DateExpr.from_dict(x) for x in d.get("dates", [])],
            events=list(d.get("events", [])),
        )

    def iter_spans(self) -> list[tuple[str, int, int, str]]:
        """(layer, start, end, text) for every offset-carrying object; used by invariant tests."""
        out: list[tuple[str, int, int, str]] = []
        for t in self.tokens:
            out.append(("token", t.start, t.end, t.text))
        for e in self.entities:
            out.extend(("mention", m.start, m.end, m.text) for m in e.mentions)
        for q in self.quotes:
            out.append(("quote", q.start, q.end, q.text))
            if q.cue:
                out.append(("cue", q.cue.start, q.cue.end, q.cue.text))
            if q.speaker and q.speaker.mention:
                m = q.speaker.mention
                out.append(("speaker", m.start, m.end, m.text))
        out.extend(("figure", f.start, f.end, f.text) for f in self.figures)
        out.extend(("date", x.start, x.end, x.text) for x in self.dates)
        return out
