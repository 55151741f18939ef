"""Bytes → text: UTF-8, BOM, UTF-16, Windows-1256 fallback, clear errors."""
from __future__ import annotations

import pytest

from khabar.errors import InputError
from khabar.text.decode import decode_bytes

ARABIC = "قال الوزير «نعم» في 2015.\n"


def test_utf8() -> None:
    d = decode_bytes(ARABIC.encode("utf-8"))
    assert (d.text, d.encoding, d.warning) == (ARABIC, "utf-8", None)


def test_utf8_with_bom_drops_the_bom() -> None:
    d = decode_bytes(b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    assert (d.text, d.encoding, d.warning) == (ARABIC, "utf-8-sig", None)


def test_utf16_with_bom() -> None:
    d = decode_bytes(ARABIC.encode("utf-16"))
    assert (d.text, d.encoding) == (ARABIC, "utf-16")


def test_windows_1256_fallback_warns() -> None:
    d = decode_bytes(ARABIC.encode("cp1256"), "old.txt")
    assert d.text == ARABIC and d.encoding == "cp1256"
    assert d.warning and "old.txt" in d.warning and "Windows-1256" in d.warning


def test_empty_input_is_empty_text() -> None:
    # Emptiness is an article-level decision (pipeline.analyze_record), not a decoding error.
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize("data, words", [
    (b"\x00\x01\x02PK\x03\x04" * 10, "binary"),
    (bytes(range(1, 9)) * 40, "binary"),
    (b"\xef\xbb\xbf\xff\xfe", "byte order mark"),
    ("سلام".encode("utf-8") + b"\x80\x81\x82\x83\x84\x85\x86", "not valid UTF-8"),
])
def test_undecodable_input_raises_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as ei:
        decode_bytes(data, "bad.txt")
    msg = str(ei.value)
    assert "bad.txt" in msg and words in msg
    assert ei.value.remedy  # every error says what to do


def test_text_without_arabic() -> None:
    assert decode_bytes(b"Just English text.\n").text == "Just English text.\n"
