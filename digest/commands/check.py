"""``digest check``: every problem in one run, for the editor and for the publishing job.

Errors (exit 1): content that does not validate, internal links or ``#anchors`` of the
built site that lead nowhere (images and stylesheets included), links and images to a
``file:`` on the writer's disk, an ``[email]
unsubscribe_url`` inside the site where the build makes no page, feeds that do not parse,
an email over Gmail's clipping limit (``[email] clip_kb``; over ``max_kb`` too, which
``digest build`` refuses), links of the newest issue that the scrape cache knows are
gone, and a ``digest new`` note or placeholder left in an issue not marked ``draft:
true`` (the publishing workflow runs this check, so such an issue is never deployed).
Warnings (exit 0, or 1 with ``--strict``): editorial lint, namely tracking
parameters in a curated link, a link already used in one of the 25 issues before, an
``http://`` link whose site serves ``https://``, a title that looks truncated or is still a
bare URL, an item with neither commentary nor summary, and gone links in older issues.
A malformed ``content/inbox.md`` or ``content/sources.toml`` is an error.

The site is built afresh into a temporary folder, so ``site/`` is never touched; without
``[email] max_kb``, so that an issue the build would refuse is reported with everything
else. The site's own feeds are read with feedparser, as readers' apps read them; each
tag's feeds, made by the same templates, only with lxml (well-formed XML, the right root):
feedparser takes seconds over a tag feed of megabytes, and a big issue is in every one of
its tags' feeds.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from digest.build.pipeline import BuildOptions, build
from digest.build.project import load
from digest.config import SiteConfig
from digest.config.source import Source
from digest.content.inbox import load_inbox
from digest.content.sources import load_sources
from digest.errors import ContentError, Location
from digest.model import CachedPage, Content, Issue, Item
from digest.model.notes import draft_notes
from digest.renderer.email import NEAR_CLIP, kilobytes
from digest.renderer.site import unsubscribe_path
from digest.text.urls import is_tracking, normalize_url, split_url

RECENT_ISSUES = 25
FEED_ROOTS = ("rss", "{http://www.w3.org/2005/Atom}feed")
_ROUND = re.compile(r"(\.\.\.|…)$")


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, where, a short kind, and what to do about it."""

    severity: str  # "error" or "warning"
    where: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"

    def to_json(self) -> dict[str, str]:
        """The finding as a JSON object (``--format json``)."""
        return asdict(self)


def check(root: Path) -> list[Finding]:
    """Every finding for the project at ``root``, errors first."""
    findings: list[Finding] = []
    try:
        site, content, pages = load(root, drafts=True)
    except ContentError as exc:
        return [Finding("error", str(p.location), "content", p.message) for p in exc.problems]
    findings += lint_items(site, content, pages)
    readers = (("inbox", "inbox.md", load_inbox), ("sources", "sources.toml", load_sources))
    for kind, name, read in readers:
        try:
            read(root / "content" / name, site)
        except ContentError as exc:
            findings += [Finding("error", str(p.location), kind, p.message) for p in exc.problems]
    findings += [
        Finding("error", str(note.location), "draft-note", note.message)
        for issue in content.issues
        for note in draft_notes(issue)
    ]
    with tempfile.TemporaryDirectory(prefix="digest-check-") as tmp:
        built = Path(tmp) / "site"
        build(root, BuildOptions(target=built, email_limit=False))
        findings += check_site(built, site)
    return sorted(findings, key=lambda f: (f.severity != "error", f.where, f.kind))


# --- the built site ----------------------------------------------------------------------


def check_site(site_dir: Path, site: SiteConfig) -> list[Finding]:
    """Internal links and anchors, the unsubscribe page, feeds, email sizes of a built site."""
    return [
        *_link_findings(site_dir, site),
        *_unsubscribe_findings(site_dir, site),
        *_feed_findings(site_dir),
        *_email_findings(site_dir, site),
    ]


