"""The plan of a build: every output of the site as a :class:`Job` with a key.

A job is a render function of the renderer with its arguments (nothing rendered yet)
and a key naming everything its files are made from: the code and ``site.toml`` (the
salt), the templates its kind renders with (:data:`USES`, followed through ``extends``,
``include`` and ``import``), and what it shows of each document. Two builds that give a
job the same key render the same bytes, so an incremental build keeps its files.

Adding an output: its render function in ``renderer/site.py``, its kind and templates in
:data:`USES`, and a few lines in :meth:`Planner.jobs` saying what it shows.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, meta

from digest.build.documents import Documents
from digest.build.session import Session
from digest.config import SiteConfig
from digest.model import Output, Tag
from digest.renderer import site as pages
from digest.renderer.documents import Card, Catalog
from digest.renderer.env import Once, template_dirs

PAGE = "page:"  # the name of an issue's or post's page job starts so (then its URL path)
ISSUE_FILES = "issue-files:"  # the name of an issue's email and WeChat job (then its number)

# The templates each kind of job renders with, by name (Python code asks for them); each
# is followed through its extends, includes and imports. Kinds not listed ("fixed": the
# 404 and search pages, robots.txt and the static files) depend on every template file.
# tests/test_incremental.py checks, job by job, that rendering loads no other template.
_LAYOUT = ("partials/issue_body.html",)  # an issue's body (renderer/documents.py)
_FEEDS = ("feeds/feed.xml", "feeds/atom.xml", "feeds/links.xml", "feeds/more.html")
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
        "email/preview.html",
        "wechat/article.html",
        "wechat/wechat.css",
        "wechat/preview.html",
        *_LAYOUT,
    ),
    "sitemap": ("sitemap.xml",),
}


@dataclass(frozen=True)
class Job:
    """Outputs rendered together, and a key naming everything they are made from."""

    name: str
    key: str
    render: Callable[[], list[Output]]
    # The job whose documents this one shows too: rendered right after it, in the same
    # process, this one finds them laid out.
    follows: str = ""


def plan(
    site: SiteConfig,
    catalog: Catalog,
    templates: Path,
    session: Session,
    markdown: MutableMapping[str, str] | None = None,
    salt: str = "",
) -> list[Job]:
    """Every output of the site as jobs, in a fixed order; nothing is rendered yet.

    ``salt`` goes into every key: the build passes what all outputs depend on (the code
    and site.toml). Editing one issue changes the keys of its page, its neighbours, its
    tags' pages, the listings and feeds that show it, and its email, and nothing else;
    editing ``issue.html`` changes the issue pages' keys only. ``markdown`` keeps
    Markdown renders by the hash of their source."""
    env, deps = environment(site, templates, session, salt)
    once = env.globals["once"]
    assert isinstance(once, Once)
    once.clear()  # what it remembers belongs to the last build's documents
    docs = Documents(site, env, markdown, catalog.load)
    keys = Keys(site, deps, salt, _listed_memo(session, salt))
    return Planner(site, templates, env, docs, keys).jobs(catalog.cards)


def render_all(site: SiteConfig, catalog: Catalog, templates: Path) -> list[Output]:
    """Everything the site serves, sorted by path: every job rendered, in this process."""
    jobs = plan(site, catalog, templates, Session())
    return sorted((o for job in jobs for o in job.render()), key=lambda o: o.path)


def environment(
    site: SiteConfig, templates: Path, session: Session, salt: str
) -> tuple[Environment, TemplateDeps]:
    """The Jinja environment and template dependencies: the session's while the templates
    and the settings are the same, so a preview's rebuild reuses compiled templates."""
    every = templates_digest(templates)
    found = session.envs.get((salt, str(templates), every)) if salt else None
    if found is None:
        env = pages.site_env(site, templates)
        found = (env, TemplateDeps(env, every))
        if salt:
            session.envs.clear()
            session.envs[(salt, str(templates), every)] = found
    return found


