"""The common-word list of the article layer, built from a tagger's behaviour on news."""
import gzip
import json
from pathlib import Path

from khabar.ner import common_words


class _Fake:
    """Tags «حفتر» as a person everywhere, «موسكو» as a place one time in two and «الخبر» one
    time in twenty."""

    def __init__(self) -> None:
        self.seen = 0
        self.news = 0

    def tag(self, tokens: list[str]) -> list[str]:
        return self.tag_many([tokens])[0]

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        out = []
        for s in sentences:
            tags = []
            for w in s:
                if w == "حفتر":
                    tags.append("B-PER")
                elif w == "موسكو":
                    self.seen += 1
                    tags.append("B-LOC" if self.seen % 2 else "O")
                elif w == "الخبر":
                    self.news += 1
                    tags.append("B-LOC" if self.news % 20 == 1 else "O")
                else:
                    tags.append("O")
            out.append(tags)
        return out


def test_select_keeps_frequent_words_the_tagger_leaves_untagged() -> None:
    sents = [["قال", "حفتر", "في", "موسكو", "أمس", "."]] * 30 + [["نادر", "."]]
    seen, named, person = common_words.count(sents, _Fake())
    assert seen["قال"] == 30 and named["حفتر"] == 30 and named["موسكو"] == 15
    assert person["حفتر"] == 30 and person["موسكو"] == 0
    # names, rare words and punctuation are not common words; «أمس» is folded
    assert common_words.select(seen, named, min_count=20, max_rate=0.01) == sorted(["قال", "في", "امس"])
    # a place is rarely a person's name
    assert "موسكو" in common_words.select(seen, person, min_count=20, max_rate=0.01)


def test_build_writes_a_commented_folded_list_of_three_kinds(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for _ in range(30):
            fh.write(json.dumps({"text": "قال حفتر في موسكو أمس الخبر."}) + "\n")
    out = common_words.build(corpus, _Fake(), tmp_path / common_words.FILE, tokens=10**6, log=lambda m: None)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Common words")
    rows = [x.split("\t") for x in lines if not x.startswith("#")]
    # «الخبر» is tagged 2 times in 30: seldom named (under 10 %), and rarely a person's name
    assert rows == [["الخبر", "few"], ["الخبر", "per"], ["امس", "any"], ["في", "any"], ["قال", "any"],
                    ["موسكو", "per"]]


def test_ner_train_step_builds_the_list_with_a_model(tmp_path: Path) -> None:
    from khabar.ner.tagger import NEURAL_FILE, models_dir
    from khabar.ner.train import _common_words

    corpus = tmp_path / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
    corpus.parent.mkdir(parents=True)
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for _ in range(25):
            fh.write(json.dumps({"text": "وقال المشير خليفة حفتر في موسكو أمس إن الوضع صعب."}) + "\n")
    logged: list[str] = []
    _common_words(tmp_path, models_dir() / NEURAL_FILE, tmp_path / "res", 2000, logged.append)
    rows = dict(x.split("\t") for x in (tmp_path / "res" / common_words.FILE).read_text(encoding="utf-8").splitlines()
                if not x.startswith("#") and not x.endswith("\tfew"))
    assert rows.get("في") == "any" and "حفتر" not in rows  # the shipped model tags حفتر as a person
    assert logged and logged[0].startswith("common words:")
