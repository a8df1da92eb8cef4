"""The static site: every page, feed and file below ``site/``, as :class:`Output` values.

:func:`render_site` reads like the site map: home pages, one page per issue and post,
tag pages and their feeds, the tag index, the archive, the 404 page, the site feeds,
sitemap.xml, robots.txt and the stylesheets.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import OrderedDict
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, meta
from lxml.html import HtmlElement
from markupsafe import Markup

from digest.config import SiteConfig
from digest.errors import DigestError
from digest.model import Asset, Content, Entry, Issue, Output, Tag
from digest.renderer.documents import Card, Catalog, Doc, Layout, catalog_of, render_doc
from digest.renderer.email import EmailIssue, adapt_doc, build_eml, render_email
from digest.renderer.env import Once, absolutize_once, make_env, template_dirs
from digest.renderer.feeds import (
    feed_links,
    render_feeds,
    render_json_feed,
    render_link_feed,
)
from digest.renderer.markdown import highlight_css, render_markdown
from digest.renderer.wechat import render_wechat


@dataclass(frozen=True)
class Job:
    """Outputs rendered together, and a key naming everything they are made from.

    Two builds that give a job the same key would render the same bytes, so an incremental
    build keeps that job's files from last time without rendering them.
    """

    name: str
    key: str
    render: Callable[[], list[Output]]
    # The job whose documents this one shows too: rendered right after it, in the same
    # process, this one finds them laid out.
    follows: str = ""


def render_site(site: SiteConfig, content: Content, templates: Path) -> list[Output]:
    """Everything the site serves, sorted by path (every job rendered)."""
    jobs = site_jobs(site, catalog_of(content, site), templates)
    return sorted((o for job in jobs for o in job.render()), key=lambda o: o.path)


def site_jobs(
    site: SiteConfig,
    catalog: Catalog,
    templates: Path,
    markdown_cache: MutableMapping[str, str] | None = None,
    salt: str = "",
) -> list[Job]:
    """Every output of the site as jobs, in a fixed order; nothing is rendered yet.

    ``salt`` goes into every key: the build passes what all outputs depend on (the code
    and site.toml). Each key adds the templates its kind of job renders with (see
    :data:`USES`) and the fingerprints of the documents the job shows, so editing one
    issue changes the keys of its page, its neighbours, its tags' pages, the listings and
    feeds that show it, and its email, and nothing else; editing ``issue.html`` changes
    the issue pages' keys only.
    """
    every = templates_digest(templates)
    cached = _ENVS.get((salt, str(templates), every)) if salt else None
    if cached is None:  # reuse the compiled templates while they and the settings stay
        env = site_env(site, templates)
        cached = (env, _TemplateDeps(env, every))
        if salt:
            _ENVS.clear()
            _ENVS[(salt, str(templates), every)] = cached
    env, deps = cached
    once = env.globals["once"]
    assert isinstance(once, Once)
    once.clear()  # what it remembers belongs to the last build's documents
    entries = catalog.cards  # newest first
    docs = _LazyDocs(site, env, markdown_cache, catalog.load)
    memo = _LISTED.setdefault(salt, {}) if salt else {}
    if len(_LISTED) > 4:  # other settings long gone (a preview's edits)
        _LISTED.clear()
        memo = _LISTED.setdefault(salt, {})

    def key(kind: str, *parts: object) -> str:
        digest = hashlib.sha256(f"{salt}\0{kind}\0{deps.digest(kind)}".encode())
        for part in parts:
            digest.update(
                b"\0" + (part.fingerprint if isinstance(part, Card) else repr(part)).encode()
            )
        return digest.hexdigest()

    def listed(card: Card) -> str:
        one = memo.get(card.fingerprint)
        if one is None:
            one = memo[card.fingerprint] = hashlib.sha256(repr(_listed(card)).encode()).hexdigest()
        return one

    def listing(chosen: Sequence[Card]) -> str:
        """What a list of excerpts shows of each document (not its body), as one digest."""
        return hashlib.sha256("".join(map(listed, chosen)).encode()).hexdigest()

    def newest(chosen: Sequence[Card]) -> list[Card]:
        """The documents a feed over ``chosen`` shows in full."""
        issues = [c for c in chosen if c.kind == "issue"][: site.feed_limit]
        return list(chosen[: site.feed_limit]) + issues

    jobs: list[Job] = []
    chunks = [list(entries[i : i + site.per_page]) for i in range(0, len(entries), site.per_page)]
    chunks = chunks or [[]]
    for n, chunk in enumerate(chunks):
        jobs.append(
            Job(
                f"home:{n}",
                key("home", n, len(chunks), listing(chunk)),
                functools.partial(_home_page, env, site, docs, chunks, n),
            )
        )
    for kind in ("issue", "post"):
        series = sorted((c for c in entries if c.kind == kind), key=lambda c: (c.date, c.url))
        for i, entry in enumerate(series):
            prev = series[i - 1] if i else None
            next_ = series[i + 1] if i + 1 < len(series) else None
            jobs.append(
                Job(
                    f"{PAGE}{entry.url}",
                    key("page", prev, entry, next_),
                    functools.partial(_doc_page, env, docs, kind, prev, entry, next_),
                )
            )
    tags = _by_tag(entries)
    for tag, tagged in tags.items():
        jobs.append(
            Job(
                f"tag:{tag.slug}",
                key("tag", tag, listing(tagged), *newest(tagged)),
                functools.partial(_tag_outputs, env, site, docs, tag, tagged),
            )
        )
    counts = [(tag, len(tagged)) for tag, tagged in tags.items()]
    jobs.append(
        Job(
            "tags",
            key("tags", counts),
            lambda: [_page(env, "tags/", "tags.html", [], title="全部标签", tags=counts)],
        )
    )
    jobs.append(
        Job(
            "archive",
            key("archive", listing(entries)),
            functools.partial(_archive, env, docs, entries),
        )
    )
    jobs.append(Job("fixed", key("fixed"), functools.partial(_fixed_pages, env, templates)))
    if entries:
        jobs.append(
            Job(
                "feeds",
                key("feeds", *newest(entries)),
                functools.partial(_site_feeds, env, site, docs, entries),
            )
        )
    for entry in entries:
        for asset in entry.assets:
            stat = asset.source.stat()
            jobs.append(
                Job(
                    f"asset:{entry.url}{asset.target}",
                    key("asset", asset, stat.st_size, stat.st_mtime_ns),
                    functools.partial(_asset, entry, asset),
                )
            )
    for entry in entries:
        if entry.kind == "issue":
            jobs.append(
                Job(
                    f"issue-files:{entry.number}",
                    key("issue-files", entry),
                    functools.partial(_issue_files, env, site, docs, entry),
                    follows=f"{PAGE}{entry.url}",
                )
            )
    pages = [
        "",
        *(f"page/{n}/" for n in range(2, len(chunks) + 1)),
        *(e.url for e in entries),
        *(f"tags/{t.slug}/" for t in tags),
        "tags/",
        "archive/",
        "search/",
    ]
    lastmod = {e.url: e.date for e in entries}
    jobs.append(
        Job(
            "sitemap",
            key("sitemap", sorted(pages), sorted(lastmod.items())),
            lambda: [
                Output(
                    "sitemap.xml",
                    env.get_template("sitemap.xml")
                    .render(pages=sorted(pages), lastmod=lastmod)
                    .encode(),
                )
            ],
        )
    )
    return jobs


PAGE = "page:"  # the name of an issue's or post's page job starts so (then its URL path)

# The templates each kind of job renders with, by name (Python code asks for them); each
# is followed through its extends, includes and imports. Kinds not listed ("fixed": the
# 404 and search pages, robots.txt and the static files) depend on every template file.
# tests/test_incremental.py checks, job by job, that rendering loads no other template.
_LAYOUT = ("partials/issue_body.html",)  # an issue's body (documents.py)
_FEEDS = ("feeds/feed.xml", "feeds/atom.xml", "feeds/links.xml")
USES: dict[str, tuple[str, ...]] = {
    "home": ("index.html",),
    "page": ("issue.html", "post.html", *_LAYOUT),
    "tag": ("tag.html", *_FEEDS, *_LAYOUT),
    "tags": ("tags.html",),
    "archive": ("archive.html",),
    "feeds": (*_FEEDS, *_LAYOUT),
    "asset": (),
    "issue-files": (
        "email/issue.html",
        "email/email.css",
        "wechat/article.html",
        "wechat/wechat.css",
        "wechat/preview.html",
        *_LAYOUT,
    ),
    "sitemap": ("sitemap.xml",),
}


def templates_digest(templates: Path) -> str:
    """A digest of every template file, built-in and the site's own (static files too)."""
    digest = hashlib.sha256()
    for folder in template_dirs(templates):
        for file in sorted(f for f in folder.rglob("*") if f.is_file()):
            digest.update(f"\0{file.relative_to(folder).as_posix()}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


class _TemplateDeps:
    """What each kind of job depends on among the templates, as a digest of the sources
    it renders with; ``every`` (all template files) when that cannot be told: a kind not
    in :data:`USES`, a template name computed at render time, a template that does not
    parse (its render reports the error)."""

    def __init__(self, env: Environment, every: str) -> None:
        self.env, self.every = env, every
        self.digests: dict[str, str] = {}

    def digest(self, kind: str) -> str:
        if kind not in self.digests:
            self.digests[kind] = self._digest(USES[kind]) if kind in USES else self.every
        return self.digests[kind]

    def _digest(self, names: tuple[str, ...]) -> str:
        sources = template_closure(self.env, names)
        if sources is None:
            return self.every
        digest = hashlib.sha256()
        for name in sorted(sources):
            digest.update(f"\0{name}\0{sources[name]}".encode())
        return digest.hexdigest()


def template_closure(env: Environment, names: tuple[str, ...]) -> dict[str, str] | None:
    """The templates ``names`` render with, by name with their sources: themselves and what
    they extend, include and import, all the way down (a missing one as ``"\0missing"``).
    None when that cannot be told: a name computed at render time, or a template that does
    not parse."""
    sources: dict[str, str] = {}
    todo = list(names)
    loader = env.loader
    assert loader is not None
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        try:
            sources[name] = loader.get_source(env, name)[0]
            referenced = list(meta.find_referenced_templates(env.parse(sources[name])))
        except TemplateNotFound:
            sources[name] = "\0missing"
            continue
        except TemplateSyntaxError:
            return None
        if None in referenced:
            return None
        todo += [r for r in referenced if r is not None]
    return sources


def _listed(card: Card) -> tuple[object, ...]:
    """The fields of a document that listings (home, tags, archive) show."""
    tags = [(tag.name, tag.slug) for tag in card.tags]  # plain tuples: a quicker repr
    return (
        card.kind,
        card.url,
        card.heading,
        card.title,
        card.own_title,
        card.date,
        tags,
        card.description,
    )


# The last build's environment and template dependencies, for the preview's next build.
_ENVS: dict[tuple[str, str, str], tuple[Environment, _TemplateDeps]] = {}

# What listings show of each document, by salt and fingerprint: a preview that rebuilds
# after every save computes it once per document version, not once per build.
_LISTED: dict[str, dict[str, str]] = {}


class _LazyDocs:
    """The document of each card jobs show, one object per card for the whole build (the
    template global ``once`` remembers listings by object); each loads its entry, and lays
    out its sections and body, when first asked for. Only the :data:`KEEP` documents
    loaded or asked for last keep what they loaded: the jobs of one document (its page,
    its email) find it laid out, and a worker that renders thousands of pages does not
    keep them all. The absolute bodies feeds show are kept apart, as UTF-8, for the
    :data:`BODIES` documents asked for last: the newest documents are in many tags' feeds.
    """

    # Enough for one tag's feeds (its 20 newest documents, and the issues of its link
    # feed). Against 128: 5 MB less in each process at N = 5,000.
    KEEP = 48
    # At N = 1,000, the 201 feed jobs took 3.7 s with 256, 5.9 s with 64, 7.6 s with none
    # (every tag's feeds then lay out, and make absolute, the documents they show again);
    # 1,024 gained nothing more measurable. An issue's body is about 25 KB in UTF-8.
    BODIES = 256

    def __init__(
        self,
        site: SiteConfig,
        env: Environment,
        cache: MutableMapping[str, str] | None,
        load: Callable[[Card], Entry],
    ) -> None:
        self.load, self.layout = load, Layout(site, env, cache)
        self.absolutize = absolutize_once(env)
        self.docs: dict[int, Doc] = {}  # by id: the catalog keeps its cards alive
        self.loaded: OrderedDict[int, Doc] = OrderedDict()  # least recently used first
        self.bodies: OrderedDict[int, tuple[Card, bytes]] = OrderedDict()  # absolute, UTF-8

    def __call__(self, card: Card) -> Doc:
        doc = self.docs.get(id(card))
        if doc is None or doc.card is not card:
            doc = Doc(card, functools.partial(self._load, card), self.layout, self._absolute)
            self.docs[id(card)] = doc
        elif id(card) in self.loaded:
            self.loaded.move_to_end(id(card))
        return doc

    def _load(self, card: Card) -> Entry:
        entry = self.load(card)
        self.loaded[id(card)] = self.docs[id(card)]
        if len(self.loaded) > self.KEEP:
            self.loaded.popitem(last=False)[1].forget()
        return entry

    def _absolute(self, doc: Doc) -> str:
        """``doc``'s absolute body (its feed entries), kept for the :data:`BODIES`
        documents asked for last, so that a document in many tags' feeds is seldom laid
        out and made absolute again for each."""
        key = id(doc.card)
        found = self.bodies.get(key)
        if found is not None and found[0] is doc.card:
            self.bodies.move_to_end(key)
            return found[1].decode()
        text = self.absolutize(doc.body, doc.url)
        self.bodies[key] = (doc.card, text.encode())
        if len(self.bodies) > self.BODIES:
            self.bodies.popitem(last=False)
        return text


def _home_page(
    env: Environment, site: SiteConfig, docs: _LazyDocs, chunks: list[list[Card]], n: int
) -> list[Output]:
    """``/``, ``/page/2/``, …: ``per_page`` documents each, latest first."""
    paths = [""] + [f"page/{i}/" for i in range(2, len(chunks) + 1)]
    chunk = [docs(e) for e in chunks[n]]
    return [
        _page(
            env,
            paths[n],
            "index.html",
            chunk,
            title=site.title,
            docs=chunk,
            page_number=n + 1,
            pages=len(chunks),
            newer=paths[n - 1] if n else None,
            older=paths[n + 1] if n + 1 < len(paths) else None,
        )
    ]


def _doc_page(
    env: Environment,
    docs: _LazyDocs,
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


def _archive(env: Environment, docs: _LazyDocs, entries: Sequence[Card]) -> list[Output]:
    """All documents by year."""
    every = [docs(e) for e in entries]
    years = [(year, list(group)) for year, group in itertools.groupby(every, lambda d: d.date.year)]
    return [_page(env, "archive/", "archive.html", every, title="归档", years=years)]


def _fixed_pages(env: Environment, templates: Path) -> list[Output]:
    """Pages and files that depend on nothing but the templates and site.toml."""
    out = [
        Output("404.html", _render(env, "404.html", title="页面不存在", path="404.html")),
        _page(env, "search/", "search.html", [], title="搜索"),
        Output("assets/highlight.css", highlight_css().encode()),
        Output("robots.txt", env.get_template("robots.txt").render().encode()),
    ]
    static = {
        f.name: f
        for d in reversed(template_dirs(templates))
        if (d / "static").is_dir()
        for f in (d / "static").iterdir()
        if f.is_file()
    }
    out += [Output(f"assets/{name}", source=f) for name, f in sorted(static.items())]
    return out


def _site_feeds(
    env: Environment, site: SiteConfig, docs: _LazyDocs, entries: Sequence[Card]
) -> list[Output]:
    """The site's RSS, Atom, link and JSON feeds."""
    newest = [docs(e) for e in entries[: site.feed_limit]]
    issues = [docs(e) for e in entries if e.kind == "issue"][: site.feed_limit]
    out = render_feeds(
        env, newest, title=site.title, description=site.description, page="", limit=site.feed_limit
    )
    out += render_link_feed(
        env, issues, title=f"{site.title} · 每条链接", page="", issues=site.feed_limit
    )
    out.append(render_json_feed(env, newest, site))
    return out


def _asset(entry: Card, asset: Asset) -> list[Output]:
    """An image next to a document, copied beside its page."""
    return [Output(entry.url + asset.target, source=asset.source, inputs=frozenset([asset.source]))]


def _issue_files(env: Environment, site: SiteConfig, docs: _LazyDocs, issue: Card) -> list[Output]:
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


def _tag_outputs(
    env: Environment, site: SiteConfig, docs: _LazyDocs, tag: Tag, entries: list[Card]
) -> list[Output]:
    """ "标签 Go 下的文章" with excerpts, and the tag's RSS, Atom and link feeds."""
    tagged = [docs(e) for e in entries]
    directory = f"tags/{tag.slug}/"
    heading = f"标签 {tag.name} 下的文章"
    feeds = feed_links(f"{site.title} · {tag.name}", directory)
    out = [
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
    ]
    out += render_feeds(
        env,
        tagged,
        title=f"{site.title} · {tag.name}",
        page=directory,
        description=heading,
        directory=directory,
        limit=site.feed_limit,
    )
    out += render_link_feed(
        env,
        tagged,
        title=f"{site.title} · {tag.name} · 每条链接",
        page=directory,
        directory=directory,
        issues=site.feed_limit,
        tag=tag,
    )
    return out


def _by_tag(entries: Sequence[Card]) -> dict[Tag, list[Card]]:
    """Each tag's documents, newest first; tags ordered by use, then by slug."""
    tags: dict[Tag, list[Card]] = {}
    for entry in entries:
        for tag in entry.tags:
            tags.setdefault(tag, []).append(entry)
    return dict(sorted(tags.items(), key=lambda kv: (-len(kv[1]), kv[0].slug)))


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
        Output(f"{base}.html", mail.html.encode(), inputs=inputs),
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
    return {site.base_url + doc.url + a.target: a.size for a in doc.entry.assets if a.size}
