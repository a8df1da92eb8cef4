"""RSS 2.0 and Atom feeds, for the whole site and for each tag, from templates.

Feeds are templates (``templates/feeds/``) rather than a feed library's output: the
markup is ours to check against the W3C validator's rules, and nothing in it depends
on the clock, so two builds give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from digest.config import SiteConfig
from digest.model import Output, Tag
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
    directory: str = "",
    limit: int,
) -> list[Output]:
    """``feed.xml`` and ``atom.xml`` in ``directory`` for the newest ``limit`` of ``docs``.

    A feed sits beside the HTML page it mirrors (the home page, or a tag's page), so
    ``directory`` is that page's address too.
    """
    entries = list(docs[:limit])
    inputs = frozenset(d.source for d in entries)
    context = {
        "title": title,
        "description": description,
        "page": directory,
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


def render_link_feed(
    env: Environment,
    docs: Sequence[Doc],
    *,
    title: str,
    directory: str = "",
    issues: int,
    tag: Tag | None = None,
) -> list[Output]:
    """``links.xml`` (Atom): one entry per curated item of the newest ``issues`` issues
    (only items carrying ``tag`` when one is given); none when there is no such item.
    Like :func:`render_feeds`, it mirrors the page at ``directory``."""
    entries = []
    recent = [d for d in docs if d.kind == "issue"][:issues]
    for doc in recent:
        for section in doc.sections:
            for rendered in section.items:
                if tag is None or tag in rendered.item.tags:
                    entries.append((doc, rendered))
    if not entries:
        return []
    context = {
        "title": title,
        "page": directory,
        "self_path": f"{directory}links.xml",
        "entries": entries,
        "updated": max(doc.date for doc, _ in entries),
    }
    return [
        Output(
            f"{directory}links.xml",
            env.get_template("feeds/links.xml").render(context).encode(),
            inputs=frozenset(doc.source for doc, _ in entries),
        )
    ]


def render_json_feed(env: Environment, docs: Sequence[Doc], site: SiteConfig) -> Output:
    """``feed.json``: JSON Feed 1.1 for the newest issues, full content."""
    issues = [d for d in docs if d.kind == "issue"][: site.feed_limit]
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "home_page_url": site.base_url,
        "feed_url": site.base_url + "feed.json",
        "description": site.description,
        "language": site.language,
        "authors": [{"name": site.author or site.title}],
        "items": [
            {
                "id": site.base_url + doc.url,
                "url": site.base_url + doc.url,
                "title": doc.title,
                "content_html": doc.absolute_body,
                "summary": doc.description,
                "date_published": doc.date.isoformat(),
                "tags": [t.name for t in doc.tags],
            }
            for doc in issues
        ],
    }
    data = json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
    return Output("feed.json", data.encode(), inputs=frozenset(d.source for d in issues))
