"""Readers (txt, jsonl, html, feeds, warc) and writers."""
