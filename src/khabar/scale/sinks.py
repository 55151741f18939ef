"""Where analyses go: one JSON Lines stream, or a directory of JSONL shards.

Both write UTF-8 whatever the locale, and flush after every line so that a consumer
(``| head``, ``tail -f``, a downstream job) sees each analysis as soon as it is ready
and a killed run leaves only whole lines behind.

Shards (``--shard-size N``) are for corpora too large for one file: ``part-00000.jsonl``,
``part-00001.jsonl``, ... each with N analyses, in input order. A shard is written
under a ``.tmp`` name and renamed when complete, so every ``part-*.jsonl`` present is
whole and can be loaded in parallel (``dask.bag.read_text("out/part-*.jsonl")``,
``pandas.read_json(lines=True)``, DuckDB's ``read_json_auto``).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from khabar.errors import ConfigError

SHARD_PATTERN = "part-{:05d}.jsonl"


def dumps(result: dict[str, Any]) -> bytes:
    """One analysis as a UTF-8 JSON line."""
    try:
        return (json.dumps(result, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (possible in JSON input: "\ud800") cannot be UTF-8: escape
        # everything for this one line; the JSON still decodes to the same strings.
        return (json.dumps(result, ensure_ascii=True) + "\n").encode("ascii")


class JsonlSink:
    """Standard output (``-``) or one file."""

    def __init__(self, out: str = "-") -> None:
        self.path = None if out == "-" else Path(out)
        self.count = 0
        self._fh: IO[bytes]
        if self.path is None:
            self._fh = sys.stdout.buffer
        else:
            try:
                self._fh = open(self.path, "wb")
            except OSError as e:
                raise ConfigError(f"cannot write {out}: {e.strerror}",
                                  "check that the folder exists and is writable") from None

    def write(self, result: dict[str, Any]) -> None:
        self._fh.write(dumps(result))
        self._fh.flush()
        self.count += 1

    def close(self) -> None:
        if self.path is None:
            self._fh.flush()
        else:
            self._fh.close()


class ShardedJsonlSink:
    """A directory of ``part-NNNNN.jsonl`` files with ``size`` analyses each."""

    def __init__(self, directory: str, size: int) -> None:
        if directory == "-":
            raise ConfigError("--shard-size writes a directory of files, not standard output",
                              "add -o DIRECTORY")
        if size < 1:
            raise ConfigError(f"--shard-size must be at least 1, got {size}")
        self.dir = Path(directory)
        self.size = size
        self.count = 0
        self.shards: list[Path] = []
        if self.dir.exists() and not self.dir.is_dir():
            raise ConfigError(f"{directory} is a file, but --shard-size needs a directory",
                              "give -o a new or empty directory")
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create {directory}: {e.strerror}", "check the path and permissions") from None
        if any(self.dir.glob("part-*.jsonl")):
            # Mixing shards of two runs would silently duplicate or lose articles.
            raise ConfigError(f"{directory} already holds part-*.jsonl shards",
                              "choose a new directory or remove the old shards")
        self._fh: IO[bytes] | None = None
        self._tmp: Path | None = None

    def write(self, result: dict[str, Any]) -> None:
        if self._fh is None:
            final = self.dir / SHARD_PATTERN.format(len(self.shards))
            self._tmp = final.with_name(final.name + ".tmp")
            self._fh = open(self._tmp, "wb")
            self.shards.append(final)
        self._fh.write(dumps(result))
        self._fh.flush()
        self.count += 1
        if self.count % self.size == 0:
            self._finish()

    def _finish(self) -> None:
        if self._fh is not None and self._tmp is not None:
            self._fh.close()
            os.replace(self._tmp, self.shards[-1])
            self._fh = self._tmp = None

    def close(self) -> None:
        self._finish()


def open_sink(out: str, shard_size: int | None) -> JsonlSink | ShardedJsonlSink:
    return ShardedJsonlSink(out, shard_size) if shard_size else JsonlSink(out)
