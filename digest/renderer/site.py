"""The static site: every page, feed and file below ``site/``, as :class:`Output` values.

:func:`render_site` reads like the site map: home pages, one page per issue and post,
tag pages and their feeds, the tag index, the archive, the 404 page, the site feeds,
sitemap.xml, robots.txt and the stylesheets.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from digest.config import SiteConfig
from digest.errors import DigestError
from digest.model import Content, Issue, Output, Tag
from digest.renderer.documents import Doc, render_doc
from digest.renderer.email import EmailIssue, build_eml, render_email
from digest.renderer.env import make_env, template_dirs
from digest.renderer.feeds import (
    feed_links,
    render_feeds,
    render_json_feed,
    render_link_feed,
)
from digest.renderer.markdown import highlight_css, render_markdown
from digest.renderer.wechat import render_wechat


def render_site(site: SiteConfig, content: Content, templates: Path) -> list[Output]:
    """Everything the site serves, sorted by path."""
    env = site_env(site, templates)
    docs = [render_doc(entry, site, env) for entry in content.entries()]  # newest first
    everything = frozenset(d.source for d in docs)
    tags = _by_tag(docs)

    out: list[Output] = []
    out += _home_pages(env, site, docs)
    out += _doc_pages(env, docs)
    out += _tag_pages(env, site, tags)
    out.append(
        _page(
            env,
            "tags/",
            "tags.html",
            docs,
            title="全部标签",
            tags=[(tag, len(tagged)) for tag, tagged in tags.items()],
        )
    )
    years = [(year, list(group)) for year, group in itertools.groupby(docs, lambda d: d.date.year)]
    out.append(_page(env, "archive/", "archive.html", docs, title="归档", years=years))
    out.append(Output("404.html", _render(env, "404.html", title="页面不存在", path="404.html")))
    out.append(_page(env, "search/", "search.html", docs, title="搜索"))
    if docs:
        out += render_feeds(
            env,
            docs,
            title=site.title,
            description=site.description,
            page="",
            limit=site.feed_limit,
        )
        out += render_link_feed(env, docs, title=f"{site.title} · 每条链接", page="",
                                issues=site.feed_limit)  # fmt: skip
        out.append(render_json_feed(env, docs, site))
    out += _assets(docs)
    out += [o for doc in docs if doc.kind == "issue" for o in email_outputs(doc, site, env)]
    out += [o for doc in docs if doc.kind == "issue" for o in wechat_outputs(doc, site, env)]
    out.append(Output("assets/highlight.css", highlight_css().encode()))
    static = {f.name: f for d in reversed(template_dirs(templates)) if (d / "static").is_dir()
              for f in (d / "static").iterdir() if f.is_file()}  # fmt: skip
    out += [Output(f"assets/{name}", source=f) for name, f in sorted(static.items())]
    pages = [
        o.path.removesuffix("index.html")
        for o in out
        if o.path.endswith("index.html") and not o.path.startswith("wechat/")  # editor's tool
    ]
    lastmod = {d.url: d.date for d in docs}
    out.append(
        Output(
            "sitemap.xml",
            env.get_template("sitemap.xml").render(pages=sorted(pages), lastmod=lastmod).encode(),
            inputs=everything,
        )
    )
    out.append(Output("robots.txt", env.get_template("robots.txt").render().encode()))
    return sorted(out, key=lambda o: o.path)


def site_env(site: SiteConfig, templates: Path) -> Environment:
    """The Jinja environment with the globals every page uses: footer and site feeds."""
    env = make_env(templates, site)
    env.globals["footer"] = render_markdown(site.footer, base=site.base_path)
    env.globals["site_feeds"] = feed_links(site.title)
    return env


def _one_issue(
    site: SiteConfig, content: Content, templates: Path, number: int
) -> tuple[Doc, Environment]:
    issue = next((i for i in content.issues if i.number == number), None)
    if issue is None:
        known = ", ".join(str(i.number) for i in content.issues) or "none"
        raise DigestError(f"there is no issue {number} (issues: {known})")
    env = site_env(site, templates)
    return render_doc(issue, site, env), env


def render_issue_email(
    site: SiteConfig, content: Content, templates: Path, number: int
) -> list[Output]:
    """Only the three email files of issue ``number`` (for ``digest email N``)."""
    doc, env = _one_issue(site, content, templates, number)
    return email_outputs(doc, site, env)


def render_issue_wechat(
    site: SiteConfig, content: Content, templates: Path, number: int
) -> list[Output]:
    """Only the WeChat files of issue ``number`` (for ``digest wechat N``)."""
    doc, env = _one_issue(site, content, templates, number)
    return wechat_outputs(doc, site, env)


def prepare_email(
    site: SiteConfig, content: Content, templates: Path, number: int
) -> tuple[EmailIssue, Issue]:
    """The email of issue ``number`` and the issue (for ``digest send``)."""
    doc, env = _one_issue(site, content, templates, number)
    assert isinstance(doc.entry, Issue)
    return render_email(doc, site, env, _sizes(doc, site)), doc.entry


def _render(env: Environment, template: str, **context: Any) -> bytes:
    """A page; base.html falls back to the site's description and feeds."""
    return env.get_template(template).render(context).encode()


