"""Entry point: ``khabar COMMAND``. Each command lives in its own module and is
registered here lazily, so that ``khabar --help`` stays fast."""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from khabar import __version__

# command name -> (module, attribute, one-line help shown by `khabar --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "extract": ("khabar.cli.extract", "extract", "Analyse articles into JSON Lines (quotes, entities, figures, dates)."),
    "ner-eval": ("khabar.cli.ner", "ner_eval", "Score the shipped NER model on a CoNLL file."),
    "ner-train": ("khabar.cli.ner", "ner_train", "Retrain the shipped NER model from ../shared/data."),
    "ingest": ("khabar.cli.store", "ingest", "Store articles and their analyses in the SQLite knowledge base."),
    "search": ("khabar.cli.store", "search", "Full-text search over articles and quotes (Arabic spelling folded)."),
    "quotes": ("khabar.cli.store", "quotes", "List stored quotations, optionally by speaker."),
    "entities": ("khabar.cli.store", "entities", "List stored entities with their name variants."),
    "stats": ("khabar.cli.store", "stats", "Counts of what the knowledge base holds."),
    "serve": ("khabar.cli.serve", "serve", "Serve the JSON API and the right-to-left web pages."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n in COMMANDS if self._available(n)]

    @staticmethod
    def _available(name: str) -> bool:
        mod = COMMANDS[name][0]
        return importlib.util.find_spec(mod) is not None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not self._available(cmd_name):
            return None
        mod, attr, _ = COMMANDS[cmd_name]
        cmd = getattr(importlib.import_module(mod), attr)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][2]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="khabar")
def cli() -> None:
    """khabar (خبر): Arabic news articles into structured, searchable knowledge.

    Every answer points back to the exact characters of the source.
    Run `khabar COMMAND --help` for the options of each command.
    """


def main(argv: list[str] | None = None) -> None:
    # The NER model's matrices are small (a sentence batch times 128): a second BLAS thread
    # only competes with the pipeline's own work, and a one-worker run should use one core.
    # Set before numpy is first imported; a user's explicit setting wins.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        cli.main(args=argv, prog_name="khabar", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
