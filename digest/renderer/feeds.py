"""RSS 2.0 and Atom feeds, for the whole site and for each tag, from templates.

Feeds are templates (``templates/feeds/``) rather than a feed library's output: the
markup is ours to check against the W3C validator's rules, and nothing in it depends
on the clock, so two builds give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment

from digest.model import Output
from digest.renderer.documents import Doc


@dataclass(frozen=True)
class FeedLink:
    """A feed as announced in a page's ``<head>``."""

    title: str
    path: str
    mime: str


def feed_links(title: str, directory: str = "") -> tuple[FeedLink, FeedLink]:
    """The RSS and Atom links for the feeds in ``directory`` ('' for the whole site)."""
    return (
        FeedLink(f"{title} (RSS)", f"{directory}feed.xml", "application/rss+xml"),
        FeedLink(f"{title} (Atom)", f"{directory}atom.xml", "application/atom+xml"),
    )


def render_feeds(
    env: Environment,
    docs: Sequence[Doc],
    *,
    title: str,
    description: str,
    page: str,
    directory: str = "",
    limit: int,
) -> list[Output]:
    """``feed.xml`` and ``atom.xml`` in ``directory`` for the newest ``limit`` of ``docs``.

    ``page`` is the HTML page the feed mirrors (the home page, or the tag's page).
    """
    entries = list(docs[:limit])
    inputs = frozenset(d.source for d in entries)
    context = {
        "title": title,
        "description": description,
        "page": page,
        "rss_path": f"{directory}feed.xml",
        "atom_path": f"{directory}atom.xml",
        "entries": entries,
        "updated": max(d.date for d in entries),
    }
    return [
        Output(
            f"{directory}{name}",
            env.get_template(f"feeds/{name}").render(context).encode(),
            inputs=inputs,
        )
        for name in ("feed.xml", "atom.xml")
    ]
