"""Real SPARQL servers for the tests: Oxigraph server and Virtuoso 7.2, started once per test run.

Each listens on the loopback address only, on a free port chosen at run time, keeps its data in a
temporary folder, and is stopped by its process id when the session ends (also when a test fails).
When a server cannot be started here, the tests that need it are skipped with the reason.

- Oxigraph server comes with the PyPI package ``oxigraph`` (in the ``test`` extra).
- Virtuoso comes from Debian's ``virtuoso-opensource-7-bin`` (``.ci/run`` installs it); it is
  started by ``virtuoso-up.sh`` beside this file and stopped by ``virtuoso-down.sh``.

The fixtures are imported into ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
#: The row limit the test Virtuoso is given (raised from the stock 10,000; a test goes past it).
VIRTUOSO_MAX_ROWS = 20000
#: Graph IRIs the server tests write outside the knowledge graph's own namespace.
TEST_GRAPHS = "https://example.org/sistercity-kg-tests/"


@dataclass
class Server:
    """A running SPARQL server and how to reach it."""

    name: str
    query: str
    update: str
    graph_store: str | None
    pid: int
    auth: tuple[str, str] | None = field(default=None, repr=False)
    max_rows: int | None = None

    def connect_options(self) -> dict[str, object]:
        """Keyword arguments for ``sistercity_kg.connect`` (without the query endpoint)."""
        return {"update_endpoint": self.update, "auth": self.auth, "timeout": 30.0}


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001 - not up yet
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process we started, by its PID: SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` server binary of the PyPI package, if installed."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, *, attempts: int = 3) -> tuple[subprocess.Popen[bytes], Server]:
    """Start ``oxigraph serve`` on a free loopback port; the caller stops the process.

    Raises
    ------
    RuntimeError
        If the binary is missing or the server does not answer within 20 s.
    """
    exe = oxigraph_executable()
    if exe is None:
        raise RuntimeError("the Oxigraph server is not installed (pip install oxigraph, part of the test extra)")
    log = folder / "oxigraph.log"
    for _ in range(attempts):  # another process may take the free port before the server binds it
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [exe, "serve", "--bind", f"127.0.0.1:{port}", "--location", str(folder / "data")],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            if _answers(base + "/query"):
                server = Server("oxigraph", base + "/query", base + "/update", base + "/store", proc.pid)
                return proc, server
            time.sleep(0.05)
        _stop(proc)
    tail = log.read_text(errors="replace")[-500:]
    raise RuntimeError(f"the Oxigraph server did not start: {tail}")


def start_virtuoso(folder: Path, *, max_rows: int = VIRTUOSO_MAX_ROWS) -> Server:
    """Start Virtuoso with ``virtuoso-up.sh`` on free loopback ports; stop it with :func:`stop_virtuoso`.

    Raises
    ------
    RuntimeError
        If ``virtuoso-t`` is not installed or the server does not start.
    """
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin; .ci/run does it)")
    env = dict(
        os.environ,
        VIRTUOSO_DIR=str(folder),
        VIRTUOSO_HTTP_PORT=str(free_port()),
        VIRTUOSO_SQL_PORT=str(free_port()),
        VIRTUOSO_MAX_ROWS=str(max_rows),
        VIRTUOSO_INSTALL="0",
    )
    done = subprocess.run(
        ["bash", str(HERE / "virtuoso-up.sh")], env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        stop_virtuoso(folder)
        raise RuntimeError(f"Virtuoso did not start: {done.stderr.strip()[-500:]}")
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return Server(
        "virtuoso",
        values["VIRTUOSO_SPARQL"],
        values["VIRTUOSO_SPARQL_AUTH"],
        values["VIRTUOSO_GSP_AUTH"],
        int(values["VIRTUOSO_PID"]),
        auth=(values["VIRTUOSO_USER"], values["VIRTUOSO_PASSWORD"]),
        max_rows=max_rows,
    )


def stop_virtuoso(folder: Path) -> None:
    """Stop the Virtuoso of ``folder`` by the PID its start recorded."""
    env = dict(os.environ, VIRTUOSO_DIR=str(folder))
    subprocess.run(["bash", str(HERE / "virtuoso-down.sh")], env=env, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server (``oxigraph serve``) on a free loopback port, for the whole session."""
    folder = tmp_path_factory.mktemp("oxigraph-server")
    try:
        proc, server = start_oxigraph(folder)
    except RuntimeError as exc:
        pytest.skip(f"Oxigraph server unavailable: {exc}")
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Virtuoso 7.2 on free loopback ports, with an update user (Digest auth), for the whole session."""
    folder = tmp_path_factory.mktemp("virtuoso-server")
    try:
        server = start_virtuoso(folder)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        stop_virtuoso(folder)
        pytest.skip(f"Virtuoso unavailable: {exc}")
    try:
        yield server
    finally:
        stop_virtuoso(folder)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sparql_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """Each real server in turn, with the test's graphs dropped before and after the test."""
    server: Server = request.getfixturevalue(f"{request.param}_server")
    wipe(server)
    yield server
    wipe(server)


def wipe(server: Server) -> None:
    """Drop every graph the tests write: the knowledge graph's namespace, test graphs, temporary graphs."""
    from sistercity_kg.namespaces import SCKG
    from sistercity_kg.stores.base import TMP_GRAPH_PREFIX
    from sistercity_kg.stores.remote import RemoteStore

    store = RemoteStore(server.query, update_endpoint=server.update, auth=server.auth, timeout=30)
    prefixes = (str(SCKG), TEST_GRAPHS, TMP_GRAPH_PREFIX)
    filters = " || ".join(f'STRSTARTS(STR(?g), "{p}")' for p in prefixes)
    rows = store._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({filters}) }}")
    if rows:
        store._update(" ;\n".join(f"DROP SILENT GRAPH <{row['g']}>" for row in rows))
