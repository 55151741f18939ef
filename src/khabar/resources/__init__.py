"""Lexicons shipped as data files, loaded lazily with importlib.resources.

File format for ``*.txt``: one entry per line, ``#`` starts a comment, blank lines
are ignored; columns (when a lexicon has them) are separated by a TAB.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from khabar.errors import ModelError


@lru_cache(maxsize=None)
def read_text(name: str) -> str:
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"lexicon {name!r} is missing from the khabar package",
                         "reinstall khabar (pip install -e .) so that its data files are present") from None


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Non-comment, non-blank lines of a lexicon, stripped."""
    out = []
    for line in read_text(name).splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=None)
def load_columns(name: str) -> tuple[tuple[str, ...], ...]:
    """Lines split on TAB."""
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in load_lines(name))
