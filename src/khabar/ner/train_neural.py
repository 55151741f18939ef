"""Train the BiLSTM-CRF of :mod:`khabar.ner.neural` with torch (the optional ``train`` extra) and
export its weights to a numpy ``.npz`` that inference reads without torch.

Three stages share one network: the encoder (embeddings, character CNN, BiLSTM) first learns
to predict the next word (forward LSTM) and the previous word (backward LSTM) over unlabelled
news sentences (``lm_set``, :func:`news_sentences`); then the whole tagger trains on the
out-of-domain ``pretrain_set``; then on ANERcorp. The language-model heads are dropped at export,
so inference costs the same. In 5-fold cross-validation over ANERcorp train the language-model
stage (2M SaudiNewsNet tokens, one epoch) raised micro F1 on every fold, 0.7639 → 0.7747 in all;
5M tokens did no better (see the model card)."""
from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from khabar.ner.conll import Sentence, score
from khabar.ner.features import lexicons
from khabar.ner.neural import FLAG_NAMES, N_CLUSTER_COLS, SENT_FLAGS, TAGS, Vocab, sentence_flags
from khabar.text.normalize import fold_word


@dataclass
class NParams:
    hidden: int = 128
    word_dim: int = 64
    char_dim: int = 32
    char_out: int = 64
    clus_dims: tuple[int, ...] = (8, 16, 16)
    dropout: float = 0.5
    word_dropout: float = 0.1
    lr: float = 2e-3
    batch: int = 16
    epochs: int = 14
    seed: int = 13
    min_word_count: int = 2
    threads: int = 2
    max_len: int = 50
    # epochs on the out-of-domain ``pretrain_set`` (WikiANN, AQMAR) before the ANERcorp epochs
    pretrain_epochs: int = 3
    # the exported weights are the mean of those after each of the last ``average_last`` epochs
    # (0: the last epoch's): the dev score moves by a point from one epoch to the next
    average_last: int = 6
    # language-model pretraining of the encoder on unlabelled news (``lm_set``) before the NER
    # stages: the forward LSTM predicts the next word, the backward one the previous word, over
    # the ``lm_vocab`` most frequent folded words (adaptive softmax)
    lm_epochs: int = 1
    lm_tokens: int = 2_000_000  # SaudiNewsNet tokens read for it (:func:`news_sentences`)
    lm_vocab: int = 20_000
    lm_batch: int = 64


def _chunks(sents: list[Sentence], max_len: int) -> list[Sentence]:
    """Long sentences cut into pieces of at most ``max_len`` tokens (never inside an entity), so
    that the CRF's sequential loops stay short; ANERcorp has sentences of 200+ tokens."""
    out: list[Sentence] = []
    for toks, tags in sents:
        start = 0
        while len(toks) - start > max_len:
            cut = start + max_len
            while cut > start + 1 and tags[cut].startswith("I-"):
                cut -= 1
            out.append((toks[start:cut], tags[start:cut]))
            start = cut
        out.append((toks[start:], tags[start:]))
    return out


def _build_vocab(train: list[Sentence], pre: list[str], params: NParams) -> Vocab:
    wc: Counter = Counter(fold_word(t) for toks, _ in train for t in toks)
    cc: Counter = Counter(c for w in wc for c in w)
    words = sorted(w for w, n in wc.items() if n >= params.min_word_count)
    chars = sorted(c for c, n in cc.items() if n >= 2)
    return Vocab(pre, words, chars)


def _encode(sents: list[Sentence], vocab: Vocab) -> list[tuple[Any, ...]]:
    lex = lexicons()
    tag_ix = {t: i for i, t in enumerate(TAGS)}
    cache: dict[str, Any] = {}
    out = []
    for toks, tags in sents:
        rows = []
        for w in toks:
            r = cache.get(w)
            if r is None:
                r = cache[w] = vocab.token(w, lex)
            rows.append(r)
        out.append((rows, sentence_flags(toks, lex), [tag_ix.get(t, 0) for t in tags]))
    return out


