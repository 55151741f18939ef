"""BiLSTM-CRF tagger, inference in numpy (trained with torch by :mod:`khabar.ner.train_neural`).

Token representation (everything per *word type* is cached, so a repeated word costs one dict
lookup): frozen distributional vectors of the folded word or its clitic-stripped stem
(:mod:`khabar.ner.clusters`), a trainable embedding of frequent training words, a character CNN
over the folded word, cluster-id embeddings, and binary lexicon flags (:mod:`khabar.ner.features`);
per position, the multiword gazetteer tags. One BiLSTM layer, a linear layer and a CRF
transition matrix decoded with Viterbi.

The input projection of the LSTM is linear, so ``W_ih · x`` is computed once per word type and
only the recurrence runs per token; sentences are batched by length.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.errors import ModelError
from khabar.ner.features import Lexicons, _gazetteer_tags, lexicons, stems, MAX_GAZ_WORDS
from khabar.ner.pieces import tag_in_pieces
from khabar.text.normalize import fold_word

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
FLAG_NAMES = ("loc", "org", "fn", "ln", "ttl", "nat", "stop", "wk=PER", "wk=LOC", "wk=ORG", "al", "clit",
              "digit", "punct", "latin", "quote")
SENT_FLAGS = tuple(f"{k}={b}-{t}" for k in ("gz", "gw") for b in "BI" for t in ("PER", "LOC", "ORG", "TTL"))
MAX_CHARS = 16
BATCH_TOKENS = 16384  # padded positions per numpy batch (bounds the step arrays: 2 x 16384 x 4H floats)
# float16 rows of 8H = 1,024 values (2 KB each): at most ~123 MB of cached projections. A corpus
# run meets more word types than this; when the cache is full the most used three quarters stay
# (on the whole SaudiNewsNet run `extract` was 1.4 % faster than keeping half, peak RSS 446 MB
# instead of 418 MB).
MAX_CACHED_TYPES = 60_000
N_CLUSTER_COLS = 3


def _flag_vector(w: str, f: str, s: str, bare: str, lex: Lexicons) -> list[int]:
    on = set()
    for name, entries in (("loc", lex.loc), ("org", lex.org), ("fn", lex.first), ("ln", lex.last),
                          ("ttl", lex.title), ("nat", lex.nat), ("stop", lex.stop)):
        if f in entries or s in entries or bare in entries:
            on.add(name)
    wk = lex.wiki.get(s) or lex.wiki.get(f)
    if wk:
        on.add(wk[0])
    if s.startswith("ال"):
        on.add("al")
    if s != f:
        on.add("clit")
    if w.isdigit():
        on.add("digit")
    elif not w[:1].isalnum():
        on.add("quote" if w in "«»\"“”'" else "punct")
    elif w.isascii():
        on.add("latin")
    return [i for i, n in enumerate(FLAG_NAMES) if n in on]


class Vocab:
    """Index tables shared by training and inference (saved inside the model file)."""

    def __init__(self, pre: list[str], words: list[str], chars: list[str]) -> None:
        self.pre_list, self.word_list, self.char_list = pre, words, chars
        self.pre = {w: i + 1 for i, w in enumerate(pre)}      # 0: unknown
        self.words = {w: i + 2 for i, w in enumerate(words)}  # 0: pad, 1: unknown
        self.chars = {c: i + 2 for i, c in enumerate(chars)}  # 0: pad, 1: unknown

    def token(self, w: str, lex: Lexicons) -> tuple[int, int, list[int], list[int], list[int]]:
        """(pretrained index, word index, char ids, cluster ids, flag indices) of a surface token."""
        f = fold_word(w)
        s, bare = stems(f)
        pre = self.pre.get(f) or self.pre.get(s) or self.pre.get(bare) or 0
        word = self.words.get(f, 1)
        chars = [self.chars.get(c, 1) for c in f[:MAX_CHARS]] or [1]
        cl = lex.clusters.get(f) or lex.clusters.get(s) or lex.clusters.get(bare)
        clus = [int(x.split("=", 1)[1]) + 1 for x in cl] if cl else [0] * N_CLUSTER_COLS
        return pre, word, chars, clus, _flag_vector(w, f, s, bare, lex)


def sentence_flags(tokens: list[str], lex: Lexicons) -> list[list[int]]:
    folded = [fold_word(t) for t in tokens]
    gz = _gazetteer_tags(folded, lex.phrases, lex.phrase_firsts, lex.max_words)
    gw = _gazetteer_tags(folded, lex.wiki_phrases, lex.wiki_firsts, MAX_GAZ_WORDS, stemmed=True)
    index = {n: i for i, n in enumerate(SENT_FLAGS)}
    out = []
    for a, b in zip(gz, gw):
        row = []
        if a and f"gz={a}" in index:
            row.append(index[f"gz={a}"])
        if b and f"gw={b}" in index:
            row.append(index[f"gw={b}"])
        out.append(row)
    return out


# Longest piece tagged at once. The BiLSTM was trained on pieces of at most 50 tokens, and the
# recurrence runs as many steps as the longest piece of a batch: one 250-token sentence would
# make an article's whole batch take 250 small steps. In 5-fold cross-validation over ANERcorp
# train, pieces of 30/40/50/60/80 tokens scored 0.7702/0.7736/0.7742/0.7747/0.7747 micro F1
# (with the post-processing of :mod:`khabar.ner.consistency`), and 40 instead of 60 makes
# `extract` about 4 % faster.
MAX_PIECE = 40
CUT_AFTER = frozenset(".,،;؛:!?)»\"")  # a piece ends after one of these when it can


class NeuralTagger:
    def __init__(self, path: Path) -> None:
        import numpy as np

        try:
            z = np.load(path)
            # the word vectors stay float16 (rows are cast when gathered): 18 MB instead of 36
            self.p = {k: (z[k] if k == "pre_emb" else z[k].astype(np.float32)) for k in z.files
                      if k not in ("vocab_pre", "vocab_words", "vocab_chars")}
            self.vocab = Vocab(*(bytes(z[k]).decode("utf-8").split("\n") if z[k].size else []
                                 for k in ("vocab_pre", "vocab_words", "vocab_chars")))
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"cannot load the NER model {path}: {e}",
                             "rebuild it with `khabar ner-train` or reinstall khabar") from None
        self.lex = lexicons()
        self.type_cache: dict[str, int] = {}
        self.row_words: list[str] = []  # the word type of each cached row
        self.hits = np.zeros(MAX_CACHED_TYPES, np.int64)  # batches that used each cached row
        # allocated once, zero pages: only the rows written count towards the resident memory
        self.proj = np.zeros((MAX_CACHED_TYPES, 8 * self.p["lstm_f_whh"].shape[1]), np.float16)
        self.hidden = self.p["lstm_f_whh"].shape[1]
        H = self.hidden
        scale = np.full(4 * H, 0.5, np.float32)
        scale[2 * H:3 * H] = 1.0  # the cell candidate g keeps its tanh
        # (2, H, 4H): forward, backward recurrent weights, gates pre-scaled
        self.whh = np.stack([self.p[f"lstm_{d}_whh"].T * scale for d in "fb"]).astype(np.float32)
        nd = len(SENT_FLAGS)
        # (n sentence flags, 8H): both directions' input weights of each positional flag
        self.proj_scale = np.concatenate([scale, scale])
        self.sent_flag_proj = np.concatenate([self.p["lstm_f_wih"][:, -nd:],
                                              self.p["lstm_b_wih"][:, -nd:]]).T * self.proj_scale

    # -- per word type: the two directions' input projections, computed for new words in bulk
    def _type_rows(self, words: list[str], np: Any) -> Any:
        """Row indices into ``self.proj`` (one row per known word type) for ``words``."""
        cache = self.type_cache
        distinct = dict.fromkeys(words)
        new = [w for w in distinct if w not in cache]
        if new:
            p = self.p
            toks = [self.vocab.token(w, self.lex) for w in new]
            N = len(toks)
            C = max(len(t[2]) for t in toks)
            chars = np.zeros((N, C), np.int64)
            flags = np.zeros((N, len(FLAG_NAMES)), np.float32)
            for i, t in enumerate(toks):
                chars[i, :len(t[2])] = t[2]
                flags[i, t[4]] = 1.0
            W = p["char_conv_w"]  # (out, dc, k)
            k = W.shape[2]
            ce = p["char_emb"][chars]  # (N, C, dc)
            half = (k - 1) // 2
            ce = np.pad(ce, ((0, 0), (half, half), (0, 0)))
            conv = sum(ce[:, i:i + C] @ W[:, :, i].T for i in range(k)) + p["char_conv_b"]
            conv = np.maximum(conv, 0) * (chars > 0)[:, :, None]
            parts = [p["pre_emb"][[t[0] for t in toks]].astype(np.float32), p["word_emb"][[t[1] for t in toks]], conv.max(1)]
            for j in range(N_CLUSTER_COLS):
                parts.append(p[f"clus_emb{j}"][[t[3][j] for t in toks]])
            parts.append(flags)
            v = np.concatenate(parts, axis=1)
            d = v.shape[1]
            rows = np.concatenate([v @ p["lstm_f_wih"][:, :d].T + p["lstm_f_b"],
                                   v @ p["lstm_b_wih"][:, :d].T + p["lstm_b_b"]], axis=1)
            if len(cache) + N > MAX_CACHED_TYPES:  # bound memory on huge corpora
                if N > MAX_CACHED_TYPES:
                    raise ModelError(f"{N} distinct words in one batch", "tag fewer sentences at a time")
                present = np.array([cache[w] for w in distinct if w in cache], np.int64)
                self._evict(MAX_CACHED_TYPES - N, present, np)
                cache = self.type_cache
            base = len(cache)
            self.proj[base:base + N] = rows * self.proj_scale
            for i, w in enumerate(new):
                cache[w] = base + i
            self.row_words.extend(new)
        idx = np.fromiter((cache[w] for w in words), dtype=np.int64, count=len(words))
        self.hits[idx] += 1  # once per batch (an article) however often the word occurs in it
        return idx

    def _evict(self, room: int, present: Any, np: Any) -> None:
        """Keep the rows ``present`` (the current batch uses them) and the most used other cached
        types, at most three quarters of the cache and at most ``room`` in all; halve their use
        counts so that old favourites fade; drop the others. Frequent words then stay cached over
        a whole corpus instead of being recomputed after every reset."""
        n = len(self.type_cache)
        k = min(max(len(present), min(MAX_CACHED_TYPES * 3 // 4, room)), n)
        rank = self.hits[:n].copy()
        rank[present] = np.iinfo(np.int64).max  # the batch's own words are kept first
        keep = np.sort(np.argpartition(-rank, k - 1)[:k]) if 0 < k < n else np.arange(k)
        self.proj[:k] = self.proj[keep]
        self.hits[:k] = self.hits[keep] // 2
        self.hits[k:] = 0
        self.row_words = [self.row_words[i] for i in keep]
        self.type_cache = {w: i for i, w in enumerate(self.row_words)}

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        # long sentences are tagged in pieces, as the model was trained (``max_len`` chunks)
        return tag_in_pieces(sentences, MAX_PIECE, self._tag_pieces, CUT_AFTER)

    def _tag_pieces(self, sentences: list[list[str]]) -> list[list[str]]:
        import numpy as np

        out: list[list[str]] = [[] for _ in sentences]
        order = [i for i in sorted(range(len(sentences)), key=lambda i: len(sentences[i])) if sentences[i]]
        k = 0
        while k < len(order):
            # the batch grows while its padded size (sentences x longest) stays within the budget
            n = 1
            while k + n < len(order) and (n + 1) * len(sentences[order[k + n]]) <= BATCH_TOKENS:
                n += 1
            batch = order[k:k + n]
            for j, tags in zip(batch, self._tag_batch([sentences[j] for j in batch], np)):
                out[j] = tags
            k += n
        return out

    def tag(self, tokens: list[str]) -> list[str]:
        return self.tag_many([tokens])[0] if tokens else []

    def _tag_batch(self, sents: list[list[str]], np: Any) -> list[list[str]]:
        order = sorted(range(len(sents)), key=lambda i: -len(sents[i]))
        tagged = self._tag_sorted([sents[i] for i in order], np)
        out: list[list[str]] = [[] for _ in sents]
        for i, tags in zip(order, tagged):
            out[i] = tags
        return out

    def _tag_sorted(self, sents: list[list[str]], np: Any) -> list[list[str]]:
        """Sentences sorted longest first. Inputs are laid out time-major and only real tokens
        are written or computed: padding costs neither memory traffic nor arithmetic."""
        p, H = self.p, self.hidden
        B, T = len(sents), len(sents[0])
        lengths = np.array([len(s) for s in sents])
        b_idx = np.repeat(np.arange(B), lengths)
        t_idx = np.concatenate([np.arange(n) for n in lengths])
        t_rev = lengths[b_idx] - 1 - t_idx
        rows = self._type_rows([w for s in sents for w in s], np)
        # both directions advance together, stacked on a leading axis: at step t the same
        # sentences are running in each (those longer than t), and one batched matmul per step
        # halves the Python-level loop. Padded positions are never read (at step t only the
        # first active[t] sentences run), so the step arrays need no zero fill; the cached
        # float16 rows are widened as they are scattered.
        x = np.empty((2, T, B, 4 * H), np.float32)
        x[0, t_idx, b_idx] = self.proj[rows, :4 * H]
        x[1, t_rev, b_idx] = self.proj[rows, 4 * H:]
        fp = self.sent_flag_proj
        for k, row in enumerate(f for s in sents for f in sentence_flags(s, self.lex)):
            for r in row:
                x[0, t_idx[k], b_idx[k]] += fp[r, :4 * H]
                x[1, t_rev[k], b_idx[k]] += fp[r, 4 * H:]
        active = np.bincount(t_idx, minlength=T)  # running sentences per step: a prefix
        h = np.zeros((2, B, H), np.float32)
        c = np.zeros((2, B, H), np.float32)
        outs = np.empty((2, T, B, H), np.float32)
        a_buf = np.empty((2, B, 4 * H), np.float32)
        t_buf = np.empty((2, B, H), np.float32)
        whh = self.whh
        for t in range(T):
            k = active[t]
            # i, f, o pre-activations are pre-scaled by 0.5, so one tanh over the four gates
            # gives sigmoid(z) = 0.5 * tanh(z / 2) + 0.5 for them and tanh for the cell input;
            # every step writes into preallocated buffers
            a = a_buf[:, :k]
            np.matmul(h[:, :k], whh, out=a)
            a += x[:, t, :k]
            np.tanh(a, out=a)
            g = a[:, :, 2 * H:3 * H].copy()  # the cell input keeps its tanh
            a *= 0.5
            a += 0.5
            ck = c[:, :k]
            ck *= a[:, :, H:2 * H]
            g *= a[:, :, :H]
            ck += g
            hk = np.tanh(ck, out=t_buf[:, :k])
            hk *= a[:, :, 3 * H:]
            h[:, :k] = hk
            outs[:, t, :k] = hk
        hs = [outs[0, t_idx, b_idx], outs[1, t_rev, b_idx]]
        em_flat = np.concatenate(hs, axis=1) @ p["out_w"].T + p["out_b"]  # (N, K)
        em = np.zeros((B, T, em_flat.shape[1]), np.float32)
        em[b_idx, t_idx] = em_flat
        mask = np.arange(T)[None, :] < lengths[:, None]
        paths = self._viterbi(em, mask, lengths, np)
        return [[TAGS[i] for i in paths[b, :lengths[b]]] for b in range(B)]

    def _viterbi(self, em: Any, mask: Any, lengths: Any, np: Any) -> Any:
        """Batched Viterbi; a finished sentence carries its scores unchanged to the end."""
        trans, start, end = self.p["crf_trans"], self.p["crf_start"], self.p["crf_end"]
        B, T, K = em.shape
        score = start + em[:, 0]
        back = np.zeros((B, T, K), np.int64)
        ident = np.broadcast_to(np.arange(K), (B, K))
        for t in range(1, T):
            cand = score[:, :, None] + trans[None]  # (B, from, to)
            best = cand.argmax(1)
            new = np.take_along_axis(cand, best[:, None, :], 1)[:, 0] + em[:, t]
            m = mask[:, t:t + 1]
            score = np.where(m, new, score)
            back[:, t] = np.where(m, best, ident)
        last = (score + end).argmax(1)
        paths = np.zeros((B, T), np.int64)
        paths[:, T - 1] = last
        for t in range(T - 1, 0, -1):
            paths[:, t - 1] = back[np.arange(B), t, paths[:, t]]
        return paths
