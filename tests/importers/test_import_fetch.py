"""``--fetch ENDPOINT``: the one way the importers reach the network, tried on a local server.

A small HTTP server on 127.0.0.1, started by the test, plays the SPARQL endpoint: it records
each request and answers with the saved results file (``wikidata_p190.json``), with a delay, or
with an HTTP error. The real Wikidata Query Service is never contacted.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import sistercity_kg as sck
from sistercity_kg.cli import main
from sistercity_kg.errors import LoadError
from sistercity_kg.importers.wikidata import fetch_wikidata

HERE = Path(__file__).resolve().parent
RESULTS = (HERE / "wikidata_p190.json").read_bytes()


class _Endpoint(BaseHTTPRequestHandler):
    requests: list[dict[str, object]] = []
    mode = "ok"

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        type(self).requests.append({"path": self.path, "headers": dict(self.headers),
                                    "query": urllib.parse.parse_qs(body).get("query", [""])[0]})
        if self.mode == "slow":
            time.sleep(1.5)
        if self.mode == "error":
            self.send_response(503, "Service Unavailable")
            self.end_headers()
            return
        payload = RESULTS if self.mode != "html" else b"<html>not sparql</html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture()
def endpoint() -> Iterator[str]:
    _Endpoint.requests = []
    _Endpoint.mode = "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_sends_the_p190_query_and_saves_the_answer(endpoint: str, tmp_path: Path) -> None:
    saved = fetch_wikidata(endpoint, tmp_path / "p190.json", items=["Q10389", "Q8684", "Q1726"], timeout=5)
    assert saved.read_bytes() == RESULTS
    [request] = _Endpoint.requests
    assert request["path"] == "/sparql"
    headers = request["headers"]
    assert headers["Accept"] == "application/sparql-results+json"  # type: ignore[index]
    assert headers["User-Agent"].startswith("sistercity-kg/")  # type: ignore[index]
    query = str(request["query"])
    assert "VALUES ?item { wd:Q10389 wd:Q8684 wd:Q1726 }" in query and "p:P190" in query and "pqv:P582" in query
    kg = sck.load()
    assert kg.import_wikidata(saved).rows == 5


@pytest.mark.parametrize(("mode", "message"), [
    ("slow", r"no answer within 0.3 s"),
    ("error", r"HTTP 503"),
    ("html", r"not JSON"),
])
def test_fetch_failures_are_load_errors_and_write_nothing(
    endpoint: str, tmp_path: Path, mode: str, message: str
) -> None:
    _Endpoint.mode = mode
    with pytest.raises(LoadError, match=message):
        fetch_wikidata(endpoint, tmp_path / "p190.json", timeout=0.3)
    assert list(tmp_path.iterdir()) == []


def test_cli_fetch_imports_the_answer_and_reconciles(endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save = tmp_path / "p190.json"
    assert main(["reconcile", "--fetch", endpoint, "--save", str(save), "--timeout", "5", "--quiet",
                 "--format", "markdown"]) == 0
    assert save.read_bytes() == RESULTS and len(_Endpoint.requests) == 1
    assert capsys.readouterr().out.startswith("# Reconciliation: 3 pairs, 0 conflicts")


def test_items_must_be_wikidata_ids(endpoint: str, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="Q10389"):
        fetch_wikidata(endpoint, tmp_path / "p190.json", items=["Bandung"])
    assert _Endpoint.requests == []
