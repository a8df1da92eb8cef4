"""A real HTTP server on 127.0.0.1 for scraper tests: routes are plain functions."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Request:
    """What the server saw: path and headers (lower-cased names)."""

    path: str
    headers: dict[str, str]


Route = Callable[["Handler"], None]


@dataclass
class Server:
    """A running server: its base URL, its routes and the requests it has seen."""

    base: str
    routes: dict[str, Route]
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


class Handler(http.server.BaseHTTPRequestHandler):
    server_state: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server_state.requests.append(
            Request(self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        route = self.server_state.routes.get(path)
        if route is None:
            self.reply(404, b"not here", "text/plain")
        else:
            # The client may hang up, as it should for huge bodies.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)

    def reply(self, status: int, body: bytes, content_type: str | None = "text/html",
              headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def not_modified(self, headers: dict[str, str] | None = None) -> None:
        """A bodiless 304 answer to a conditional request."""
        self.send_response(304)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def drip(h: Handler) -> None:
    """A route whose body never ends: a byte every 50 ms, well inside any read timeout.
    It stops when the client hangs up (or after two minutes, far past any test)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(2400):
        h.wfile.write(b"x")
        time.sleep(0.05)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Server]:
    """Run a threaded server with ``routes`` on a free loopback port."""
    state = Server("", routes)
    handler = type("BoundHandler", (Handler,), {"server_state": state})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
