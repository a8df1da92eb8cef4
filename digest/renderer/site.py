"""The static site: every page, feed and file below ``site/``, as :class:`Output` values.

One function per kind of output, in the order of the site map: home pages, one page per
issue and post, tag pages and their feeds, the tag index, the archive, the fixed pages
(404, search, the unsubscribe page, robots.txt, stylesheets), the site feeds, images,
each issue's email and WeChat files, sitemap.xml. Each takes the documents it shows and
renders them; which outputs a build makes, and when they need making again, is the build's business
(:mod:`digest.build.jobs`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import mdurl
from jinja2 import Environment
from lxml.html import HtmlElement
from markupsafe import Markup

from digest.config import SiteConfig
from digest.model import Asset, Issue, Output, Tag
from digest.renderer.documents import Card, Doc
from digest.renderer.email import (
    EmailIssue,
    adapt_doc,
    build_eml,
    leave_address,
    preview_copy,
    render_email,
)
from digest.renderer.env import make_env, template_dirs
from digest.renderer.feeds import (
    feed_links,
    render_feeds,
    render_json_feed,
    render_link_feed,
)
from digest.renderer.markdown import highlight_css, render_markdown
from digest.renderer.wechat import render_wechat

_T = TypeVar("_T")
Docs = Callable[[Card], Doc]  # the laid-out document of a card (the build keeps them)


def listing_paths(directory: str, pages: int) -> list[str]:
    """The paths of a listing of ``pages`` pages: ``directory``, then ``directory/page/2/``…"""
    return [directory] + [f"{directory}page/{n}/" for n in range(2, pages + 1)]


def chunked(entries: Sequence[_T], per_page: int) -> list[list[_T]]:
    """A listing's pages, ``per_page`` entries each; an empty listing still has its first page."""
    return [list(entries[i : i + per_page]) for i in range(0, len(entries), per_page)] or [[]]


def _pager(paths: list[str], n: int) -> dict[str, Any]:
    """What the pager of page ``n`` (from 0) of a listing at ``paths`` shows."""
    return {
        "page_number": n + 1,
        "pages": len(paths),
        "newer": paths[n - 1] if n else None,
        "older": paths[n + 1] if n + 1 < len(paths) else None,
    }


def home_page(
    env: Environment, site: SiteConfig, docs: Docs, chunks: list[list[Card]], n: int
) -> list[Output]:
    """``/``, ``/page/2/``, …: ``per_page`` documents each, latest first."""
    paths = listing_paths("", len(chunks))
    chunk = [docs(e) for e in chunks[n]]
    return [
        _page(env, paths[n], "index.html", chunk, title=site.title, docs=chunk, **_pager(paths, n))
    ]


def doc_page(
    env: Environment,
    docs: Docs,
    kind: str,
    prev: Card | None,
    entry: Card,
    next_: Card | None,
) -> list[Output]:
    """One issue or post page, with links to the previous and next of its kind."""
    doc = docs(entry)
    before, after = (docs(prev) if prev else None), (docs(next_) if next_ else None)
    neighbours = [d for d in (before, doc, after) if d]
    return [
        _page(
            env,
            doc.url,
            f"{kind}.html",
            neighbours,
            title=doc.title,
            doc=doc,
            prev=before,
            next=after,
            description=doc.description,
        )
    ]


def archive(env: Environment, docs: Docs, entries: Sequence[Card]) -> list[Output]:
    """All documents by year."""
    every = [docs(e) for e in entries]
    years = [(year, list(group)) for year, group in itertools.groupby(every, lambda d: d.date.year)]
    return [_page(env, "archive/", "archive.html", every, title="归档", years=years)]


def tags_page(env: Environment, counts: list[tuple[Tag, int]]) -> list[Output]:
    """The index of every tag with its count."""
    return [_page(env, "tags/", "tags.html", [], title="全部标签", tags=counts)]


def sitemap(env: Environment, urls: list[str], lastmod: dict[str, datetime]) -> list[Output]:
    """``sitemap.xml``: every page, with its document's date where it has one."""
    xml = env.get_template("sitemap.xml").render(pages=urls, lastmod=lastmod)
    return [Output("sitemap.xml", xml.encode())]