def _listed_memo(session: Session, salt: str) -> dict[str, str]:
    """The session's digests of what listings show, for these settings."""
    if not salt:
        return {}
    if salt not in session.listed and len(session.listed) >= 4:  # other settings long gone
        session.listed.clear()
    return session.listed.setdefault(salt, {})


class Keys:
    """How a job's key is made: the salt, the templates of its kind, and what it shows."""

    def __init__(
        self, site: SiteConfig, deps: TemplateDeps, salt: str, listed: dict[str, str]
    ) -> None:
        self.site, self.deps, self.salt, self.listed = site, deps, salt, listed

    def __call__(self, kind: str, *parts: object) -> str:
        """The key of a job of ``kind`` that shows ``parts`` (cards by their fingerprint)."""
        digest = hashlib.sha256(f"{self.salt}\0{kind}\0{self.deps.digest(kind)}".encode())
        for part in parts:
            digest.update(
                b"\0" + (part.fingerprint if isinstance(part, Card) else repr(part)).encode()
            )
        return digest.hexdigest()

    def listing(self, chosen: Sequence[Card]) -> str:
        """What a list of excerpts shows of each document (not its body), as one digest."""
        return hashlib.sha256("".join(map(self._listed, chosen)).encode()).hexdigest()

    @staticmethod
    def newest(chosen: Sequence[Card], limit: int) -> list[Card]:
        """The documents feeds of ``limit`` entries over ``chosen`` show in full."""
        issues = [c for c in chosen if c.kind == "issue"][:limit]
        return list(chosen[:limit]) + issues

    def _listed(self, card: Card) -> str:
        one = self.listed.get(card.fingerprint)
        if one is None:
            one = hashlib.sha256(repr(_shown_in_listings(card)).encode()).hexdigest()
            self.listed[card.fingerprint] = one
        return one


