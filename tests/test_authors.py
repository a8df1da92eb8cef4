"""The author of English pages: conventions of meta tags and marked bylines.

Each snippet is written here for one convention; the test lists every case that goes
wrong, so one failure shows all of them.
"""

from __future__ import annotations

from digest.scraper.extract import extract

Case = tuple[str, bytes, str | None]  # name, page, expected author
ARTICLE = "<p>" + "The release moves the scheduler to a new queue and keeps the old API. " * 8
ARTICLE += "</p>"


def page(body: str, head: str = "") -> bytes:
    return (
        f'<html lang="en"><head><title>A release note</title>{head}</head>'
        f"<body><article><h1>A release note</h1>{body}{ARTICLE}</article></body></html>"
    ).encode()


def wrong(cases: list[Case]) -> list[tuple[str, str | None]]:
    """The cases whose author is not the expected one, with what was found."""
    found = []
    for name, html, expected in cases:
        record = extract(html, url="https://example.com/a", content_type="text/html")
        if record.author != expected:
            found.append((name, record.author))
    return found


def meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{value}">'


def test_a_meta_author_written_surname_first_is_turned_round() -> None:
    cases: list[Case] = [
        ("Dublin Core's creator", page("", meta("dc.creator", "Doe, Jane")), "Jane Doe"),
        ("with a middle initial", page("", meta("citation_author", "Roe, John Q.")), "John Q. Roe"),
        ("a hyphenated surname", page("", meta("author", "Smith-Jones, Ann")), "Ann Smith-Jones"),
        (
            "two people stay two",
            page("", meta("author", "Jane Doe, John Roe")),
            "Jane Doe, John Roe",
        ),
        ("a name and its agency", page("", meta("author", "Doe, AP")), "Doe, AP"),
        ("a name in order", page("", meta("author", "Jane Doe")), "Jane Doe"),
    ]
    assert wrong(cases) == []


def test_a_marked_byline_without_the_time_it_gives() -> None:
    cases: list[Case] = [
        (
            "name / agency / Updated:",
            page(
                '<div class="byline"><a href="/u/jd">Jane Doe</a> / AP / '
                "<span>Updated: Oct 9, 2019, 11:05 IST</span></div>"
            ),
            "Jane Doe / AP",
        ),
        (
            "name | Published:",
            page('<p class="author">Jane Doe | Published: March 3, 2020</p>'),
            "Jane Doe",
        ),
        (
            "name · desk · Posted:",
            page(
                '<p class="byline">Jane Doe · Science desk · Posted: Oct 14, 2022 9:27 AM ET '
                "| Last Updated: October 14</p>"
            ),
            "Jane Doe · Science desk",
        ),
        ("a name alone", page('<p class="author">Jane Doe</p>'), "Jane Doe"),
        (
            "a name with 'updated' in it",
            page('<p class="author">Ann Updatedson</p>'),
            "Ann Updatedson",
        ),
    ]
    assert wrong(cases) == []
