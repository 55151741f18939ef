"""Placeholder: being written (returns nothing yet)."""
from __future__ import annotations

from khabar.document import Document


def extract_quotes(doc: Document) -> list:
    return []