class Planner:
    """Makes the jobs of one build: what each renders and shows, and so its key."""

    def __init__(
        self, site: SiteConfig, templates: Path, env: Environment, docs: Documents, keys: Keys
    ) -> None:
        self.site, self.templates, self.env, self.docs, self.key = site, templates, env, docs, keys

    def jobs(self, cards: Sequence[Card]) -> list[Job]:
        """Every job, for ``cards`` newest first."""
        site, env, docs, key = self.site, self.env, self.docs, self.key
        chunks = pages.chunked(cards, site.per_page)
        tags = _by_tag(cards)
        counts = [(tag, len(tagged)) for tag, tagged in tags.items()]
        jobs = [
            Job(
                f"home:{n}",
                key("home", n, len(chunks), key.listing(chunk)),
                functools.partial(pages.home_page, env, site, docs, chunks, n),
            )
            for n, chunk in enumerate(chunks)
        ]
        jobs += self._page_jobs(cards)
        jobs += [
            Job(
                f"tag:{tag.slug}",
                key("tag", tag, key.listing(tagged), *key.newest(tagged, self.site.tag_feed_limit)),
                functools.partial(pages.tag_outputs, env, site, docs, tag, tagged),
            )
            for tag, tagged in tags.items()
        ]
        jobs.append(
            Job("tags", key("tags", counts), functools.partial(pages.tags_page, env, counts))
        )
        archive = functools.partial(pages.archive, env, docs, cards)
        jobs.append(Job("archive", key("archive", key.listing(cards)), archive))
        fixed = functools.partial(pages.fixed_pages, env, site, self.templates)
        jobs.append(Job("fixed", key("fixed"), fixed))
        if cards:
            feeds = functools.partial(pages.site_feeds, env, site, docs, cards)
            jobs.append(Job("feeds", key("feeds", *key.newest(cards, self.site.feed_limit)), feeds))
        jobs += self._asset_jobs(cards)
        jobs += self._issue_file_jobs(cards)
        jobs.append(self._sitemap(cards, len(chunks), counts))
        return jobs

    def _page_jobs(self, cards: Sequence[Card]) -> list[Job]:
        """One page per issue and post, keyed with its neighbours of the same kind."""
        jobs = []
        for kind in ("issue", "post"):
            series = sorted((c for c in cards if c.kind == kind), key=lambda c: (c.date, c.url))
            for i, card in enumerate(series):
                prev = series[i - 1] if i else None
                next_ = series[i + 1] if i + 1 < len(series) else None
                jobs.append(
                    Job(
                        f"{PAGE}{card.url}",
                        self.key("page", prev, card, next_),
                        functools.partial(
                            pages.doc_page, self.env, self.docs, kind, prev, card, next_
                        ),
                    )
                )
        return jobs

    def _asset_jobs(self, cards: Sequence[Card]) -> list[Job]:
        """Each image next to a document, copied beside its page (keyed by its stat)."""
        jobs = []
        for card in cards:
            for asset in card.assets:
                stat = asset.source.stat()
                jobs.append(
                    Job(
                        f"asset:{card.url}{asset.target}",
                        self.key("asset", asset, stat.st_size, stat.st_mtime_ns),
                        functools.partial(pages.asset, card, asset),
                    )
                )
        return jobs

    def _issue_file_jobs(self, cards: Sequence[Card]) -> list[Job]:
        """The email and WeChat files of the ``[email] newest_issues`` newest issues, each
        right after its page. Nothing on the site links to them, and they cost more than
        everything else an issue makes; ``digest email N`` makes any issue's on demand."""
        issues = sorted((c for c in cards if c.kind == "issue"), key=lambda c: -c.number)
        return [
            Job(
                f"{ISSUE_FILES}{card.number}",
                self.key("issue-files", card),
                functools.partial(pages.issue_files, self.env, self.site, self.docs, card),
                follows=f"{PAGE}{card.url}",
            )
            for card in issues[: self.site.email.newest_issues]
        ]

    def _sitemap(self, cards: Sequence[Card], home_pages: int, tags: list[tuple[Tag, int]]) -> Job:
        per_page = self.site.per_page
        urls = sorted(
            [
                *pages.listing_paths("", home_pages),
                *(c.url for c in cards),
                *(
                    path
                    for tag, count in tags
                    for path in pages.listing_paths(f"tags/{tag.slug}/", -(-count // per_page))
                ),
                "tags/",
                "archive/",
                "search/",
            ]
        )
        lastmod = {c.url: c.date for c in cards}
        return Job(
            "sitemap",
            self.key("sitemap", urls, sorted(lastmod.items())),
            functools.partial(pages.sitemap, self.env, urls, lastmod),
        )


def templates_digest(templates: Path) -> str:
    """A digest of every template file, built-in and the site's own (static files too)."""
    digest = hashlib.sha256()
    for folder in template_dirs(templates):
        for file in sorted(f for f in folder.rglob("*") if f.is_file()):
            digest.update(f"\0{file.relative_to(folder).as_posix()}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


class TemplateDeps:
    """What each kind of job depends on among the templates, as a digest of the sources
    it renders with; ``every`` (all template files) when that cannot be told: a kind not
    in :data:`USES`, a template name computed at render time, a template that does not
    parse (its render reports the error)."""

    def __init__(self, env: Environment, every: str) -> None:
        self.env, self.every = env, every
        self.digests: dict[str, str] = {}

    def digest(self, kind: str) -> str:
        """The digest of the templates jobs of ``kind`` render with."""
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


def _shown_in_listings(card: Card) -> tuple[object, ...]:
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


def _by_tag(cards: Sequence[Card]) -> dict[Tag, list[Card]]:
    """Each tag's documents, newest first; tags ordered by use, then by slug."""
    tags: dict[Tag, list[Card]] = {}
    for card in cards:
        for tag in card.tags:
            tags.setdefault(tag, []).append(card)
    return dict(sorted(tags.items(), key=lambda kv: (-len(kv[1]), kv[0].slug)))
