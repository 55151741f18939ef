"""Run the per-article function on an existing Dask distributed cluster.

The same :func:`khabar.scale.runner.process_batch` that the local pool runs is
submitted to the cluster, batches are consumed in submission order by the shared
:func:`~khabar.scale.runner.ordered_window`, so the output is identical to a local
run. At most ``window`` batches are in flight (about two per worker thread): the
client never holds more than that in memory, whatever the corpus size, and the
cluster is never flooded with a million pending tasks.

The article texts travel from this process to the workers; the workers only need
the same khabar version installed (``pip install 'khabar[scale]'``), not the input
files.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from khabar.errors import ConfigError
from khabar.io.readers import Item
from khabar.scale.runner import Outcome, Result, build_fingerprint, ordered_window, process_batch, warm_up

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client, Future

# Batches in flight per worker thread (see module docstring).
IN_FLIGHT_PER_THREAD = 2
_INSTALL = "pip install 'khabar[scale]'"


def _seconds(var: str, default: float) -> float:
    """A timeout from the environment (read when connecting, not at import)."""
    raw = os.environ.get(var)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"{var}={raw!r} is not a number of seconds", f"unset it or give e.g. {var}={default:g}")
    return value


def connect(address: str) -> "Client":
    """A client for the scheduler at ``address``, or :class:`ConfigError` saying what to do."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--scheduler needs Dask distributed, which is not installed",
                          f"install it with {_INSTALL}") from None
    timeout = _seconds("KHABAR_DASK_TIMEOUT", 10)
    _preflight(address, timeout)
    # distributed logs every failed connection attempt at WARNING/ERROR level; our own
    # message below is clearer, so keep its retries quiet while connecting.
    log = logging.getLogger("distributed")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address!r} ({type(e).__name__}: {e})",
            "start one with `dask scheduler` and give its address as --scheduler tcp://HOST:8786; "
            "check the host, the port and the firewall") from None
    finally:
        log.setLevel(level)


def _preflight(address: str, timeout: float) -> None:
    """Ask a TCP scheduler who it is before building a Client.

    Why: a Client whose connection fails is left half-built, and its finalizer later
    blocks the exit for 20 s and prints a traceback; a bare RPC call fails fast and
    cleanly. Other schemes (tls:// needs security settings, ucx://) are left to Dask.
    """
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    try:
        scheme, loc = parse_address(address)
        if scheme != "tcp":
            return
        host, port = parse_host_port(loc)
    except ValueError as e:
        raise ConfigError(f"--scheduler {address!r} is not a scheduler address ({e})",
                          "write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786") from None
    try:
        # A plain socket first: it fails at once on a refused port or an unknown host,
        # where Dask would retry until its timeout.
        with socket.create_connection((host, port), timeout=timeout):
            pass
        if _in_event_loop():
            return  # e.g. a notebook: asyncio.run is not allowed there; the Client checks the rest
        ident = asyncio.run(_identity(address, timeout))
    # MemoryError: something that is not a Dask scheduler answered and its first bytes
    # were read as a (huge) message length.
    except (OSError, TimeoutError, ValueError, TypeError, MemoryError) as e:
        if isinstance(e, MemoryError):
            reason = "something answered on that port, but not a Dask scheduler"
        else:
            reason = getattr(e, "strerror", None) or f"{type(e).__name__}: {e}"
        raise ConfigError(f"cannot reach the Dask scheduler at {address} ({reason})",
                          "start one with `dask scheduler` and give its address as --scheduler tcp://HOST:8786; "
                          "check the host, the port and the firewall") from None
    if not isinstance(ident, dict) or ident.get("type") != "Scheduler":
        raise ConfigError(f"{address} answers but is not a Dask scheduler",
                          "give the address the `dask scheduler` command printed (port 8786 by default)")


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _identity(address: str, timeout: float) -> Any:
    from distributed.core import rpc

    async with rpc(address, timeout=timeout) as r:
        return await asyncio.wait_for(r.identity(), timeout)


def _prepare(client: "Client", address: str) -> int:
    """Wait for workers, load the pipeline once on each, check builds; return the thread count."""
    try:
        client.wait_for_workers(1, timeout=_seconds("KHABAR_DASK_WORKERS_TIMEOUT", 30))
    except TimeoutError:
        raise ConfigError(f"the Dask scheduler at {address} has no workers",
                          f"start some with `dask worker {address} --nthreads 1`") from None
    # Run warm_up on every worker: it loads lexicons and models once per worker process
    # and returns the worker's build fingerprint. A worker without khabar fails to
    # unpickle the function and returns the exception instead.
    mine = build_fingerprint()
    answers: dict[str, Any] = client.run(warm_up, on_error="return")
    for worker, ans in sorted(answers.items()):
        if isinstance(ans, BaseException):
            raise ConfigError(f"Dask worker {worker} cannot run khabar ({type(ans).__name__}: {ans})",
                              f"install the same khabar on every worker machine ({_INSTALL})")
        if ans != mine:
            raise ConfigError(f"Dask worker {worker} runs khabar build {ans}, this client runs {mine}",
                              "install the same khabar on every machine and restart the workers "
                              "(a worker keeps the code it loaded first), so that output is identical")
    return max(1, sum(client.nthreads().values()))


def run_dask(items: Iterable[Item], scheduler_address: str, window: int | None = None) -> Iterator[Outcome]:
    """Outcomes in input order, computed on the cluster at ``scheduler_address``."""
    client = connect(scheduler_address)
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        threads = _prepare(client, scheduler_address)
        window = window or threads * IN_FLIGHT_PER_THREAD

        def submit(recs: list[dict[str, Any]]) -> "Future":
            # pure=False: two identical batches are still two tasks (no key collision).
            return client.submit(process_batch, recs, pure=False)

        def wait(fut: "Future") -> list[Result]:
            try:
                return fut.result()
            except (KilledWorker, CancelledError, OSError) as e:
                raise ConfigError(f"the Dask cluster at {scheduler_address} lost a task "
                                  f"({type(e).__name__}: {e})",
                                  "check the scheduler and worker logs (a worker out of memory?) "
                                  "and run again") from None
            finally:
                fut.release()  # let the cluster forget the result right away

        yield from ordered_window(items, submit, wait, window)
    finally:
        client.close()