def _model(torch: Any, nn: Any, pre_vectors: Any, vocab: Vocab, params: NParams, n_clusters: list[int]) -> Any:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.pre = nn.Embedding.from_pretrained(pre_vectors, freeze=True)
            self.word = nn.Embedding(len(vocab.word_list) + 2, params.word_dim, padding_idx=0)
            self.char = nn.Embedding(len(vocab.char_list) + 2, params.char_dim, padding_idx=0)
            self.conv = nn.Conv1d(params.char_dim, params.char_out, 3, padding=1)
            self.clus = nn.ModuleList(nn.Embedding(k + 1, d) for k, d in zip(n_clusters, params.clus_dims))
            d_in = (pre_vectors.shape[1] + params.word_dim + params.char_out + sum(params.clus_dims)
                    + len(FLAG_NAMES) + len(SENT_FLAGS))
            self.drop = nn.Dropout(params.dropout)
            self.lstm = nn.LSTM(d_in, params.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * params.hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def encode(self, pre: Any, word: Any, chars: Any, clus: Any, flags: Any, sflags: Any) -> Any:
            B, T, C = chars.shape
            ce = self.char(chars.view(B * T, C)).transpose(1, 2)
            conv = torch.relu(self.conv(ce))
            conv = conv.masked_fill((chars.view(B * T, C) == 0).unsqueeze(1), 0.0)
            cvec = conv.max(2).values.view(B, T, -1)
            parts = [self.pre(pre), self.word(word), cvec] + [e(clus[:, :, i]) for i, e in enumerate(self.clus)]
            x = torch.cat(parts + [flags, sflags], dim=2)
            h, _ = self.lstm(self.drop(x))
            return self.drop(h)

        def emissions(self, *inputs: Any) -> Any:
            return self.out(self.encode(*inputs))

        def lm_loss(self, heads: Any, inputs: tuple[Any, ...], targets: Any, mask: Any) -> Any:
            h = self.encode(*inputs)
            H = params.hidden
            both = mask[:, 1:] & mask[:, :-1]
            fwd = heads[0](h[:, :-1, :H][both], targets[:, 1:][both]).loss
            bwd = heads[1](h[:, 1:, H:][both], targets[:, :-1][both]).loss
            return fwd + bwd

        def nll(self, em: Any, tags: Any, mask: Any) -> Any:
            B, T, K = em.shape
            maskf = mask.float()
            # gold path score
            s = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for t in range(1, T):
                step = self.trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t:t + 1]).squeeze(1)
                s = s + step * maskf[:, t]
            lengths = mask.sum(1) - 1
            s = s + self.end[tags.gather(1, lengths.unsqueeze(1)).squeeze(1)]
            # partition function
            alpha = self.start + em[:, 0]
            for t in range(1, T):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), dim=1) + em[:, t]
                alpha = torch.where(mask[:, t:t + 1], nxt, alpha)
            logz = torch.logsumexp(alpha + self.end, dim=1)
            return (logz - s).sum()

    return Net()


