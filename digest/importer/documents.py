"""Source entries -> the files of our content format, planned but not yet written.

A post becomes ``content/posts/<slug>.md``: the slug is the source's own when it is one
of ours (lowercase letters, digits, ``-``), else the decoded slug or the title made into
one by the tag rule (``也谈-go-的调度器`` -> ``ye-tan-go-de-diao-du-qi``). An entry whose
title names a numbered weekly issue becomes ``content/issues/NNNN.md``. Dates are written
in the site's time zone. Images stay links to their URLs, or (``--download-images``) are
planned as files next to the Markdown, named after it (``<slug>-<name>.png``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from digest.config import SLUG_RE, SiteConfig
from digest.importer.issues import issue_body, issue_number, issue_title
from digest.importer.markdown import to_markdown
from digest.model import DATE_YEARS
from digest.model.imports import SkippedEntry, SourceEntry
from digest.text.mdsyntax import md_url, yaml_quote
from digest.text.slugs import SLUG_MAX, slugify

_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class ImportOptions:
    """How entries are planned: ``issues_pattern`` (a regular expression whose first
    group is the issue number) overrides ``…[第N期]``; ``download_images`` plans local
    copies of the images; ``carried``: images the sources hold themselves (a saved
    page's), whose copies are planned without it."""

    issues_pattern: str | None = None
    download_images: bool = False
    carried: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Known:
    """What ``content/`` already holds: issue numbers and post slugs with their files
    (relative to the project), and tag names (their spelling wins over the source's)."""

    issues: dict[int, str] = field(default_factory=dict)
    posts: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedImage:
    """An image to download: its URL and the file it would be, relative to the project."""

    url: str
    path: str


@dataclass(frozen=True)
class Planned:
    """One file to write (relative to the project) for one entry, with its images."""

    entry: SourceEntry
    path: str
    text: str
    images: tuple[PlannedImage, ...]
    notes: tuple[str, ...]


def plan(
    entries: Iterable[SourceEntry], site: SiteConfig, options: ImportOptions, known: Known
) -> tuple[list[Planned], list[SkippedEntry]]:
    """A file for each entry that can be one; the others, with the reason."""
    planned: list[Planned] = []
    skipped: list[SkippedEntry] = []
    claimed: dict[str, SourceEntry] = {}  # path -> the entry planned there in this run
    tags = _TagSpelling(known.tags)
    for entry in entries:
        if entry.published is None:
            why = "no date in the source (a post needs one: add it and import again)"
            skipped.append(SkippedEntry(entry.origin, entry.title, why))
            continue
        first, last = DATE_YEARS
        if not first <= entry.published.year <= last:
            why = f"dated in the year {entry.published.year} (a post's date lies in {first}-{last})"
            skipped.append(SkippedEntry(entry.origin, entry.title, why))
            continue
        number = issue_number(entry.title, options.issues_pattern)
        if number is not None:
            earlier = claimed.get(f"content/issues/{number:04d}.md")
            item: Planned | SkippedEntry = (
                _issue(entry, number, site, options, known, tags)
                if earlier is None  # the same issue twice in one source: the first stays
                else _again(entry, number, earlier)
            )
        else:
            item = _post(entry, site, options, known, claimed, tags)
        if isinstance(item, Planned):
            claimed[item.path] = entry
            planned.append(item)
        else:
            skipped.append(item)
    return planned, skipped


def _again(entry: SourceEntry, number: int, earlier: SourceEntry) -> SkippedEntry:
    why = f"issue {number} is already {earlier.origin}: {earlier.title}"
    return SkippedEntry(entry.origin, entry.title, why)


class _TagSpelling:
    """One spelling per tag slug in a run: ``content/``'s first, then the first seen."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_slug: dict[str, str] = {}
        for name in names:
            self.by_slug.setdefault(slugify(name), name)

    def names(self, names: Iterable[str]) -> tuple[str, ...]:
        named = (n.strip() for n in names)  # a category WordPress left without a name
        return tuple(dict.fromkeys(self.by_slug.setdefault(slugify(n), n) for n in named if n))


def _post(
    entry: SourceEntry,
    site: SiteConfig,
    options: ImportOptions,
    known: Known,
    claimed: dict[str, SourceEntry],
    tags: _TagSpelling,
) -> Planned | SkippedEntry:
    slug = post_slug(entry)
    path = f"content/posts/{slug}.md"
    n = 2
    while path in claimed:  # two entries of one source with one slug
        path = f"content/posts/{slug}-{n}.md"
        n += 1
    slug = PurePosixPath(path).stem
    if (other := known.posts.get(slug)) and other != path:
        return SkippedEntry(entry.origin, entry.title, f"the post '{slug}' is already {other}")
    converted = to_markdown(entry.html, entry.base_url)
    body, images = _images(converted.text, converted.images, path, options)
    title = entry.title or _first_words(body)
    meta = [("title", _scalar(title)), ("date", _date(entry, site))]
    meta += _common(entry, tags)
    return Planned(entry, path, _document(meta, body), images, entry.notes + converted.notes)


def _issue(
    entry: SourceEntry,
    number: int,
    site: SiteConfig,
    options: ImportOptions,
    known: Known,
    tags: _TagSpelling,
) -> Planned | SkippedEntry:
    path = f"content/issues/{number:04d}.md"
    if (other := known.issues.get(number)) and other != path:
        why = f"issue {number} is already {other}"
        return SkippedEntry(entry.origin, entry.title, why)
    converted = to_markdown(entry.html, entry.base_url)
    shaped = issue_body(converted.text, site)
    body, images = _images(shaped.text, converted.images, path, options)
    title = issue_title(entry.title, number, options.issues_pattern, site)
    meta = [("number", str(number)), ("title", _scalar(title)), ("date", _date(entry, site))]
    meta += _common(entry, tags)
    notes = entry.notes + converted.notes
    if not shaped.structured:
        notes += ("its sections were not recognised: the whole text is the issue's intro",)
    return Planned(entry, path, _document(meta, body), images, notes)


def post_slug(entry: SourceEntry) -> str:
    """The source's slug when it is one of ours, else one made from it or the title."""
    slug = unquote(entry.slug).strip().lower()
    if SLUG_RE.match(slug) and len(slug) <= SLUG_MAX:
        return slug
    made = slugify(slug or entry.title)
    return made if not made.startswith("tag-") else "post-" + made[4:]


def _common(entry: SourceEntry, tags: _TagSpelling) -> list[tuple[str, str]]:
    meta = []
    if entry.tags:
        meta.append(("tags", "[" + ", ".join(_flow(t) for t in tags.names(entry.tags)) + "]"))
    if summary := " ".join(entry.summary.split()):
        meta.append(("summary", _scalar(summary)))
    if entry.draft:
        meta.append(("draft", "true"))
    return meta


def _date(entry: SourceEntry, site: SiteConfig) -> str:
    when = entry.published
    assert when is not None  # plan() skips undated entries
    if when.tzinfo is not None:
        when = when.astimezone(site.tz)
    return when.strftime("%Y-%m-%d %H:%M")


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when it reads back as itself, else quoted."""
    text = " ".join(text.split())
    try:
        plain = yaml.safe_load(f"key: {text}") == {"key": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and "#" not in text else yaml_quote(text)


def _flow(name: str) -> str:
    """A tag name inside ``[…]``: plain when it reads back as itself, else quoted."""
    try:
        plain = yaml.safe_load(f"[{name}]") == [name]
    except yaml.YAMLError:
        plain = False
    return name if plain and "#" not in name else yaml_quote(name)


def _document(meta: list[tuple[str, str]], body: str) -> str:
    head = "\n".join(f"{key}: {value}" for key, value in meta)
    return f"---\n{head}\n---\n\n{body}"


def _first_words(body: str) -> str:
    text = re.sub(r"[#*_`>\[\]()!-]", " ", body)
    return " ".join(text.split())[:30] or "无题"


def _images(
    body: str, urls: tuple[str, ...], path: str, options: ImportOptions
) -> tuple[str, tuple[PlannedImage, ...]]:
    """The images to download, each with its file; the body still links to the URLs
    (:func:`localise` points it at the files that arrived). An image the source carries,
    and a ``file:`` one, is planned with or without ``download_images``: a post must not
    link the editor's disk (the import names a file it cannot copy)."""
    if not options.download_images:
        urls = tuple(u for u in urls if u in options.carried or u.startswith("file:"))
    folder = PurePosixPath(path).parent
    stem = PurePosixPath(path).stem
    planned: list[PlannedImage] = []
    names: set[str] = set()
    for url in urls:
        name = image_name(stem, url)
        base, dot, ext = name.rpartition(".")
        n = 2
        while name in names:
            name = f"{base}-{n}.{ext}" if dot else f"{name}-{n}"
            n += 1
        names.add(name)
        planned.append(PlannedImage(url, str(folder / name)))
    return body, tuple(planned)


_FORMAT = {"png": "png", "jpeg": "jpg", "jpg": "jpg", "gif": "gif", "webp": "webp"}


def image_name(stem: str, url: str) -> str:
    """``<stem>-<file name>`` for an image URL, in letters, digits, ``.``, ``_`` and ``-``;
    a name without an extension takes the format the URL's query names, as WeChat's
    do (``mmbiz.qpic.cn/…/640?wx_fmt=png``, or ``tp=webp`` when it sends WebP whatever the
    upload was): served without one, a file has no image type."""
    parts = urlsplit(url)
    name = unquote(PurePosixPath(parts.path).name).lower()
    base, dot, ext = name.rpartition(".")
    if not dot:
        query = {key: values[0].lower() for key, values in parse_qs(parts.query).items()}
        said = "webp" if query.get("tp") == "webp" else query.get("wx_fmt", "")  # tp: as sent
        base, ext = name, _FORMAT.get(said, "")
    base = _NAME.sub("-", base).strip("-.") or slugify(base)
    ext = _NAME.sub("", ext)[:5]
    return f"{stem}-{base}" + (f".{ext}" if ext else "")


def localise(text: str, images: Iterable[PlannedImage], present: set[str]) -> str:
    """``text`` with every image in ``present`` (their paths) linked as the local file: its
    whole URL, up to the link's ``)`` or its title (``a.png`` is not the start of ``a.png?w=300``,
    WordPress.com's smaller copy, which has a file of its own)."""
    for image in images:
        if image.path in present:
            local = f"]({PurePosixPath(image.path).name}"
            whole = re.compile(re.escape(f"]({md_url(image.url)}") + r"(?=[ )])")
            text = whole.sub(local.replace("\\", "\\\\"), text)
    return text
