"""Issues and posts rendered once into :class:`Doc` values that every output shares.

A page, a feed entry and a tag listing all show the same body; it is rendered here, once
per document, and the outputs only arrange it.
"""

from __future__ import annotations

import functools
import hashlib
import html
import pickle
import re
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from digest.config import SiteConfig
from digest.model import Asset, Content, Entry, Issue, Item, Post, Section, Tag, fillable
from digest.model.notes import draft_notes
from digest.renderer.env import absolutize_once
from digest.renderer.feedbody import feed_body
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
class Card:
    """What listings, links and job keys need of an issue or post, without its text.

    A build holds one card per document; the text is loaded only for the outputs that
    show it. Made by :func:`card_of`, and cached with the parsed file.
    """

    kind: str  # "issue" or "post"
    source: Path  # the content file
    url: str  # below the site root, e.g. "issues/7/"
    number: int  # an issue's number; 0 for a post
    heading: str  # the page's <h1>: "TB一周萃选[第7期]" or the post's title
    title: str  # the full title for <title>, feeds and listings
    own_title: str  # the title in the file (an issue's may differ from its heading)
    date: datetime
    tags: tuple[Tag, ...]  # an issue's own, then its items'
    description: str  # plain text: the summary, else the opening of the text
    cover: str | None
    draft: bool
    assets: tuple[Asset, ...]
    fingerprint: str  # a digest of everything the document is made of
    links: tuple[str, ...] = ()  # the links whose title or summary the scrape cache fills
    notes: tuple[str, ...] = ()  # warnings: draft notes and placeholders left in a published issue


@dataclass(frozen=True)
class Doc:
    """One issue or post, ready for any template: its card's fields, its entry and body.

    The entry is loaded, and the body (and an issue's rendered sections) made, the first
    time they are asked for: listings only need the card, so a tag page lists hundreds
    of documents without reading one.
    """

    card: Card
    load: Callable[[], Entry] = field(repr=False, compare=False)
    layout: Layout = field(repr=False, compare=False)
    absolute: Callable[[Doc], str] = field(repr=False, compare=False)

    kind = property(lambda self: self.card.kind)
    heading = property(lambda self: self.card.heading)
    title = property(lambda self: self.card.title)
    own_title = property(lambda self: self.card.own_title)
    url = property(lambda self: self.card.url)
    date = property(lambda self: self.card.date)
    tags = property(lambda self: self.card.tags)
    description = property(lambda self: self.card.description)
    cover = property(lambda self: self.card.cover)
    source = property(lambda self: self.card.source)

    @functools.cached_property
    def entry(self) -> Entry:
        """The issue or post as parsed (and filled from the scrape cache)."""
        return self.load()

    @functools.cached_property
    def sections(self) -> tuple[RenderedSection, ...]:
        """An issue's sections with their items' HTML (a post has none)."""
        return self.layout.sections(self.entry)

    @functools.cached_property
    def body(self) -> Markup:
        """The whole article as HTML."""
        return self.layout.body(self.entry, self.sections)

    @property
    def absolute_body(self) -> str:
        """The body with every link and image absolute, as a feed entry shows it (cut to
        the site's ``feed_entry_kb``, see :mod:`.feedbody`): plain text, escaped where it
        goes (see the ``absolutize`` filter)."""
        return self.absolute(self)

    def forget(self) -> None:
        """Drop the entry, sections and body (they are made again when next asked for)."""
        for name in ("entry", "sections", "body"):
            self.__dict__.pop(name, None)


def render_doc(
    entry: Entry,
    site: SiteConfig,
    env: Environment,
    cache: MutableMapping[str, str] | None = None,
) -> Doc:
    """Render one issue or post; ``cache`` keeps Markdown renders by content hash."""
    absolutize = absolutize_once(env)
    return Doc(
        card_of(entry, site, cache),
        lambda: entry,
        Layout(site, env, cache),
        lambda doc: feed_body(absolutize(doc.body, doc.url), site.base_url + doc.url, site, env),
    )


