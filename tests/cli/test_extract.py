"""``khabar extract`` as users run it (a subprocess): the behaviours CONTRACT.md promises."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "scale"
MIXED = FIX / "mixed.jsonl"

ARTICLE = ("الرياض - واس\n"
           "أعلن وزير المالية إبراهيم العساف اليوم أن الميزانية بلغت 860 مليار ريال.\n"
           "وقال العساف: «سنواصل الإنفاق على التعليم والصحة». وأضاف أن الحكومة لن تخفض الرواتب.")


def khabar(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar.cli.main", *args], input=stdin,
                          capture_output=True, timeout=timeout, cwd=cwd)


def lines(out: bytes) -> list[dict[str, Any]]:
    assert out.endswith(b"\n") or out == b""
    return [json.loads(x) for x in out.decode("utf-8").splitlines()]


def _spans(obj: Any) -> list[dict[str, Any]]:
    """Every dict with start/end/text anywhere in an analysis."""
    found: list[dict[str, Any]] = []
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= obj.keys():
            found.append(obj)
        for v in obj.values():
            found.extend(_spans(v))
    elif isinstance(obj, list):
        for v in obj:
            found.extend(_spans(v))
    return found


def check_offsets(a: dict[str, Any]) -> None:
    text = a["text"]
    for key in ("paragraphs", "sentences"):
        for s in a[key]:
            assert 0 <= s["start"] < s["end"] <= len(text)
    for key in ("entities", "quotes", "figures", "dates"):
        for s in _spans(a[key]):
            assert text[s["start"]:s["end"]] == s["text"], (key, s)


@pytest.fixture
def txt(tmp_path: Path) -> Path:
    p = tmp_path / "budget-2015.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_txt_file(txt: Path) -> None:
    r = khabar("extract", str(txt))
    assert r.returncode == 0, r.stderr.decode()
    [a] = lines(r.stdout)
    assert a["id"] == "budget-2015" and a["text"] == ARTICLE
    for key in ("paragraphs", "sentences", "entities", "quotes", "figures", "dates", "events"):
        assert isinstance(a[key], list)
    assert len(a["paragraphs"]) == 3
    check_offsets(a)


def test_jsonl_in_order_bad_lines_named_exit_1() -> None:
    r = khabar("extract", str(MIXED))
    assert r.returncode == 1
    out = lines(r.stdout)
    assert [a["id"] for a in out] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert out[0]["title"] == "وزير المالية يعلن الميزانية" and out[0]["date"] == "2015-07-21"
    for a in out:
        check_offsets(a)
    err = r.stderr.decode()
    assert f"{MIXED}:3: broken JSON" in err           # the broken line, by file and line number
    assert "skipped empty:" in err and "empty text" in err
    assert "skipped no-text:" in err
    assert f"{MIXED}:9: expected a JSON object" in err
    assert "4 skipped" in err and "Traceback" not in err


def test_directory_sorted_and_all_formats(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "j1", "text": ARTICLE}, ensure_ascii=False) + "\n"
                                      + json.dumps({"id": "j2", "text": "قال الوزير."}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    r = khabar("extract", str(tmp_path))
    assert r.returncode == 0, r.stderr.decode()
    assert [a["id"] for a in lines(r.stdout)] == ["j1", "j2", "b"]


def test_stdin_dash_and_nothing() -> None:
    for args in (("extract",), ("extract", "-")):
        r = khabar(*args, stdin=ARTICLE.encode("utf-8"))
        assert r.returncode == 0, r.stderr.decode()
        [a] = lines(r.stdout)
        assert a["id"] == "stdin" and a["text"] == ARTICLE


def test_output_file_same_as_stdout(txt: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    r = khabar("extract", str(MIXED), str(txt), "-o", str(out))
    assert r.returncode == 1
    assert r.stdout == b""
    assert out.read_bytes() == khabar("extract", str(MIXED), str(txt)).stdout


def test_workers_same_bytes_as_one(txt: Path, tmp_path: Path) -> None:
    many = tmp_path / "many.jsonl"
    many.write_text(MIXED.read_text(encoding="utf-8") * 20, encoding="utf-8")
    one = khabar("extract", str(many), str(txt), "--quiet")
    two = khabar("extract", str(many), str(txt), "--quiet", "--workers", "2")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and two.stderr == one.stderr
    assert one.stdout.count(b"\n") == 6 * 20 + 1


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n", encoding="utf-8")
    r = khabar("extract", str(p), str(blank))
    assert r.returncode == 1 and r.stdout == b""
    err = r.stderr.decode()
    assert "skipped empty:" in err and "skipped blank:" in err and "empty text" in err


def test_binary_file_skipped_others_processed(tmp_path: Path, txt: Path) -> None:
    p = tmp_path / "photo.txt"
    p.write_bytes(bytes(range(256)) * 40)
    r = khabar("extract", str(p), str(txt))
    assert r.returncode == 1
    assert [a["id"] for a in lines(r.stdout)] == ["budget-2015"]
    assert "skipped photo:" in r.stderr.decode() and "binary" in r.stderr.decode()


def test_windows_1256_decoded_with_warning(tmp_path: Path) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes(ARTICLE.encode("cp1256"))
    r = khabar("extract", str(p))
    assert r.returncode == 0, r.stderr.decode()
    [a] = lines(r.stdout)
    assert a["text"] == ARTICLE
    assert "warning:" in r.stderr.decode() and "Windows-1256" in r.stderr.decode()
    check_offsets(a)


@pytest.mark.parametrize("name,text", [
    ("english", "Oil prices rose 3% on Monday, traders said. \"We expect more,\" one analyst said."),
    # Unbalanced and stray quote marks: analysed, never a crash, offsets still exact.
    ("quotes", "قال الوزير «إن الحكومة ستعلن الخطة الأسبوع المقبل.\n"
               "وأضاف: \"لن نتراجع. وتابع » إن الأمر محسوم».\n"
               "«« »» « “ ” ”"),
])
def test_analysed_as_is(name: str, text: str, tmp_path: Path) -> None:
    p = tmp_path / f"{name}.txt"
    p.write_text(text, encoding="utf-8")
    r = khabar("extract", str(p))
    assert r.returncode == 0, r.stderr.decode()
    [a] = lines(r.stdout)
    assert a["id"] == name and a["text"] == text
    check_offsets(a)


def test_no_arabic_and_weird_input_never_traceback(tmp_path: Path) -> None:
    p = tmp_path / "odd.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": 7, "text": "٣٫٥٪ " * 3}),  # numeric id, Eastern digits only
        json.dumps({"id": "rtl", "text": "\u200f\u202b«»\u202c\u200f"}),
        json.dumps({"id": "surrogate", "text": "قال \ud800 الوزير"}),  # not a character: skipped
        json.dumps({"id": "title", "title": "عنوان \udc00", "text": "قال الوزير."}),
        "",
        "   ",
    ]) + "\n", encoding="utf-8")
    r = khabar("extract", str(p))
    assert b"Traceback" not in r.stderr
    assert r.returncode == 1
    out = lines(r.stdout)
    assert [a["id"] for a in out] == ["7", "rtl", "title"]
    assert out[2]["title"] == "عنوان \udc00"  # written escaped, read back identical
    assert "skipped surrogate:" in r.stderr.decode() and "unpaired surrogate" in r.stderr.decode()


def test_ten_megabyte_article_skipped_by_default(tmp_path: Path, txt: Path) -> None:
    para = ARTICLE.replace("\n", " ") + "\n"
    text = para * (10_000_000 // len(para.encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) >= 10_000_000
    p = tmp_path / "huge.txt"
    p.write_text(text, encoding="utf-8")
    r = khabar("extract", str(p), str(txt), "--quiet", timeout=120)
    assert r.returncode == 1
    assert [a["id"] for a in lines(r.stdout)] == ["budget-2015"]  # the next article is still analysed
    err = r.stderr.decode()
    assert f"skipped huge: huge: {len(text):,} characters, more than the limit of 1,000,000" in err
    assert "--max-chars" in err and "Traceback" not in err


def test_max_chars(txt: Path) -> None:
    skipped = khabar("extract", str(txt), "--max-chars", str(len(ARTICLE) - 1))
    assert skipped.returncode == 1 and skipped.stdout == b"" and "more than the limit" in skipped.stderr.decode()
    exact = khabar("extract", str(txt), "--max-chars", str(len(ARTICLE)))
    unlimited = khabar("extract", str(txt), "--max-chars", "0")
    assert exact.returncode == unlimited.returncode == 0
    assert exact.stdout == unlimited.stdout and lines(exact.stdout)[0]["text"] == ARTICLE


@pytest.mark.slow
def test_long_article_analysed(tmp_path: Path) -> None:
    # Several times the longest SaudiNewsNet article (33,687 characters), still analysed
    # within the default limit, offsets exact.
    para = ARTICLE.replace("\n", " ") + "\n"
    text = para * (200_000 // len(para) + 1)
    p = tmp_path / "long.txt"
    p.write_text(text, encoding="utf-8")
    r = khabar("extract", str(p), "--quiet", timeout=600)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    [a] = lines(r.stdout)
    assert a["text"] == text and len(a["paragraphs"]) == text.count("\n")
    check_offsets(a)


@pytest.mark.parametrize("args,message", [
    (("--workers", "0"), "Invalid value for '--workers'"),
    (("--workers", "many"), "Invalid value for '--workers'"),
    (("--frobnicate",), "No such option"),
    (("--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"), "cannot be combined"),
    (("--scheduler", "nonsense"), "not a scheduler address"),
    (("--shard-size", "10"), "--shard-size writes a directory"),
    (("--shard-size", "0", "-o", "out"), "Invalid value for '--shard-size'"),
    (("--max-chars", "-5"), "Invalid value for '--max-chars'"),
])
def test_bad_usage_exit_2(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    r = khabar("extract", str(MIXED), *args, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == b""
    err = r.stderr.decode()
    assert message in err and "Traceback" not in err


def test_unwritable_output_exit_2(tmp_path: Path) -> None:
    r = khabar("extract", str(MIXED), "-o", str(tmp_path / "no" / "such" / "dir" / "out.jsonl"))
    assert r.returncode == 2 and "cannot write" in r.stderr.decode() and b"Traceback" not in r.stderr


def test_missing_input_named_exit_1(tmp_path: Path, txt: Path) -> None:
    r = khabar("extract", str(tmp_path / "nope.txt"), str(txt))
    assert r.returncode == 1
    assert len(lines(r.stdout)) == 1
    assert "no such file" in r.stderr.decode()


def test_quiet_and_non_terminal_keep_stderr_free_of_progress(txt: Path) -> None:
    loud = khabar("extract", str(txt))
    quiet = khabar("extract", str(txt), "--quiet")
    assert loud.stdout == quiet.stdout
    assert quiet.stderr == b""
    # Not a terminal: one summary line, no bar redraws.
    assert loud.stderr.count(b"\n") == 1 and b"\r" not in loud.stderr and b"words/s" in loud.stderr


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    many = tmp_path / "many.jsonl"
    many.write_text(MIXED.read_text(encoding="utf-8") * 200, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "khabar.cli.main", "extract", "--quiet", str(many)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    first = p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    err = p.stderr.read()
    p.wait(timeout=120)
    assert json.loads(first)["id"] == "a1"
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_streams_before_the_input_ends(txt: Path) -> None:
    """The first analysis is written while standard input is still open (no buffering of the corpus)."""
    src = MIXED.read_bytes()
    p = subprocess.Popen([sys.executable, "-m", "khabar.cli.main", "extract", "--quiet", str(txt), "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert p.stdout is not None and p.stdin is not None
    first = p.stdout.readline()  # would block forever if output were held until the end
    assert json.loads(first)["id"] == "budget-2015"
    p.stdin.write(src)
    p.stdin.close()
    rest = p.stdout.read()
    p.wait(timeout=120)
    assert rest.count(b"\n") == 1  # stdin is one plain-text article


def test_shards(tmp_path: Path) -> None:
    many = tmp_path / "many.jsonl"
    many.write_text(MIXED.read_text(encoding="utf-8") * 4, encoding="utf-8")  # 24 good articles
    whole = khabar("extract", str(many), "--quiet").stdout
    out = tmp_path / "shards"
    r = khabar("extract", str(many), "--quiet", "-o", str(out), "--shard-size", "10")
    assert r.returncode == 1 and r.stdout == b""
    parts = sorted(out.iterdir())
    assert [p.name for p in parts] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert [p.read_bytes().count(b"\n") for p in parts] == [10, 10, 4]
    assert b"".join(p.read_bytes() for p in parts) == whole
    again = khabar("extract", str(many), "--quiet", "-o", str(out), "--shard-size", "10")
    assert again.returncode == 2 and "already holds" in again.stderr.decode()


def test_help_documents_options() -> None:
    r = khabar("extract", "--help")
    assert r.returncode == 0
    for opt in ("--output", "--workers", "--scheduler", "--quiet", "--shard-size", "--max-chars"):
        assert opt in r.stdout.decode()


def test_progress_bar_goes_to_stderr_only(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from khabar.cli.progress import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with Progress(enabled=True, total_fn=lambda: 3) as prog:
        assert prog.enabled
        for _ in range(3):
            prog.advance(100)
        prog.log("warning: something")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "warning: something" in captured.err and "3/3" in captured.err
    assert prog.words == 300 and "300 words" in prog.summary()
    with Progress(enabled=False, total_fn=lambda: pytest.fail("must not count when quiet")) as p2:
        p2.advance(1)
    assert capsys.readouterr().err == ""


def test_environment_locale_does_not_matter(txt: Path) -> None:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    r = subprocess.run([sys.executable, "-m", "khabar.cli.main", "extract", str(txt)],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert lines(r.stdout)[0]["text"] == ARTICLE


def test_unknown_ner_mode_is_a_usage_error(txt: Path) -> None:
    env = {**os.environ, "KHABAR_NER": "bert"}
    r = subprocess.run([sys.executable, "-m", "khabar.cli.main", "extract", str(txt)],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stdout == b""
    err = r.stderr.decode()
    assert "KHABAR_NER" in err and "nn, crf, both" in err and "Traceback" not in err
