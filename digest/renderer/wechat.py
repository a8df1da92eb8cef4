"""The issue as a WeChat Official Account article: one HTML fragment to paste.

WeChat's editor keeps inline styles only and will not link outside its own domain, so:
every style is inlined and then every ``<style>`` and ``class`` removed; each external
link becomes a numbered marker ``[n]`` with a "参考链接" list at the end giving each URL
once, as plain text; code keeps its colours and whitespace inline; images are absolute.
"""

from __future__ import annotations

import css_inline
from bs4 import BeautifulSoup, Tag
from jinja2 import Environment
from markupsafe import Markup

from digest.model import Issue
from digest.renderer.documents import Doc
from digest.renderer.email import adapt_body
from digest.renderer.markdown import highlight_css

SUP_STYLE = "font-size:12px;color:#888;vertical-align:super;line-height:0;"
WECHAT_HOST = "mp.weixin.qq.com"


def render_wechat(
    doc: Doc, env: Environment, sizes: dict[str, tuple[int, int]]
) -> tuple[str, list[str]]:
    """The fragment for the issue in ``doc`` and its reference URLs, in marker order."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    body = adapt_body(env.filters["absolutize"](doc.body, doc.url), sizes)
    html = env.get_template("wechat/article.html").render(
        doc=doc, issue=issue, body=Markup(body),
        css=Markup(env.get_template("wechat/wechat.css").render()),
        code_css=Markup(highlight_css().split("@media")[0]),
    )  # fmt: skip
    soup = BeautifulSoup(html, "lxml")
    for tag_link in soup.select(".item-tags a"):  # tag pages are no use inside WeChat
        tag_link.unwrap()
    soup = BeautifulSoup(css_inline.inline(str(soup)), "lxml")
    root = soup.find("section")
    assert isinstance(root, Tag)
    references = _footnotes(soup, root)
    for el in [root, *root.find_all(True)]:
        del el["class"]
    return str(root), references


def _footnotes(soup: BeautifulSoup, root: Tag) -> list[str]:
    """Replace links by ``[n]`` markers; append the numbered list; return the URLs."""
    urls: list[str] = []
    for a in root.find_all("a"):
        href = str(a.get("href") or "")
        if href.startswith(("http://", "https://")) and WECHAT_HOST not in href:
            if href not in urls:
                urls.append(href)
            marker = soup.new_tag("sup", style=SUP_STYLE)
            marker.string = f"[{urls.index(href) + 1}]"
            a.insert_after(marker)
        a.unwrap()
    if urls:
        block = soup.new_tag("section", style="margin-top:32px;font-size:13px;color:#888;")
        title = soup.new_tag("h3", style="font-size:15px;color:#333;margin:0 0 8px;")
        title.string = "参考链接"
        block.append(title)
        for n, url in enumerate(urls, 1):
            line = soup.new_tag("p", style="margin:0 0 4px;word-break:break-all;")
            line.string = f"[{n}] {url}"
            block.append(line)
        root.append(block)
    return urls
