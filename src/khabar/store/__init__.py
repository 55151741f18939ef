"""The knowledge base: SQLite schema with numbered migrations (migrations.py), crash-safe
ingest (ingest.py), entities across articles (entities.py), FTS5 search over the folded
text (fts.py) and the read queries used by the CLI and the web layer (queries.py)."""
