"""Issues and posts rendered once into :class:`Doc` values that every output shares.

A page, a feed entry and a tag listing all show the same body; it is rendered here, once
per document, and the outputs only arrange it.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from digest.config import SiteConfig
from digest.model import Entry, Issue, Item, Post, Section, Tag
from digest.renderer.markdown import render_markdown_cached

EXCERPT_CHARS = 140


@dataclass(frozen=True)
class RenderedItem:
    """An item with its commentary as HTML and its anchor on the issue page."""

    item: Item
    html: Markup
    anchor: str
    number: int  # in its section, from 1


@dataclass(frozen=True)
class RenderedSection:
    """A section as shown: its number in the issue (一, 二…) and rendered items."""

    number: int
    section: Section
    items: tuple[RenderedItem, ...]


@dataclass(frozen=True)
class Doc:
    """One issue or post, ready for any template.

    The body (and an issue's rendered sections) is made the first time it is asked for:
    listings only need the heading, date and description, so an incremental build that
    re-renders a tag page does not lay out every issue on it.
    """

    entry: Entry
    kind: str  # "issue" or "post"
    heading: str  # the page's <h1>: "TB一周萃选[第7期]" or the post's title
    title: str  # the full title for <title>, feeds and listings
    url: str  # below the site root, e.g. "issues/7/"
    date: datetime
    tags: tuple[Tag, ...]
    description: str  # plain text: the summary, else the opening of the text
    layout: Callable[[], tuple[Markup, tuple[RenderedSection, ...]]] = field(repr=False)

    @functools.cached_property
    def _laid_out(self) -> tuple[Markup, tuple[RenderedSection, ...]]:
        return self.layout()

    @property
    def body(self) -> Markup:
        """The whole article as HTML."""
        return self._laid_out[0]

    @property
    def sections(self) -> tuple[RenderedSection, ...]:
        """An issue's sections with their items' HTML (a post has none)."""
        return self._laid_out[1]

    @property
    def source(self) -> Path:
        """The content file this document came from."""
        return self.entry.source


def render_doc(
    entry: Entry, site: SiteConfig, env: Environment,
    cache: MutableMapping[str, str] | None = None,
) -> Doc:  # fmt: skip
    """Render one issue or post; ``cache`` keeps Markdown renders by content hash."""
    base = site.base_path + entry.url_path
    if isinstance(entry, Post):
        body = Markup(render_markdown_cached(entry.body, base, "", cache))
        return Doc(
            entry,
            "post",
            entry.title,
            entry.title,
            entry.url_path,
            entry.date,
            entry.tags,
            entry.summary or excerpt(body),
            lambda: (body, ()),
        )
    return _issue_doc(entry, site, env, base, cache)


def markdown_fragments(entry: Entry, base_path: str) -> Iterator[tuple[str, str, str]]:
    """Every Markdown text :func:`render_doc` renders for ``entry``, as ``(text, base,
    id_prefix)`` (so that they can be rendered ahead, on other cores)."""
    base = base_path + entry.url_path
    if isinstance(entry, Post):
        yield entry.body, base, ""
        return
    yield entry.intro, base, ""
    items = (item for section in entry.sections for item in section.items)
    for item, anchor in zip(items, _anchors(entry), strict=True):
        yield item.commentary, base, anchor + "-"


def _anchors(issue: Issue) -> list[str]:
    """The anchor of each item on the issue page, in order: ``item-1``, ``item-2``…"""
    count = sum(len(section.items) for section in issue.sections)
    return [f"item-{n}" for n in range(1, count + 1)]


def _issue_doc(
    issue: Issue, site: SiteConfig, env: Environment, base: str,
    cache: MutableMapping[str, str] | None,
) -> Doc:  # fmt: skip
    intro = Markup(render_markdown_cached(issue.intro, base, "", cache))
    heading = site.issue_name(issue.number)

    def layout() -> tuple[Markup, tuple[RenderedSection, ...]]:
        sections = []
        anchors = iter(_anchors(issue))
        for number, section in enumerate(issue.sections, 1):
            items = []
            for position, item in enumerate(section.items, 1):
                anchor = next(anchors)
                commentary = render_markdown_cached(item.commentary, base, anchor + "-", cache)
                items.append(RenderedItem(item, Markup(commentary), anchor, position))
            sections.append(RenderedSection(number, section, tuple(items)))
        template = env.get_template("partials/issue_body.html")
        body = Markup(template.render(issue=issue, intro=intro, sections=sections))
        return body, tuple(sections)

    return Doc(
        issue,
        "issue",
        heading,
        heading if issue.title == heading else f"{heading}：{issue.title}",  # a draft's default
        issue.url_path,
        issue.date,
        issue.all_tags,
        issue.summary or excerpt(intro),
        layout,
    )


_P = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s)")


def excerpt(body_html: str, limit: int = EXCERPT_CHARS) -> str:
    """Plain text of the first paragraph, cut after a sentence end within ``limit``."""
    m = _P.search(body_html)
    text = " ".join(html.unescape(_TAG.sub("", m.group(1))).split()) if m else ""
    if len(text) <= limit:
        return text
    ends = [e.end() for e in _SENTENCE_END.finditer(text, 0, limit)]
    return text[: ends[-1]] if ends and ends[-1] > limit // 3 else text[: limit - 1] + "…"
