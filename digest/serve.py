"""A local preview server for ``site/``: pretty URLs, the site's 404 page, loopback only.

The site is mounted at the path of ``base_url`` (``/digest/`` for a GitHub project
page), so the root-relative links in the pages work as they will when published.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
from collections.abc import Callable
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    mount = "/"

    def __init__(self, *args: object, mount: str, **kwargs: object) -> None:
        self.mount = mount
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        if self.path in ("/", "") and self.mount != "/":
            self.send_response(302)
            self.send_header("Location", self.mount)
            self.end_headers()
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if path.startswith(self.mount):
            return super().translate_path("/" + path[len(self.mount) :])
        if path == "/robots.txt":  # crawlers look at the host's root, as they would on a host
            return super().translate_path(path)
        return str(Path(self.directory) / "404.html" / "outside-the-mount")  # never a file

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

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the terminal is for build messages


def make_server(
    directory: Path, port: int, mount: str = "/", tries: int = 20
) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` at path ``mount`` on 127.0.0.1, on ``port`` or the next free."""
    handler = functools.partial(_Handler, directory=str(directory), mount=mount)
    for candidate in range(port, port + tries):
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError:
            continue
    raise OSError(f"no free port in {port}–{port + tries - 1}")


def serve_site(directory: Path, port: int, mount: str, announce: Callable[[str], None]) -> None:
    """Serve ``directory`` at ``mount`` until interrupted."""
    with make_server(directory, port, mount) as server:
        announce(f"http://127.0.0.1:{server.server_address[1]}{mount}")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
