"""The preview server: ``site`` on 127.0.0.1, rebuilt on every save, reloaded in the browser.

The site is mounted at the path of ``base_url`` (``/digest/`` for a GitHub project
page), so root-relative links work as they will when published. HTML responses get a
small live-reload script (Server-Sent Events from ``/__digest/events``) and, while the
last rebuild failed, a banner with the error; both are added as pages are served, so no
built file ever contains them. The last good site stays up while a build is broken.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from digest.errors import DigestError

EVENTS = "/__digest/events"
RELOAD_SCRIPT = f"""<script>
(function () {{
  var seen = null, source = new EventSource("{EVENTS}");
  source.onmessage = function (e) {{
    if (seen === null) {{ seen = e.data; }} else if (e.data !== seen) {{ location.reload(); }}
  }};
}})();
</script>"""
BANNER = (
    '<div id="digest-build-error" role="alert" style="position:fixed;left:0;right:0;bottom:0;'
    "z-index:9999;max-height:50vh;overflow:auto;margin:0;padding:1rem 1.25rem;"
    "background:#b4232a;color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;"
    'white-space:pre-wrap">构建失败（修好后保存，页面会自动刷新）：\n{}</div>'
)


class Preview:
    """What the server shows: a build generation number and the last build error."""

    def __init__(self) -> None:
        self.generation = 0
        self.error: str | None = None
        self.changed = threading.Condition()

    def publish(self, error: str | None) -> None:
        """A build finished (``error`` is None when it succeeded): tell every open tab."""
        with self.changed:
            self.error = error
            self.generation += 1
            self.changed.notify_all()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: object, mount: str, preview: Preview | None, **kwargs: object):
        self.mount = mount
        self.preview = preview
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/", "") and self.mount != "/":
            self.send_response(302)
            self.send_header("Location", self.mount)
            self.end_headers()
            return
        if self.preview is not None and path == EVENTS:
            self._events(self.preview)
            return
        page = Path(self.translate_path(path))
        if page.is_dir():
            page = page / "index.html"
        if self.preview is not None and page.suffix == ".html" and page.is_file():
            self._send_html(200, page.read_bytes())
            return
        if self.preview is not None and self.preview.error and not page.exists():
            self._send_html(500, b"<!doctype html><title>build failed</title><body></body>")
            return
        super().do_GET()

    def _send_html(self, status: int, body: bytes) -> None:
        if self.preview is not None:
            extra = RELOAD_SCRIPT
            if self.preview.error:
                extra = BANNER.format(html.escape(self.preview.error)) + extra
            text = body.decode("utf-8", "replace")
            cut = text.rfind("</body>")
            text = text[:cut] + extra + text[cut:] if cut >= 0 else text + extra
            body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self, preview: Preview) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1

        def news() -> bool:
            return preview.generation != seen

        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while True:
                with preview.changed:
                    preview.changed.wait_for(news, timeout=15)
                    current = preview.generation
                if current != seen:
                    self.wfile.write(f"data: {current}\n\n".encode())
                    seen = current
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()

    def translate_path(self, path: str) -> str:
        if path.startswith(self.mount):
            return super().translate_path("/" + path[len(self.mount) :])
        if path == "/robots.txt":  # crawlers look at the host's root, as they would on a host
            return super().translate_path(path)
        return str(Path(self.directory) / "404.html" / "outside-the-mount")  # never a file

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            self._send_html(404, page.read_bytes())  # injects nothing outside preview mode
            return
        super().send_error(code, message, explain)

    def list_directory(self, path: str | bytes) -> None:  # type: ignore[override]
        self.send_error(404)  # a folder without index.html is a missing page, as on a host

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the terminal is for build messages


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive


def make_server(
    directory: Path, port: int, mount: str = "/", tries: int = 20, preview: Preview | None = None
) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` at path ``mount`` on 127.0.0.1, on ``port`` or the next free."""
    handler = functools.partial(_Handler, directory=str(directory), mount=mount, preview=preview)
    last = min(port + tries - 1, 65535)
    for candidate in range(port, last + 1):
        try:
            return _Server(("127.0.0.1", candidate), handler)
        except OSError:
            continue
    raise DigestError(f"no free port in {port}–{last}: stop what uses them, or --port another")


def watch_and_serve(
    directory: Path,
    port: int,
    mount: str,
    watched: list[Path],
    rebuild: Callable[[], str | None],
    announce: Callable[[str], None],
) -> None:
    """Serve ``directory``; run ``rebuild`` (which returns an error or None) on every change
    under ``watched`` (those that exist: a project need not have ``templates/``) until
    interrupted. Its first run comes before any thread is started (the build at start may
    fork)."""
    import watchfiles

    watched = [path for path in watched if path.exists()]  # watchfiles refuses a missing one

    preview = Preview()
    preview.publish(rebuild())
    stop = threading.Event()
    with make_server(directory, port, mount, preview=preview) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}{mount}"
        try:
            # An empty batch every 200 ms means the watcher is running: only then is the
            # URL announced, so no save made after the announcement can be missed.
            for changes in watchfiles.watch(
                *watched,
                stop_event=stop,
                debounce=200,
                step=50,
                rust_timeout=200,
                yield_on_timeout=True,
            ):
                if url:
                    announce(url)
                    url = ""
                if changes:
                    preview.publish(rebuild())
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.shutdown()
