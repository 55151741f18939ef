"""``khabar serve``: the JSON API and the right-to-left pages (FastAPI + uvicorn)."""
from __future__ import annotations

import ipaddress
import sys

import click

from khabar.errors import KhabarError
from khabar.store.db import DEFAULT_DB


@click.command("serve")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="The SQLite knowledge base written by `khabar ingest`.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The default serves this machine only; 0.0.0.0 exposes it to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--time-limit", type=click.FloatRange(0.05, 60), default=2.0, show_default=True,
              help="Seconds a request's database query may run before it is stopped.")
def serve(db: str, host: str, port: int, time_limit: float) -> None:
    """Serve the JSON API (OpenAPI at /openapi.json, docs at /docs) and the Arabic web pages.

    The database is opened read-only: serving never changes it, and an ingest may run meanwhile.
    """
    try:
        import uvicorn

        from khabar.web.app import create_app
    except ImportError as e:
        click.echo(f"error: `khabar serve` needs {e.name} (pip install 'khabar[serve]')", err=True)
        sys.exit(2)
    try:
        app = create_app(db, time_limit=time_limit)
    except KhabarError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    if not _is_loopback(host):
        click.echo(f"warning: serving on {host}: other machines can read this knowledge base", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
