"""Errors with a code and a remedy, so that a message tells the user what to do."""
from __future__ import annotations


class KhabarError(Exception):
    """Base class. ``code`` is stable (for scripts); ``remedy`` says what to do."""

    code = "K000"

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        if self.remedy:
            return f"{self.message} ({self.remedy})"
        return self.message


class InputError(KhabarError):
    """An article or input file that cannot be read as Arabic news text."""

    code = "K100"


class ConfigError(KhabarError):
    """A pipeline or command was asked for something inconsistent."""

    code = "K200"


class ModelError(KhabarError):
    """A shipped model or lexicon is missing or broken."""

    code = "K300"


class StoreError(KhabarError):
    """The knowledge base cannot be opened, migrated or queried."""

    code = "K400"
