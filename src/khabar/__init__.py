"""khabar: Arabic news articles into structured, searchable knowledge.

Library first: ``khabar.analyze(text)`` returns a :class:`~khabar.document.Document`
whose layers (paragraphs, sentences, entities, quotes, figures, dates) all carry
character offsets into the untouched original text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from khabar.document import Document


def analyze(text: str, doc_id: str = "doc", **meta: Any) -> "Document":
    """Run the default pipeline on one article and return its Document."""
    # Imported here so that `import khabar` stays cheap (no lexicons, no model).
    from khabar.pipeline import default_pipeline

    return default_pipeline().analyze(text, doc_id=doc_id, **meta)


__all__ = ["analyze", "__version__"]
