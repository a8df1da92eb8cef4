"""Lighthouse scores of the sample site, one row per kind of page.

Needs Node.js (npx) and Chromium; not part of the test suite. Run after `make site`:

    .venv/bin/python benchmarks/lighthouse.py        # prints a Markdown table

Lighthouse is installed by npx into its cache on first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from digest.commands.serve import make_server
from digest.config import load_config

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "issues/1/", "posts/goroutine-scheduler/", "tags/go/", "tags/", "archive/", "search/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


def main() -> int:
    mount = load_config(ROOT / "content" / "site.toml").base_path
    server = make_server(ROOT / "site", 8300, mount)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{mount}"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("|---" * (len(CATEGORIES) + 1) + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for page in PAGES:
            report = Path(tmp) / "report.json"
            subprocess.run(
                ["npx", "--yes", "lighthouse", base + page, "--quiet", "--output=json",
                 f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                 "--only-categories=" + ",".join(CATEGORIES)],
                check=True, env=env, capture_output=True,
            )  # fmt: skip
            scores = json.loads(report.read_text())["categories"]
            row = [str(round(scores[c]["score"] * 100)) for c in CATEGORIES]
            print(f"| /{page} | " + " | ".join(row) + " |")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