def _arrays(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """One encoded sentence as numpy arrays (done once, so that batching is only slicing). Small
    integer types: the language-model stage holds millions of tokens (:func:`_batch` widens)."""
    import numpy as np

    rows, sf, tg = item
    T = len(rows)
    C = max(len(r[2]) for r in rows)
    chars = np.zeros((T, C), np.int32)
    flags = np.zeros((T, len(FLAG_NAMES)), np.uint8)
    sflags = np.zeros((T, len(SENT_FLAGS)), np.uint8)
    for t, (_, _, ch, _, fl) in enumerate(rows):
        chars[t, :len(ch)] = ch
        flags[t, fl] = 1
        sflags[t, sf[t]] = 1
    return (np.array([r[0] for r in rows], np.int32), np.array([r[1] for r in rows], np.int32), chars,
            np.array([r[3] for r in rows], np.int32).reshape(T, N_CLUSTER_COLS), flags, sflags,
            np.array(tg, np.int32))


def _batch(torch: Any, items: list[tuple[Any, ...]], word_dropout: float, train: bool) -> tuple[Any, ...]:
    import numpy as np

    B = len(items)
    T = max(len(a[0]) for a in items)
    C = max(a[2].shape[1] for a in items)
    pre = np.zeros((B, T), np.int64)
    word = np.zeros((B, T), np.int64)
    chars = np.zeros((B, T, C), np.int64)
    clus = np.zeros((B, T, N_CLUSTER_COLS), np.int64)
    flags = np.zeros((B, T, len(FLAG_NAMES)), np.float32)
    sflags = np.zeros((B, T, len(SENT_FLAGS)), np.float32)
    tags = np.zeros((B, T), np.int64)
    mask = np.zeros((B, T), bool)
    for b, (p, w, ch, cl, fl, sf, tg) in enumerate(items):
        n = len(p)
        pre[b, :n], word[b, :n], chars[b, :n, :ch.shape[1]], clus[b, :n] = p, w, ch, cl
        flags[b, :n], sflags[b, :n], tags[b, :n], mask[b, :n] = fl, sf, tg, True
    if train and word_dropout:
        drop = (np.random.random_sample(word.shape) < word_dropout) & mask
        word[drop] = 1
    return tuple(torch.from_numpy(x) for x in (pre, word, chars, clus, flags, sflags, tags, mask))


def load_vectors(path: Path) -> tuple[list[str], Any]:
    import numpy as np

    z = np.load(path)
    return bytes(z["vocab"]).decode("utf-8").split("\n"), z["vectors"].astype(np.float32)


def train(train_set: list[Sentence], vectors: Path, out: Path, params: NParams | None = None,
          dev_set: list[Sentence] | None = None, log: Callable[[str], None] = print,
          pretrain_set: list[Sentence] | None = None, lm_set: list[list[str]] | None = None) -> Path:
    import numpy as np
    import torch
    from torch import nn

    params = params or NParams()
    torch.manual_seed(params.seed)
    random.seed(params.seed)
    np.random.seed(params.seed)
    torch.set_num_threads(params.threads)
    pre_words, pre_vec = load_vectors(vectors)
    pre_vec = np.vstack([np.zeros((1, pre_vec.shape[1]), np.float32), pre_vec])
    pretrain_set = pretrain_set if params.pretrain_epochs else None
    vocab = _build_vocab(train_set + (pretrain_set or []), pre_words, params)
    lex = lexicons()
    n_clusters = [0] * N_CLUSTER_COLS
    for cl in lex.clusters.values():
        for i, x in enumerate(cl[:N_CLUSTER_COLS]):
            n_clusters[i] = max(n_clusters[i], int(x.split("=", 1)[1]) + 1)
    net = _model(torch, nn, torch.tensor(pre_vec), vocab, params, n_clusters)
    data = [_arrays(x) for x in _encode(_chunks(train_set, params.max_len), vocab)]
    stages = [(data, params.epochs, "")]
    if pretrain_set:
        pre_data = [_arrays(x) for x in _encode(_chunks(pretrain_set, params.max_len), vocab)]
        stages.insert(0, (pre_data, params.pretrain_epochs, "pretrain "))
    if lm_set and params.lm_epochs:
        _lm_pretrain(torch, nn, net, lm_set, vocab, params, log)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=params.lr)
    snapshots: list[dict[str, Any]] = []
    for data, epochs, stage in stages:
        keep = snapshots if not stage else None
        _epochs(torch, nn, net, opt, data, epochs, stage, params, vocab, out, dev_set, log, keep)
    if snapshots:
        last = snapshots[-1]
        net.load_state_dict({k: sum(s[k] for s in snapshots) / len(snapshots) if v.is_floating_point() else v
                             for k, v in last.items()})
        msg = f"mean of the last {len(snapshots)} epochs"
        if dev_set:
            export(net, vocab, out)
            msg += f": dev micro F1 {evaluate(out, dev_set):.4f}"
        log(msg)
    export(net, vocab, out)
    return out


_LM_TOKEN = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+|[0-9\u0660-\u0669]+|[A-Za-z]+|\S")
_LM_END = frozenset(".!?؟")


def news_sentences(corpus: Path, max_tokens: int, seed: int = 13) -> list[list[str]]:
    """Sentences of surface tokens (punctuation split off, clitics attached, as in ANERcorp) from
    articles of ``corpus`` (JSONL.gz with ``text``) taken in a seeded random order until
    ``max_tokens`` tokens: the unlabelled text of the language-model stage."""
    import gzip
    import json

    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("text") or "" for line in fh]
    random.Random(seed).shuffle(texts)
    out: list[list[str]] = []
    n = 0
    for text in texts:
        for para in text.split("\n"):
            sent: list[str] = []
            for tok in _LM_TOKEN.findall(para):
                sent.append(tok)
                if tok in _LM_END:
                    out.append(sent)
                    n += len(sent)
                    sent = []
            if sent:
                out.append(sent)
                n += len(sent)
        if n >= max_tokens:
            break
    return [s for s in out if len(s) > 2]


