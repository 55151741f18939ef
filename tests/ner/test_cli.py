import re
from pathlib import Path

from click.testing import CliRunner

from khabar.cli.ner import ner_eval
from tests.conftest import shared_path

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ner_tiny.conll"


def test_ner_eval_report_format() -> None:
    res = CliRunner().invoke(ner_eval, [str(FIX)])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert re.fullmatch(r"micro F1 [01]\.\d{4}", lines[-1])
    assert any(line.startswith("PER ") for line in lines)


def test_ner_eval_on_anercorp_slice(tmp_path: Path) -> None:
    src = shared_path("data", "ner", "anercorp", "ANERCorp_CamelLab_train.rebuilt.txt")
    # the first 60 sentences of the training file: a format check on real data, not a score
    text = src.read_text(encoding="utf-8").split("\n\n")[:60]
    p = tmp_path / "slice.conll"
    p.write_text("\n\n".join(text) + "\n", encoding="utf-8")
    res = CliRunner().invoke(ner_eval, [str(p), "--components"])
    assert res.exit_code == 0, res.output
    assert "component ner.crfsuite" in res.output
    assert float(res.output.strip().splitlines()[-1].split()[-1]) > 0.5