def _unsubscribe_findings(site_dir: Path, site: SiteConfig) -> Iterator[Finding]:
    """Every email's 退订 link leads to ``[email] unsubscribe_url``: when that lies inside
    the site, the built site must have the unsubscribe page there."""
    url = site.email.unsubscribe_url
    if not url or site.inside(url) is None:
        return
    path = unsubscribe_path(site)
    if path is not None and (site_dir / path).is_file():
        return
    line = Source(site.path, site.path.read_text(encoding="utf-8")).line_of(
        "unsubscribe_url", "email"
    )
    message = (
        f"[email] unsubscribe_url '{url}' lies inside the site, but the build makes no page "
        "there, so every email's unsubscribe link is broken: give it a path of its own "
        "ending in / or .html (such as unsubscribe/), or a URL that takes the request"
    )
    yield Finding("error", str(Location(site.path, line)), "unsubscribe", message)


def _link_findings(site_dir: Path, site: SiteConfig) -> Iterator[Finding]:
    """Links, images and stylesheets of the site's pages that lead to no file or anchor."""
    emails = site_dir / "email"  # they link to the published site; only their size is checked
    trees = {
        page: lxml_html.fromstring(page.read_bytes())
        for page in sorted(site_dir.rglob("*.html"))
        if page.parent != emails
    }
    ids = {page: {str(i) for i in tree.xpath("//@id")} for page, tree in trees.items()}
    for page, tree in trees.items():
        where = str(page.relative_to(site_dir))
        for attr, url in _references(tree):
            if url[:5].lower() == "file:":  # pasted from a word processor, or a saved page
                message = f"{attr} '{url}' names a file on the writer's disk: no reader has it"
                yield Finding("error", where, "broken-link", message)
                continue
            target, fragment = _resolve(url, page, site_dir, site)
            if target is None:
                continue  # external
            if not target.is_file():
                message = f"{attr} '{url}' leads to a missing file"
                yield Finding("error", where, "broken-link", message)
            elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
                message = f"link '{url}' points to a missing #{fragment}"
                yield Finding("error", where, "missing-anchor", message)


def _feed_findings(site_dir: Path) -> Iterator[Finding]:
    """Feeds of the site that do not parse: the site's own as feedparser reads them, the
    others (each tag's) as XML with a feed's root element."""
    for feed in sorted(site_dir.rglob("*.xml")):
        if feed.name == "sitemap.xml":
            continue
        where = str(feed.relative_to(site_dir))
        if feed.parent == site_dir:
            parsed = feedparser.parse(feed.read_bytes())
            if parsed.bozo:
                message = f"feed does not parse: {parsed.get('bozo_exception')}"
                yield Finding("error", where, "feed", message)
            continue
        try:
            tag = etree.fromstring(feed.read_bytes()).tag
        except etree.XMLSyntaxError as exc:
            yield Finding("error", where, "feed", f"feed does not parse: {exc}")
            continue
        if tag not in FEED_ROOTS:
            yield Finding("error", where, "feed", f"feed's root element is <{tag}>")


def _email_findings(site_dir: Path, site: SiteConfig) -> Iterator[Finding]:
    """Emails that Gmail clips (``[email] clip_kb``), or nearly, or that the build refuses
    (``max_kb``)."""
    clip, limit = site.email.clip_kb * 1024, site.email.max_kb * 1024
    for email in sorted((site_dir / "email").glob("*.html")):
        size = email.stat().st_size
        where = str(email.relative_to(site_dir))
        if limit and size > limit:
            message = (
                f"{kilobytes(size)}: over [email] max_kb ({site.email.max_kb} KB); "
                "digest build refuses it"
            )
            yield Finding("error", where, "email-size", message)
        elif clip and size > clip:
            message = f"{kilobytes(size)}: Gmail clips emails over {site.email.clip_kb} KB"
            yield Finding("error", where, "email-size", message)
        elif clip and size > clip - NEAR_CLIP:
            message = f"{kilobytes(size)}: close to Gmail's {site.email.clip_kb} KB clipping"
            yield Finding("warning", where, "email-size", message)