def own_title(issue: Issue, site: SiteConfig) -> str:
    """The issue's own title, or "" when it only stands in for the heading: blank, the
    heading itself (a draft's default title) or ``issue_heading`` left unformatted."""
    title = " ".join(issue.title.split())
    heading = site.issue_name(issue.number)
    return "" if title in ("", " ".join(heading.split()), site.issue_heading) else title


def card_of(entry: Entry, site: SiteConfig, cache: MutableMapping[str, str] | None = None) -> Card:
    """``entry``'s card (rendering the Markdown its description may come from)."""
    base = site.base_path + entry.url_path
    fingerprint = entry.fingerprint or hashlib.sha256(pickle.dumps(entry, protocol=5)).hexdigest()
    if isinstance(entry, Post):
        body = render_markdown_cached(entry.body, base, "", cache)
        heading = title = entry.title
        number, tags, description = 0, entry.tags, entry.summary or excerpt(body)
        links: tuple[str, ...] = ()
        notes: tuple[str, ...] = ()
    else:
        heading = site.issue_name(entry.number)
        intro = render_markdown_cached(entry.intro, base, "", cache)
        title = f"{heading}：{own}" if (own := own_title(entry, site)) else heading
        number, tags, description = entry.number, entry.all_tags, entry.summary or excerpt(intro)
        links, notes = fillable(entry), tuple(str(note) for note in draft_notes(entry))
    return Card(
        kind="post" if isinstance(entry, Post) else "issue",
        source=entry.source,
        url=entry.url_path,
        number=number,
        heading=heading,
        title=title,
        own_title=entry.title,
        date=entry.date,
        tags=tags,
        description=description,
        cover=entry.cover,
        draft=entry.draft,
        assets=entry.assets,
        fingerprint=fingerprint,
        links=links,
        notes=notes,
    )


class Layout:
    """What lays out a document: an issue's sections (its items' Markdown rendered), and
    its body (a post's Markdown, or an issue's intro and sections through
    ``partials/issue_body.html``). A link feed needs only the sections: they cost about
    a fifth of the body (Markdown renders come from the cache)."""

    def __init__(
        self, site: SiteConfig, env: Environment, cache: MutableMapping[str, str] | None
    ) -> None:
        self.site, self.env, self.cache = site, env, cache

    def sections(self, entry: Entry) -> tuple[RenderedSection, ...]:
        if isinstance(entry, Post):
            return ()
        base = self.site.base_path + entry.url_path
        sections = []
        anchors = iter(_anchors(entry))
        for number, section in enumerate(entry.sections, 1):
            items = []
            for position, item in enumerate(section.items, 1):
                anchor = next(anchors)
                commentary = render_markdown_cached(item.commentary, base, anchor + "-", self.cache)
                items.append(RenderedItem(item, Markup(commentary), anchor, position))
            sections.append(RenderedSection(number, section, tuple(items)))
        return tuple(sections)

    def body(self, entry: Entry, sections: tuple[RenderedSection, ...]) -> Markup:
        base = self.site.base_path + entry.url_path
        if isinstance(entry, Post):
            return Markup(render_markdown_cached(entry.body, base, "", self.cache))
        intro = Markup(render_markdown_cached(entry.intro, base, "", self.cache))
        template = self.env.get_template("partials/issue_body.html")
        return Markup(template.render(issue=entry, intro=intro, sections=sections))


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


@dataclass(frozen=True)
class Catalog:
    """Every issue and post a build shows, as cards, newest first (ties broken by URL), and
    how to load the entry behind a card."""

    cards: tuple[Card, ...]
    load: Callable[[Card], Entry] = field(repr=False, compare=False)


def catalog_of(
    content: Content, site: SiteConfig, cache: MutableMapping[str, str] | None = None
) -> Catalog:
    """The catalog of content loaded whole (its entries stay in memory)."""
    entries = content.entries()
    by_source = {entry.source: entry for entry in entries}
    cards = tuple(card_of(entry, site, cache) for entry in entries)
    return Catalog(cards, lambda card: by_source[card.source])
