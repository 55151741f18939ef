from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from khabar.ner.conll import fix_tag, read_conll, score, spans_from_tags

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ner_tiny.conll"


def test_read_conll_sentences_and_tag_fixes(tmp_path: Path) -> None:
    sents = read_conll(FIX)
    assert len(sents) == 4
    assert sents[0][0][2:4] == ["خليفة", "حفتر"]
    assert sents[0][1][2:4] == ["B-PER", "I-PER"]  # ANERcorp PERS -> PER
    p = tmp_path / "w.tsv"
    p.write_text("ar:باريس\tB-LOC\nar:(\tO\n\nx B-MIS2\n", encoding="utf-8")
    got = read_conll(p)
    assert got == [(["باريس", "("], ["B-LOC", "O"]), (["x"], ["B-MISC"])]


def test_fix_tag_noise() -> None:
    assert fix_tag("B-ERS") == "O" and fix_tag("I--ORG") == "I-ORG" and fix_tag("OO") == "O"
    assert fix_tag("b-misc") == "B-MISC" and fix_tag("B-MIS-1") == "B-MISC"


def test_score_conlleval_semantics() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["I-ORG", "I-ORG"]]  # I- after O opens an entity
    sc = score(gold, pred)
    assert sc.tp["PER"] == 1 and sc.tp["ORG"] == 1 and sc.pred["ORG"] == 2
    p, r, f = sc.prf()
    assert (round(p, 4), round(r, 4)) == (round(2 / 3, 4), round(2 / 3, 4))
    assert sc.report().splitlines()[-1] == f"micro F1 {f:.4f}"


_TAG = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])


@given(st.lists(_TAG, max_size=30))
def test_spans_cover_every_entity_token_once(tags: list[str]) -> None:
    spans = spans_from_tags(tags)
    covered = [i for s, e, _ in spans for i in range(s, e)]
    assert covered == sorted(set(covered))
    assert covered == [i for i, t in enumerate(tags) if t != "O"]
