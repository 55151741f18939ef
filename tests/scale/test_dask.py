"""A real Dask cluster (one `dask scheduler` and two `dask worker` processes on the
loopback interface) gives byte-for-byte the output of a local run."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from khabar.errors import ConfigError

pytest.importorskip("distributed", reason="Dask distributed is not installed (pip install 'khabar[scale]')")

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "scale"
MIXED = FIX / "mixed.jsonl"
SEED = Path(__file__).resolve().parents[2] / "examples" / "seed-libya-2017.txt"


def _khabar(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar.cli.main", *args], capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("dask", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the `dask` command is not installed next to this Python")
    tmp = tmp_path_factory.mktemp("dask")
    sched_file = tmp / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs: list[subprocess.Popen[bytes]] = []
    logs = []

    def start(args: list[str], name: str) -> None:
        log = open(tmp / f"{name}.log", "wb")
        logs.append(log)
        # A new session, so that the test can stop the process and everything it started.
        procs.append(subprocess.Popen([dask, *args], stdout=log, stderr=subprocess.STDOUT, env=env,
                                      start_new_session=True))

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(sched_file)], "scheduler")
        address = _wait_for_address(sched_file)
        for i in range(2):
            start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                   "--no-dashboard", "--name", f"w{i}"], f"worker{i}")
        _wait_for_workers(address, 2)
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        for log in logs:
            log.close()


def _wait_for_address(sched_file: Path, timeout: float = 60) -> str:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if sched_file.exists():
            try:
                return str(json.loads(sched_file.read_text())["address"])
            except (ValueError, KeyError):
                pass  # being written
        time.sleep(0.2)
    pytest.fail("the Dask scheduler did not start within 60 s")


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as c:
        c.wait_for_workers(n, timeout=60)
        assert all(h.startswith("tcp://127.0.0.1:") for h in c.scheduler_info()["workers"])


@pytest.mark.slow
def test_dask_output_identical_to_local(cluster: str, tmp_path: Path) -> None:
    # Several files, bad articles included, and enough articles for several batches.
    big = tmp_path / "many.jsonl"
    lines = MIXED.read_text(encoding="utf-8").splitlines()
    big.write_text("\n".join(lines * 30) + "\n", encoding="utf-8")
    inputs = [str(MIXED), str(big)] + ([str(SEED)] if SEED.exists() else [])

    from khabar.scale.runner import build_fingerprint

    # Other people may be editing this checkout: if the code changed between the two
    # runs, the comparison is meaningless, so run both again (once).
    for _ in range(2):
        before = build_fingerprint.__wrapped__()
        local = _khabar("extract", "--quiet", *inputs)
        remote = _khabar("extract", "--quiet", "--scheduler", cluster, *inputs)
        if build_fingerprint.__wrapped__() == before:
            break
    assert local.returncode == 1, local.stderr.decode()  # the fixture has bad articles
    assert remote.returncode == local.returncode, remote.stderr.decode()
    assert remote.stdout == local.stdout
    assert remote.stderr == local.stderr  # same skipped articles, same reasons
    assert local.stdout.count(b"\n") == 6 * 31 + (1 if SEED.exists() else 0)
    assert b"Traceback" not in remote.stderr


@pytest.mark.slow
def test_dask_runner_library_matches_local(cluster: str) -> None:
    from khabar.io.readers import iter_articles
    from khabar.scale import runner
    from khabar.scale.dask_runner import run_dask

    items = list(iter_articles([str(MIXED)])) * 4
    local = [(o.id, o.result, o.error, o.words) for o in runner.run(items)]
    remote = [(o.id, o.result, o.error, o.words) for o in run_dask(items, cluster, window=2)]
    assert remote == local


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_scheduler_is_a_clear_config_error() -> None:
    from khabar.scale.dask_runner import run_dask

    addr = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    with pytest.raises(ConfigError) as e:
        next(iter(run_dask([], addr)))
    assert "cannot reach the Dask scheduler" in str(e.value) and "dask scheduler" in (e.value.remedy or "")
    assert time.monotonic() - t0 < 5  # fails at once, not after Dask's connection retries


@pytest.mark.parametrize("addr", ["nonsense", "tcp://", "tcp://127.0.0.1:notaport"])
def test_malformed_scheduler_address(addr: str) -> None:
    from khabar.scale.dask_runner import connect

    with pytest.raises(ConfigError) as e:
        connect(addr)
    assert "tcp://HOST:PORT" in str(e.value)


def test_not_a_dask_scheduler() -> None:
    # Something listens on the port but speaks another protocol.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    import threading

    def answer() -> None:
        conn, _ = srv.accept()
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 4)
        conn.close()

    threading.Thread(target=answer, daemon=True).start()
    from khabar.scale import dask_runner

    try:
        with pytest.raises(ConfigError):
            dask_runner.connect(f"tcp://127.0.0.1:{port}")
    finally:
        srv.close()


def test_missing_dask_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    from khabar.scale.dask_runner import connect

    with pytest.raises(ConfigError) as e:
        connect("tcp://127.0.0.1:8786")
    assert "khabar[scale]" in str(e.value)


def test_cli_unreachable_scheduler_exits_2_without_traceback(tmp_path: Path) -> None:
    r = _khabar("extract", "--scheduler", f"tcp://127.0.0.1:{_free_port()}", str(MIXED))
    assert r.returncode == 2
    assert r.stdout == b""
    err = r.stderr.decode()
    assert err.startswith("error: cannot reach the Dask scheduler") and "Traceback" not in err