def _references(tree: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    for el in tree.iter():
        for attr in ("href", "src"):
            value = el.get(attr)
            if value and not (el.tag == "link" and el.get("rel") == "canonical"):
                yield attr, value


def _resolve(url: str, page: Path, site_dir: Path, site: SiteConfig) -> tuple[Path | None, str]:
    """The file an internal URL names (None for external ones) and its fragment."""
    parts = split_url(url)  # None for http://[::1: no page of the site
    if parts is None or parts.scheme in ("mailto", "tel", "data", "javascript"):
        return None, ""
    base = urlsplit(site.base_url)
    if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc) != (
        base.scheme,
        base.netloc,
    ):
        return None, ""
    path, base_path = unquote(parts.path), unquote(base.path)  # /%E5%91%A8…/ is /周刊/
    if not path:
        target = page
    elif path.startswith("/"):
        if not path.startswith(base_path):
            return site_dir / "\0outside", parts.fragment
        target = site_dir / path[len(base_path) :]
    else:
        target = page.parent / path
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


# --- editorial lint ------------------------------------------------------------------------


def lint_items(site: SiteConfig, content: Content, pages: dict[str, CachedPage]) -> list[Finding]:
    """The warnings (and the newest issue's dead-link errors) about curated items."""
    findings = []
    issues = sorted(content.issues, key=lambda i: i.number)
    seen: dict[str, list[tuple[int, Location]]] = {}
    for position, issue in enumerate(issues):
        newest = position == len(issues) - 1
        for item in _items(issue):
            where = Location(issue.source, item.line)
            key = normalize_url(item.url)
            for message, kind in _item_warnings(item, site, pages.get(key)):
                findings.append(Finding("warning", str(where), kind, message))
            earlier = [
                (n, loc) for n, loc in seen.get(key, []) if issue.number - n <= RECENT_ISSUES
            ]
            if earlier:
                n, loc = earlier[-1]
                findings.append(
                    Finding(
                        "warning",
                        str(where),
                        "repeated-link",
                        f"{item.url} was already in issue {n} ({loc})",
                    )
                )
            page = pages.get(key)
            if page is not None and page.outcome == "gone":
                findings.append(
                    Finding(
                        "error" if newest else "warning",
                        str(where),
                        "dead-link",
                        f"{item.url} is gone (HTTP {page.status})",
                    )
                )
            seen.setdefault(key, []).append((issue.number, where))
    return findings


def _items(issue: Issue) -> Iterator[Item]:
    for section in issue.sections:
        yield from section.items


def _item_warnings(
    item: Item, site: SiteConfig, page: CachedPage | None
) -> Iterator[tuple[str, str]]:
    parts = urlsplit(item.url)
    tracking = sorted(
        {k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if is_tracking(k)}
    )
    if tracking:
        yield (
            f"{item.url} carries tracking parameters ({', '.join(tracking)}); "
            f"use {normalize_url(item.url)}",
            "tracking",
        )
    if parts.scheme == "http":
        own = parts.hostname == urlsplit(site.base_url).hostname and site.base_url.startswith(
            "https"
        )
        moved = (
            page is not None
            and page.record is not None
            and page.record.final_url.startswith("https://")
        )
        if own or moved:
            yield f"{item.url} is http:// but the site serves https://", "insecure-link"
    title = item.title or ""
    if item.title is None:
        yield "the title is still the bare URL: write one, or run digest fetch", "bare-url"
    elif _ROUND.search(title) and len(_ROUND.sub("", title).rstrip()) % 10 == 0:
        yield f"the title “{title}” looks cut off", "truncated-title"
    if not item.commentary.strip() and not item.summary.strip():
        yield "the item has neither commentary nor summary", "empty-item"