def _page(
    env: Environment, path: str, template: str, sources: Sequence[Doc], **context: Any
) -> Output:
    """A pretty-URL page ``<path>index.html``, made from the documents in ``sources``."""
    html = _render(env, template, path=path, **context)
    return Output(f"{path}index.html", html, inputs=frozenset(d.source for d in sources))


def _home_pages(env: Environment, site: SiteConfig, docs: list[Doc]) -> list[Output]:
    """Latest first, ``per_page`` a page: ``/``, ``/page/2/``, …"""
    chunks = [docs[i : i + site.per_page] for i in range(0, len(docs), site.per_page)] or [[]]
    paths = [""] + [f"page/{n}/" for n in range(2, len(chunks) + 1)]
    return [
        _page(
            env,
            paths[i],
            "index.html",
            chunk,
            title=site.title,
            docs=chunk,
            page_number=i + 1,
            pages=len(chunks),
            newer=paths[i - 1] if i else None,
            older=paths[i + 1] if i + 1 < len(paths) else None,
        )
        for i, chunk in enumerate(chunks)
    ]


def _doc_pages(env: Environment, docs: list[Doc]) -> list[Output]:
    """One page per issue and post, with links to the previous and next of its kind."""
    out = []
    for kind in ("issue", "post"):
        series = sorted((d for d in docs if d.kind == kind), key=lambda d: (d.date, d.url))
        for i, doc in enumerate(series):
            prev = series[i - 1] if i else None
            next_ = series[i + 1] if i + 1 < len(series) else None
            neighbours = [d for d in (prev, doc, next_) if d]
            out.append(
                _page(
                    env,
                    doc.url,
                    f"{kind}.html",
                    neighbours,
                    title=doc.title,
                    doc=doc,
                    prev=prev,
                    next=next_,
                    description=doc.description,
                )
            )
    return out


def _tag_pages(env: Environment, site: SiteConfig, tags: dict[Tag, list[Doc]]) -> list[Output]:
    """Per tag: "标签 Go 下的文章" with excerpts, and the tag's RSS and Atom feeds."""
    out: list[Output] = []
    for tag, tagged in tags.items():
        directory = f"tags/{tag.slug}/"
        heading = f"标签 {tag.name} 下的文章"
        feeds = feed_links(f"{site.title} · {tag.name}", directory)
        out.append(
            _page(
                env,
                directory,
                "tag.html",
                tagged,
                title=heading,
                tag=tag,
                docs=tagged,
                feeds=feeds,
                description=f"{site.title}：{heading}",
            )
        )
        out += render_feeds(
            env,
            tagged,
            title=f"{site.title} · {tag.name}",
            page=directory,
            description=heading,
            directory=directory,
            limit=site.feed_limit,
        )
        out += render_link_feed(env, tagged, title=f"{site.title} · {tag.name} · 每条链接",
                                page=directory, directory=directory, issues=site.feed_limit,
                                tag=tag)  # fmt: skip
    return out


def _by_tag(docs: list[Doc]) -> dict[Tag, list[Doc]]:
    """Each tag's documents, newest first; tags ordered by use, then by slug."""
    tags: dict[Tag, list[Doc]] = {}
    for doc in docs:
        for tag in doc.tags:
            tags.setdefault(tag, []).append(doc)
    return dict(sorted(tags.items(), key=lambda kv: (-len(kv[1]), kv[0].slug)))


def email_outputs(doc: Doc, site: SiteConfig, env: Environment) -> list[Output]:
    """``email/<n>.html``, ``.txt`` and ``.eml`` for the issue in ``doc``."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    mail = render_email(doc, site, env, _sizes(doc, site))
    inputs = frozenset([doc.source])
    base = f"email/{issue.number}"
    return [
        Output(f"{base}.html", mail.html.encode(), inputs=inputs),
        Output(f"{base}.txt", mail.text.encode(), inputs=inputs),
        Output(f"{base}.eml", build_eml(mail, site, issue), inputs=inputs),
    ]


def wechat_outputs(doc: Doc, site: SiteConfig, env: Environment) -> list[Output]:
    """``wechat/<n>.html`` (the fragment to paste) and ``wechat/<n>/index.html`` (a page
    to copy it from)."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    fragment, _ = render_wechat(doc, env, _sizes(doc, site))
    preview = env.get_template("wechat/preview.html").render(doc=doc, fragment=Markup(fragment))
    inputs = frozenset([doc.source])
    return [
        Output(f"wechat/{issue.number}.html", fragment.encode(), inputs=inputs),
        Output(f"wechat/{issue.number}/index.html", preview.encode(), inputs=inputs),
    ]


def _sizes(doc: Doc, site: SiteConfig) -> dict[str, tuple[int, int]]:
    """Pixel sizes of a document's images, by absolute URL."""
    return {site.base_url + doc.url + a.target: a.size for a in doc.entry.assets if a.size}


def _assets(docs: list[Doc]) -> list[Output]:
    """The images next to each document, copied beside its page."""
    return [
        Output(doc.url + asset.target, source=asset.source, inputs=frozenset([asset.source]))
        for doc in docs
        for asset in doc.entry.assets
    ]
