"""A local preview server for ``site/``: pretty URLs, the site's 404 page, loopback only."""

from __future__ import annotations

import contextlib
import functools
import http.server
from collections.abc import Callable
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path: str | bytes) -> None:  # type: ignore[override]
        self.send_error(404)  # a folder without index.html is a missing page, as on a host


def make_server(directory: Path, port: int, tries: int = 20) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1, on ``port`` or the next free one."""
    handler = functools.partial(_Handler, directory=str(directory))
    for candidate in range(port, port + tries):
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError:
            continue
    raise OSError(f"no free port in {port}–{port + tries - 1}")


def serve_site(directory: Path, port: int, announce: Callable[[str], None]) -> None:
    """Serve ``directory`` until interrupted."""
    with make_server(directory, port) as server:
        announce(f"http://127.0.0.1:{server.server_address[1]}/")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
