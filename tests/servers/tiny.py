"""Small real servers for fault tests: one that never answers, one that asks for Basic auth, and a
proxy that drops the connection after a number of requests. All on the loopback address, on free
ports, in threads of the test process, stopped when their ``with`` block ends.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs


@contextmanager
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)  # keep it open, say nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        listener.close()


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


@contextmanager
def basic_auth_sparql(user: str, password: str) -> Iterator[str]:
    """A minimal SPARQL endpoint at ``/sparql`` behind HTTP Basic auth: empty SELECTs, true ASKs.

    Yields the endpoint URL. Every request without the right credentials gets 401.
    """
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode())
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            query = form.get("query", [""])[0]
            doc = {"head": {}, "boolean": True} if "ASK" in query.upper() else {"head": {"vars": []}, "results": {"bindings": []}}
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with _serve(Handler) as base:
        yield base + "/sparql"


@contextmanager
def flaky_proxy(upstream: str, *, fail_after: int) -> Iterator[tuple[str, list[int]]]:
    """An HTTP proxy to ``upstream`` (scheme://host:port) that forwards ``fail_after`` requests and
    then drops every connection without an answer, as a lost network would.

    Yields the proxy's base URL and a one-item list counting the requests it saw.
    """
    seen = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def version_string(self) -> str:
            return getattr(self, "_upstream_server", "") or super().version_string()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with lock:
                seen[0] += 1
                number = seen[0]
            if number > fail_after:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
            request = urllib.request.Request(upstream + self.path, data=body, method="POST", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, reply, payload = response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                status, reply, payload = exc.code, exc.headers, exc.read()
            self._upstream_server = reply.get("Server", "")  # the client tells servers apart by it
            self.send_response(status)
            for key, value in reply.items():
                if key.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    with _serve(Handler) as base:
        yield base, seen
