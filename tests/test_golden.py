"""Key pages of the sample site, byte for byte against tests/golden/.

After an intended change, run ``.venv/bin/pytest tests/test_golden.py --update-golden``
and review ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
KEY_PAGES = [
    "index.html",
    "issues/1/index.html",
    "posts/goroutine-scheduler/index.html",
    "tags/go/index.html",
    "tags/index.html",
    "archive/index.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "email/1.html",
    "email/1.txt",
    "wechat/1.html",
]


@pytest.mark.parametrize("path", KEY_PAGES)
def test_key_page_matches_golden(sample_site: Path, path: str, update_golden: bool) -> None:
    golden = GOLDEN / path.replace("/", "__")
    built = (sample_site / path).read_text(encoding="utf-8")
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(built, encoding="utf-8")
    assert built == golden.read_text(encoding="utf-8"), (
        f"{path} differs from {golden}; if the change is intended, run pytest --update-golden "
        "and review the diff"
    )
