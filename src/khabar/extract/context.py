"""Shared token-level context for quotation finding and speaker resolution."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from khabar.document import Document, Entity, Span
from khabar.extract.cues import CueForm
from khabar.extract.marks import pair_marks
from khabar.extract.speakers import first_name_gender, function_words
from khabar.text.normalize import fold_word


@dataclass(slots=True)
class Cue:
    start: int  # token index
    end: int  # token index, exclusive
    form: CueForm


@dataclass(slots=True)
class Frame:
    cue: Cue
    kind: str  # direct | indirect
    start: int  # char offsets of the content
    end: int
    np: tuple[int, int] | None  # token range of the speaker noun phrase, if any
    confidence: float = 0.8
    np_inherited: bool = False  # the NP came from the verb before a participle («وعلق X قائلا»)


class TokenContext:
    """Token-level views of one document shared by the frame finder and the speaker resolver:
    folded tokens, sentence ranges, paired quotation marks, entity mentions per token."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.toks = [t for t in doc.tokens if not t.text.isspace()]
        self.ft = [fold_word(t.text) for t in self.toks]
        self.n = len(self.toks)
        self.fw = function_words()
        # sentence index of every token, and token range of every sentence
        self.sent_of = [0] * self.n
        self.sent_range: list[tuple[int, int]] = []
        ti = 0
        sents = doc.sentences
        for si, s in enumerate(sents):
            first = ti
            while ti < self.n and self.toks[ti].start < s.end:
                self.sent_of[ti] = si
                ti += 1
            self.sent_range.append((first, ti))
        while ti < self.n:  # tokens outside any sentence (should not happen)
            self.sent_of[ti] = max(len(sents) - 1, 0)
            ti += 1
        if not self.sent_range:
            self.sent_range.append((0, self.n))
        self.pairs, self.stray = pair_marks(self.text, self.toks, doc.paragraphs)
        self.pair_at = {p.open_tok: p for p in self.pairs}
        # each closing mark closes one pair
        self.pair_closed_at = {p.close_tok: p for p in self.pairs if p.close_tok is not None}
        # depth of closed quotation marks around each token: nested speech lives inside
        self.in_marks = [False] * self.n
        for p in self.pairs:
            if p.close_tok is not None:
                for k in range(p.open_tok + 1, p.close_tok):
                    self.in_marks[k] = True
        self.ent_at: dict[int, tuple[Entity, Span]] = {}
        mentions = sorted(((m.start, m.end, e, m) for e in doc.entities for m in e.mentions), key=lambda x: x[0])
        starts = [t.start for t in self.toks]
        for ms, me, e, m in mentions:
            k = max(bisect_right(starts, ms) - 1, 0)
            while k < self.n and self.toks[k].start < me:
                if self.toks[k].end > ms:
                    self.ent_at.setdefault(k, (e, m))
                k += 1

    def cls(self, k: int) -> str | None:
        """Function-word class of token k. «علي» spelled with ي before a name is the first
        name, not the preposition «على» that folds to the same letters."""
        c = self.fw.get(self.ft[k])
        if c == "prep" and self.toks[k].text.endswith("ي") and k + 1 < self.n \
                and self.ft[k] in first_name_gender() and self.toks[k + 1].text[:1].isalpha() \
                and self.fw.get(self.ft[k + 1]) is None:
            return None
        return c

    def sent_end_tok(self, i: int) -> int:
        return self.sent_range[self.sent_of[i]][1] if i < self.n else self.n

    def is_punct(self, i: int) -> bool:
        return not self.toks[i].text[:1].isalnum()

    def char_end_of_sentence(self, i: int) -> int:
        return self.doc.sentences[self.sent_of[i]].end if self.doc.sentences else len(self.text)
