"""Bytes → text. UTF-8 (with or without BOM), then Windows-1256 with a warning."""
from __future__ import annotations

from dataclasses import dataclass

from khabar.errors import InputError

_ARABIC_1256_RANGE = range(0xC1, 0xFF)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return len(sample) > 0 and ctrl / len(sample) > 0.05


def decode_bytes(data: bytes, name: str = "input") -> Decoded:
    """Decode an article's bytes; raise :class:`InputError` when it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return Decoded(data.decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: has a UTF-8 byte order mark but invalid UTF-8 at byte {e.start + 3}",
                             "re-save the file as UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: invalid UTF-16", "re-save the file as UTF-8") from None
    if _looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text", "give a UTF-8 text, JSONL or HTML file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    # Legacy Arabic Windows pages: accept only if most high bytes are in the Arabic letter block.
    high = [b for b in data if b >= 0x80]
    if high and sum(1 for b in high if b in _ARABIC_1256_RANGE) / len(high) > 0.6:
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(text, "cp1256", f"{name}: not UTF-8; decoded as Windows-1256")
    raise InputError(f"{name}: not valid UTF-8 (first bad byte at offset {first_bad}) and not Windows-1256",
                     "convert the file to UTF-8")
