"""A feed entry's body, cut to the site's ``feed_entry_kb``.

A document's body goes whole into the site's feeds and into the feeds of each of its
tags, so a huge one would be copied megabytes at a time into every one of them. Past the
limit an entry carries the opening of the body instead: whole blocks (the epigraph, the
intro, the first items), going down into sections, items and lists to fill the budget,
never cutting a paragraph, code block or table; then ``feeds/more.html``, a link to read
the rest on the page.
"""

from __future__ import annotations

import lxml.html
from jinja2 import Environment
from lxml.html import HtmlElement

from digest.config import SiteConfig

MORE_TEMPLATE = "feeds/more.html"
# Blocks a cut may go into, keeping their start and the children that fit; any other
# element (a paragraph, a heading, a code block, a table, a figure) is kept whole or not at all.
_CONTAINERS = frozenset(
    ("section", "article", "div", "blockquote", "ul", "ol", "dl", "aside", "main", "details")
)


def feed_body(body: str, url: str, site: SiteConfig, env: Environment) -> str:
    """``body`` (absolute HTML of the page at ``url``, absolute too) as a feed entry shows
    it: whole when its UTF-8 is at most ``feed_entry_kb``, else cut as the module says."""
    limit = site.feed_entry_kb * 1024
    if len(body) * 4 <= limit or len(body.encode()) <= limit:  # 4 bytes at most a character
        return body
    more = env.get_template(MORE_TEMPLATE).render(url=url)
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    budget = limit - len(more.encode()) - len((root.text or "").encode())
    _fit(root, budget)
    kept = (root.text or "").encode() + b"".join(_html(child) for child in root)
    return kept.decode() + more


def _fit(parent: HtmlElement, budget: int) -> int:
    """Keep the children of ``parent`` that fit in ``budget`` bytes, going into the first
    container that does not; drop the rest. What is left of the budget."""
    for child in list(parent):
        size = len(_html(child))
        if size <= budget:
            budget -= size
            continue
        for later in list(child.itersiblings()):
            parent.remove(later)
        own = size - sum(len(_html(c)) for c in child) if child.tag in _CONTAINERS else size
        if child.tag in _CONTAINERS and own <= budget:
            child.tail = None
            left = _fit(child, budget - own)
            if len(child) or (child.text or "").strip():
                return left
        parent.remove(child)  # nothing of it fits (a container left empty is no use)
        return budget
    return budget


def _html(element: HtmlElement) -> bytes:
    """``element`` (its tail included) as UTF-8 HTML."""
    out: bytes = lxml.html.tostring(element, encoding="utf-8", with_tail=True)
    return out
