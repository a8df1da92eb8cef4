"""Publication dates: ours (``scraper/dates.py``) against htmldate on the same pages.

The pages: the 13 of ``tests/pages/`` and the snippets of ``tests/test_metadata.py`` that
state a date (or state none). A date is right when its day is the expected one (htmldate
gives days); a page with no date is right when none is found. Run after
``pip install htmldate``: ``python benchmarks/dates.py``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.scraper.decode import decode_body  # noqa: E402
from digest.scraper.extract import extract  # noqa: E402
from tests import test_metadata as snippets  # noqa: E402

Page = tuple[str, bytes, str, str | None]  # name, body, url, the expected day


def pages() -> list[Page]:
    found: list[Page] = []
    for path in sorted((ROOT / "tests" / "pages").glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        day = (expected["published"] or "")[:10] or None
        body = path.with_suffix(".html").read_bytes()
        found.append((path.stem, body, expected["url"], day))
    every = (
        snippets.JSON_LD,
        snippets.META_TAGS,
        snippets.MICRODATA_AND_TIME,
        snippets.BYLINES,
        snippets.URL_DATES,
        snippets.BYLINES_ANYWHERE,
        snippets.MORE_DATES,
    )
    for cases in every:
        found += [
            (name, html, url, (date or "")[:10] or None) for name, html, url, _, date in cases
        ]
    return found


def ours(body: bytes, url: str) -> str | None:
    return (extract(body, url=url, content_type="text/html").published or "")[:10] or None


def htmldate(body: bytes, url: str) -> str | None:
    from htmldate import find_date

    html = decode_body(body).text
    found: str | None = find_date(html, url=url, original_date=True, extensive_search=True)
    return found


def score(name: str, find: Callable[[bytes, str], str | None], cases: list[Page]) -> None:
    find(cases[0][1], cases[0][2])  # imports and first-call set-up are not timed
    right, misses = 0, []
    started = time.perf_counter()
    for case, body, url, day in cases:
        got = find(body, url)
        right += got == day
        if got != day:
            misses.append(f"{case}: {got} (expected {day})")
    ms = (time.perf_counter() - started) / len(cases) * 1000
    print(f"{name:10} {right}/{len(cases)} right, {ms:.1f} ms a page")
    for miss in misses:
        print(f"    {miss}")


if __name__ == "__main__":
    every = pages()
    score("digest", ours, every)  # the whole extraction, main text included
    score("htmldate", htmldate, every)
