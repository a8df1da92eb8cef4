"""The issue as a WeChat Official Account article: one HTML fragment to paste.

WeChat's editor keeps inline styles only and will not link outside its own domain, so:
every style is inlined and then every ``<style>`` and ``class`` removed; each external
link becomes a numbered marker ``[n]`` with a "参考链接" list at the end giving each URL
once, as plain text; code keeps its colours and whitespace inline; images are absolute.
"""

from __future__ import annotations

import lxml.html
from jinja2 import Environment
from lxml import etree
from lxml.html import HtmlElement
from markupsafe import Markup

from digest.model import Issue
from digest.renderer.documents import Doc
from digest.renderer.email import INLINER, LIGHT, adapt_doc, body_html
from digest.renderer.markdown import LIGHT_STYLE

SUP_STYLE = "font-size:12px;color:#888;vertical-align:super;line-height:0;"
WECHAT_HOST = "mp.weixin.qq.com"


def render_wechat(
    doc: Doc, env: Environment, sizes: dict[str, tuple[int, int]], tree: HtmlElement | None = None
) -> tuple[str, list[str]]:
    """The fragment for the issue in ``doc`` and its reference URLs, in marker order;
    ``tree`` is the body as :func:`adapt_body` made it, when the caller has it already
    (it is changed: links are unwrapped or given markers)."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    if tree is None:
        tree = adapt_doc(doc, env, sizes)
    for tag_link in _tag_links(tree):  # tag pages are no use inside WeChat
        tag_link.drop_tag()
    # The markers go in before the body is written out: the list shows each URL as the
    # issue has it (lxml writes an href's non-ASCII characters percent-encoded).
    references = _mark_links(tree)
    html = env.get_template("wechat/article.html").render(
        doc=doc,
        issue=issue,
        body=Markup(body_html(tree)),
        css=Markup(env.get_template("wechat/wechat.css").render()),
        code_css=Markup(LIGHT.code_css(LIGHT_STYLE)),
    )
    root = lxml.html.document_fromstring(INLINER.inline(html)).find(".//section")
    assert root is not None
    for a in list(root.iter("a")):  # inlined: the links' styles are on what they held
        a.drop_tag()
    etree.strip_attributes(root, "class")
    if references:
        root.append(_reference_list(references))
    return lxml.html.tostring(root, encoding="unicode", with_tail=False), references


def _tag_links(body: HtmlElement) -> list[HtmlElement]:
    """The links inside ``.item-tags``."""
    return [
        a
        for a in body.iter("a")
        if any("item-tags" in (up.get("class") or "").split() for up in a.iterancestors())
    ]


def _mark_links(body: HtmlElement) -> list[str]:
    """Put a ``[n]`` marker after each link out of WeChat; return the URLs, each once."""
    urls: list[str] = []
    for a in list(body.iter("a")):
        href = a.get("href") or ""
        if href.startswith(("http://", "https://")) and WECHAT_HOST not in href:
            if href not in urls:
                urls.append(href)
            marker = _element("sup", SUP_STYLE, f"[{urls.index(href) + 1}]")
            marker.tail, a.tail = a.tail, None  # the text after the link follows the marker
            a.addnext(marker)
    return urls


def _reference_list(urls: list[str]) -> HtmlElement:
    """The numbered list of ``urls`` that closes the article."""
    block = _element("section", "margin-top:32px;font-size:13px;color:#888;")
    block.append(_element("h3", "font-size:15px;color:#333;margin:0 0 8px;", "参考链接"))
    for n, url in enumerate(urls, 1):
        block.append(_element("p", "margin:0 0 4px;word-break:break-all;", f"[{n}] {url}"))
    return block


def _element(name: str, style: str, text: str | None = None) -> HtmlElement:
    """A new ``<name>`` with an inline ``style`` and, if given, ``text`` in it."""
    element = lxml.html.Element(name, style=style)
    element.text = text
    return element