def fixed_pages(env: Environment, site: SiteConfig, templates: Path) -> list[Output]:
    """Pages and files that depend on nothing but the templates and site.toml."""
    out = [
        Output("404.html", _render(env, "404.html", title="页面不存在", path="404.html")),
        _page(env, "search/", "search.html", [], title="搜索"),
        Output("assets/highlight.css", highlight_css().encode()),
        Output("robots.txt", env.get_template("robots.txt").render().encode()),
    ]
    out += unsubscribe_page(env, site)
    static = {
        f.name: f
        for d in reversed(template_dirs(templates))
        if (d / "static").is_dir()
        for f in (d / "static").iterdir()
        if f.is_file()
    }
    out += [Output(f"assets/{name}", source=f) for name, f in sorted(static.items())]
    return out


# The first parts of the paths of the build's own pages, which an unsubscribe page must
# leave alone ("" is the home page; other names with a "." are not pages it makes).
_OWN = ("", "index.html", "404.html", "page", "issues", "posts", "tags", "archive", "search")
_OWN_TOO = ("email", "wechat", "assets")


def unsubscribe_path(site: SiteConfig) -> str | None:
    """Where the build writes the unsubscribe page: below ``site/`` at the path of
    ``[email] unsubscribe_url`` when that URL is on the site and names a page of its own
    (``unsubscribe/``, ``leave.html``, ``unsubscribe``); None otherwise."""
    inside = site.inside(site.email.unsubscribe_url) if site.email.unsubscribe_url else None
    if inside is None:
        return None
    path = unquote(inside)
    if path.split("/", 1)[0] in (*_OWN, *_OWN_TOO) or ".." in path.split("/") or "//" in path:
        return None
    if path.endswith("/"):
        return path + "index.html"
    if path.endswith(".html"):
        return path
    return None if "." in path.rsplit("/", 1)[-1] else path + "/index.html"


def unsubscribe_page(env: Environment, site: SiteConfig) -> list[Output]:
    """The page ``[email] unsubscribe_url`` leads to when it lies inside the site: how to
    leave, with a link that opens a ready-written message to the editor."""
    path = unsubscribe_path(site)
    if path is None:
        return []
    address = leave_address(site)
    subject = quote(f"退订《{site.title}》")
    body = quote(f"请把这个邮箱从《{site.title}》的邮件名单中删除。")
    page = path.removesuffix("index.html")
    html = _render(
        env,
        "unsubscribe.html",
        path=page,
        title="退订邮件",
        address=address,
        mailto=f"mailto:{address}?subject={subject}&body={body}",
    )
    return [Output(path, html)]


def site_feeds(
    env: Environment, site: SiteConfig, docs: Docs, entries: Sequence[Card]
) -> list[Output]:
    """The site's RSS, Atom, link and JSON feeds."""
    newest = [docs(e) for e in entries[: site.feed_limit]]
    issues = [docs(e) for e in entries if e.kind == "issue"][: site.feed_limit]
    out = render_feeds(
        env, newest, title=site.title, description=site.description, limit=site.feed_limit
    )
    out += render_link_feed(env, issues, title=f"{site.title} · 每条链接", issues=site.feed_limit)
    out.append(render_json_feed(env, newest, site))
    return out


def asset(entry: Card, asset: Asset) -> list[Output]:
    """An image next to a document, copied beside its page."""
    return [Output(entry.url + asset.target, source=asset.source, inputs=frozenset([asset.source]))]


def issue_files(env: Environment, site: SiteConfig, docs: Docs, issue: Card) -> list[Output]:
    """An issue's email and WeChat files."""
    doc = docs(issue)
    # Both start from the same adapted body: the email gives it back as it found it.
    tree = adapt_doc(doc, env, _sizes(doc, site))
    return email_outputs(doc, site, env, tree) + wechat_outputs(doc, site, env, tree)


def site_env(site: SiteConfig, templates: Path) -> Environment:
    """The Jinja environment with the globals every page uses: footer and site feeds."""
    env = make_env(templates, site)
    env.globals["footer"] = render_markdown(site.footer, base=site.base_path)
    env.globals["site_feeds"] = feed_links(site.title)
    return env