def _lm_pretrain(torch: Any, nn: Any, net: Any, sents: list[list[str]], vocab: Vocab, params: NParams,
                 log: Callable[[str], None]) -> None:
    import numpy as np

    counts = Counter(fold_word(t) for s in sents for t in s)
    target = {w: i + 1 for i, (w, _) in enumerate(counts.most_common(params.lm_vocab))}  # 0: other
    # a one-token piece has nothing to predict (and a batch of them would make the loss NaN)
    chunks = [c for c in _chunks([(s, ["O"] * len(s)) for s in sents], params.max_len) if len(c[0]) > 1]
    data = []
    for (toks, _), item in zip(chunks, _encode(chunks, vocab)):
        arr = _arrays(item)
        data.append(arr[:-1] + (np.array([target.get(fold_word(t), 0) for t in toks], np.int32),))
    H, V = params.hidden, len(target) + 1
    cutoffs = [c for c in (1000, 5000) if c < V - 1] or [V // 2]
    heads = nn.ModuleList(nn.AdaptiveLogSoftmaxWithLoss(H, V, cutoffs, div_value=4.0) for _ in range(2))
    opt = torch.optim.Adam([p for p in list(net.parameters()) + list(heads.parameters()) if p.requires_grad],
                           lr=params.lr)
    log(f"language model: {len(data)} pieces, {sum(len(d[0]) for d in data)} tokens, {V} targets")
    for epoch in range(params.lm_epochs):
        net.train()
        t0 = time.time()
        batches = _length_batches(data, params.lm_batch)
        total = 0.0
        for bi in batches:
            *inputs, targets, mask = _batch(torch, [data[i] for i in bi], params.word_dropout, True)
            total += _step(nn, net, opt, net.lm_loss(heads, tuple(inputs), targets, mask))
        log(f"language model epoch {epoch + 1}/{params.lm_epochs} loss {total / len(batches):.3f} "
            f"({time.time() - t0:.0f}s)")


def _length_batches(data: list[tuple[Any, ...]], size: int) -> list[list[int]]:
    """Length-bucketed batches in random order: less padding, same randomness each run."""
    idx = sorted(range(len(data)), key=lambda i: (len(data[i][0]), random.random()))
    batches = [idx[i:i + size] for i in range(0, len(idx), size)]
    random.shuffle(batches)
    return batches


def _step(nn: Any, net: Any, opt: Any, loss: Any) -> float:
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 5.0)
    opt.step()
    return float(loss.detach())


def _epochs(torch: Any, nn: Any, net: Any, opt: Any, data: list[tuple[Any, ...]], n_epochs: int, stage: str,
            params: NParams, vocab: Vocab, out: Path, dev_set: list[Sentence] | None,
            log: Callable[[str], None], snapshots: list[dict[str, Any]] | None = None) -> None:
    for epoch in range(n_epochs):
        net.train()
        t0 = time.time()
        batches = _length_batches(data, params.batch)
        total = 0.0
        for bi in batches:
            pre, word, chars, clus, flags, sflags, tags, mask = _batch(torch, [data[i] for i in bi],
                                                                     params.word_dropout, True)
            em = net.emissions(pre, word, chars, clus, flags, sflags)
            loss = net.nll(em, tags, mask) / len(bi)
            total += _step(nn, net, opt, loss) * len(bi)
        if snapshots is not None and epoch >= n_epochs - params.average_last:
            snapshots.append({k: v.detach().clone().float() if v.is_floating_point() else v.clone()
                              for k, v in net.state_dict().items()})
        msg = f"{stage}epoch {epoch + 1}/{n_epochs} loss {total / len(data):.3f} ({time.time() - t0:.0f}s)"
        if dev_set:
            export(net, vocab, out)
            msg += f" dev micro F1 {evaluate(out, dev_set):.4f}"
        log(msg)


def export(net: Any, vocab: Vocab, out: Path) -> None:
    import numpy as np

    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
    arrays = {
        "pre_emb": sd["pre.weight"].astype(np.float16), "word_emb": sd["word.weight"],
        "char_emb": sd["char.weight"], "char_conv_w": sd["conv.weight"], "char_conv_b": sd["conv.bias"],
        "lstm_f_wih": sd["lstm.weight_ih_l0"], "lstm_f_whh": sd["lstm.weight_hh_l0"],
        "lstm_f_b": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
        "lstm_b_wih": sd["lstm.weight_ih_l0_reverse"], "lstm_b_whh": sd["lstm.weight_hh_l0_reverse"],
        "lstm_b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
        "out_w": sd["out.weight"], "out_b": sd["out.bias"],
        "crf_trans": sd["trans"], "crf_start": sd["start"], "crf_end": sd["end"],
    }
    for i in range(N_CLUSTER_COLS):
        arrays[f"clus_emb{i}"] = sd[f"clus.{i}.weight"]
    for name, lst in (("vocab_pre", vocab.pre_list), ("vocab_words", vocab.word_list),
                      ("vocab_chars", vocab.char_list)):
        arrays[name] = np.frombuffer("\n".join(lst).encode("utf-8"), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def evaluate(model: Path, sents: list[Sentence]) -> float:
    from khabar.ner.neural import NeuralTagger

    tagger = NeuralTagger(model)
    pred = tagger.tag_many([t for t, _ in sents])
    return score([g for _, g in sents], pred).prf()[2]