def email_of(doc: Doc, site: SiteConfig, env: Environment) -> EmailIssue:
    """The email of the issue in ``doc`` (what ``digest send`` sends)."""
    return render_email(doc, site, env, _sizes(doc, site))


def _render(env: Environment, template: str, **context: Any) -> bytes:
    """A page; base.html falls back to the site's description and feeds."""
    return env.get_template(template).render(context).encode()


def _page(
    env: Environment, path: str, template: str, sources: Sequence[Doc], **context: Any
) -> Output:
    """A pretty-URL page ``<path>index.html``, made from the documents in ``sources``."""
    html = _render(env, template, path=path, **context)
    return Output(f"{path}index.html", html, inputs=frozenset(d.source for d in sources))


def tag_outputs(
    env: Environment, site: SiteConfig, docs: Docs, tag: Tag, entries: list[Card]
) -> list[Output]:
    """ "标签 Go 下的文章": ``per_page`` excerpts a page (``tags/go/``, ``tags/go/page/2/``,
    …), latest first, and the tag's RSS, Atom and link feeds."""
    tagged = [docs(e) for e in entries]
    directory = f"tags/{tag.slug}/"
    heading = f"标签 {tag.name} 下的文章"
    feeds = feed_links(f"{site.title} · {tag.name}", directory)
    chunks = chunked(tagged, site.per_page)
    paths = listing_paths(directory, len(chunks))
    out = []
    for n, shown in enumerate(chunks):
        title = heading if n == 0 else f"{heading} · 第 {n + 1} 页"
        out.append(
            _page(
                env,
                paths[n],
                "tag.html",
                shown,
                title=title,
                tag=tag,
                docs=shown,
                count=len(tagged),
                feeds=feeds,
                description=f"{site.title}：{title}",
                **_pager(paths, n),
            )
        )
    out += render_feeds(
        env,
        tagged,
        title=f"{site.title} · {tag.name}",
        description=heading,
        directory=directory,
        limit=site.tag_feed_limit,
    )
    out += render_link_feed(
        env,
        tagged,
        title=f"{site.title} · {tag.name} · 每条链接",
        directory=directory,
        issues=site.tag_feed_limit,
        tag=tag,
    )
    return out


def email_outputs(
    doc: Doc, site: SiteConfig, env: Environment, tree: HtmlElement | None = None
) -> list[Output]:
    """``email/<n>.html``, ``.txt`` and ``.eml`` for the issue in ``doc`` (``tree``: its
    body as :func:`adapt_body` made it, if at hand)."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    mail = render_email(doc, site, env, _sizes(doc, site), tree)
    inputs = frozenset([doc.source])
    base = f"email/{issue.number}"
    return [
        Output(f"{base}.html", preview_copy(mail, site, env).encode(), inputs=inputs),
        Output(f"{base}.txt", mail.text.encode(), inputs=inputs),
        Output(f"{base}.eml", build_eml(mail, site, issue), inputs=inputs),
    ]


def wechat_outputs(
    doc: Doc, site: SiteConfig, env: Environment, tree: HtmlElement | None = None
) -> list[Output]:
    """``wechat/<n>.html`` (the fragment to paste) and ``wechat/<n>/index.html`` (a page
    to copy it from); ``tree`` as for :func:`email_outputs`."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    fragment, _ = render_wechat(doc, env, _sizes(doc, site), tree)
    preview = env.get_template("wechat/preview.html").render(doc=doc, fragment=Markup(fragment))
    inputs = frozenset([doc.source])
    return [
        Output(f"wechat/{issue.number}.html", fragment.encode(), inputs=inputs),
        Output(f"wechat/{issue.number}/index.html", preview.encode(), inputs=inputs),
    ]


def _sizes(doc: Doc, site: SiteConfig) -> dict[str, tuple[int, int]]:
    """Pixel sizes of a document's images, by absolute URL."""
    # keyed as the Markdown renderer writes a path (``我的 图.png`` as ``%E6%88%91…%20…``)
    return {
        site.base_url + doc.url + mdurl.encode(a.target): a.size for a in doc.entry.assets if a.size
    }
