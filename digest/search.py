"""The static search index: ours, made from the issue and post pages a build stages.

A page marks the part readers search with ``data-search`` (its date in
``data-search-date``, what to leave out with ``data-search-ignore``; its ``h1`` is its
title); every heading with an ``id`` inside it starts a part of its own (an issue's
items, a post's sections), so results can point at ``/issues/7/#item-3``.
Words are folded (NFKC, lower case) into terms: runs of ASCII letters and digits, and in
Chinese, Japanese and Korean text every two neighbouring characters (a lone character is
a term by itself). Bigrams need no dictionary and find any word a reader types; what
they find is checked against all of the query's bigrams, so "容器镜像" does not find a
page that only says "容器".

The bundle, below ``search/data/``:

- ``index.json``: the format version, the number of buckets and of parts, and a key
  that changes with any file of the bundle (readers add it to every URL they fetch, so a
  cache never mixes two builds).
- ``b/<n>.json``: bucket ``n`` of the postings, ``{page: {term: [part, weight, ...]}}``.
  A term's bucket is a hash of its first character (CJK) or first three characters, so
  a reader's query fetches a bucket per word and can match prefixes ("gorou").
- ``pages/<page>.json``: a page's URL, title, date and parts (anchor, title, text), for
  the results' titles and excerpts.

Weights are BM25's term-frequency part with a fixed average length (so a page's
postings do not depend on other pages), titles counting five times; the reader's script
(``assets/search.js``) multiplies them by each term's rarity.

Each page's postings are kept in ``.cache/search/pages.sqlite`` under its job's key (a
page with the same key has the same bytes), so a rebuild after an edit parses only the
pages that changed and writes the bundle out again from the cache, buckets streamed
through small spill files so memory stays flat however big the archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from digest.errors import DigestError

VERSION = 1
FOLDER = "search/data"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(f"[0-9a-z]+|[{CJK}]+")
_CJK = re.compile(f"[{CJK}]")
LONGEST = 40  # longer ASCII runs (hashes, base64) are not words anyone searches
PREFIX = 3  # ASCII terms are bucketed by their first three characters
TITLE = 5  # a word in a title counts as much as five in the text
K1, B, AVERAGE = 1.2, 0.75, 200  # BM25; the average length is fixed, not the corpus's
_HEADINGS = {"h2", "h3", "h4"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
_SKIP = {"script", "style", "template", "noscript"}
_TIGHT = (",", ":")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")  # the build writes every page in UTF-8
SPILL = 8_000_000  # characters of postings buffered before they go to the spill files


def words(text: str) -> list[str]:
    """The runs of ``text`` a term is made from: ASCII words and CJK runs, folded."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def terms(text: str) -> list[str]:
    """The terms of ``text``, in order, repeats included."""
    found = []
    for word in words(text):
        if _CJK.match(word):
            if len(word) == 1:
                found.append(word)
            else:
                found += [word[i : i + 2] for i in range(len(word) - 1)]
        elif len(word) <= LONGEST:
            found.append(word)
    return found


def bucket_of(term: str, buckets: int) -> int:
    """The bucket holding ``term``: FNV-1a of its key, as the reader's script computes it."""
    key = term[0] if _CJK.match(term) else term[:PREFIX]
    h = 2166136261
    for ch in key:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h & (buckets - 1)


def bucket_count(pages: int) -> int:
    """Buckets for an archive of ``pages`` pages: about two pages' postings a bucket."""
    count = 16
    while count < pages // 2 and count < 4096:
        count *= 2
    return count


@dataclass(frozen=True)
class Part:
    anchor: str  # "" for the page itself
    title: str
    text: str


@dataclass(frozen=True)
class Page:
    url: str  # below the site root: "issues/7/"
    title: str
    date: str
    parts: tuple[Part, ...]

    @property
    def key(self) -> str:
        return self.url.strip("/")

    def meta(self) -> str:
        docs = [[p.anchor, p.title, p.text] for p in self.parts]
        data = {"url": self.url, "title": self.title, "date": self.date, "parts": docs}
        return json.dumps(data, ensure_ascii=False, separators=_TIGHT)

    def postings(self, buckets: int) -> dict[int, str]:
        """Per bucket, this page's entry of it: ``"page":{term:[part,weight,...]}``."""
        found: dict[str, list[int]] = {}
        for index, part in enumerate(self.parts):
            title, text = terms(part.title), terms(part.text)
            counts = Counter(text)
            for term in title:
                counts[term] += TITLE
            length = len(text) + len(title)
            norm = K1 * (1 - B + B * length / AVERAGE)
            for term, tf in counts.items():
                weight = max(1, round(100 * tf * (K1 + 1) / (tf + norm)))
                found.setdefault(term, []).extend((index, weight))
        grouped: dict[int, list[str]] = {}
        for term in sorted(found):
            entry = (
                json.dumps(term, ensure_ascii=False)
                + ":"
                + json.dumps(found[term], separators=_TIGHT)
            )
            grouped.setdefault(bucket_of(term, buckets), []).append(entry)
        name = json.dumps(self.key, ensure_ascii=False)
        return {b: f"{name}:{{{','.join(entries)}}}" for b, entries in sorted(grouped.items())}


def read_page(html: bytes, url: str) -> Page | None:
    """The searchable part of a page (its element with ``data-search``); None without one."""
    root = lxml.html.document_fromstring(html, parser=_PARSER)
    found = root.xpath("//*[@data-search]")
    if not found:
        return None
    body = found[0]
    h1 = body.find(".//h1")
    title = _squash(_text(h1, skip_numbers=True)) if h1 is not None else ""
    parts: list[tuple[str, str, list[str]]] = [("", title, [])]

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP or _ignored(child):
                if isinstance(child.tag, str) and child.tail:
                    parts[-1][2].append(child.tail)
                continue
            if child.tag in _HEADINGS and child.get("id"):
                parts.append((child.get("id", ""), _squash(_text(child, skip_numbers=True)), []))
            elif child is not h1:
                block = child.tag in _BLOCKS
                if block:
                    parts[-1][2].append(" ")
                if child.text:
                    parts[-1][2].append(child.text)
                walk(child)
                if block:
                    parts[-1][2].append(" ")
            if child.tail:
                parts[-1][2].append(child.tail)

    if body.text:
        parts[0][2].append(body.text)
    walk(body)
    return Page(
        url, title, body.get("data-search-date", ""),
        tuple(Part(anchor, t, _squash("".join(chunks))) for anchor, t, chunks in parts),
    )  # fmt: skip


def _ignored(el: etree._Element) -> bool:
    return el.get("data-search-ignore") is not None or "anchor" in (el.get("class") or "").split()


def _text(el: etree._Element, *, skip_numbers: bool) -> str:
    """``el``'s text without its ``anchor`` links (and ``item-number`` marks)."""
    chunks = []

    def walk(node: etree._Element) -> None:
        if node.text:
            chunks.append(node.text)
        for child in node:
            classes = (child.get("class") or "").split() if isinstance(child.tag, str) else []
            if isinstance(child.tag, str) and not (
                "anchor" in classes or (skip_numbers and "item-number" in classes)
            ):
                walk(child)
            if child.tail:
                chunks.append(child.tail)

    walk(el)
    return "".join(chunks)


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Indexed:
    """A page as the bundle holds it: its metadata file, how many parts, its postings."""

    meta: str
    parts: int
    postings: dict[int, str]


class Store:
    """Each page's postings and metadata by the key of the job that rendered it."""

    KEEP = 5  # builds a page's entry outlives its last use

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        try:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, build INTEGER, "
                "data TEXT NOT NULL)"
            )
        except sqlite3.DatabaseError:  # not a database: start again
            self.db.close()
            path.unlink()
            self.db = sqlite3.connect(path, timeout=30)
            self.db.execute("CREATE TABLE pages (key TEXT PRIMARY KEY, build INTEGER, data TEXT)")
        row = self.db.execute("SELECT max(build) FROM pages").fetchone()
        self.build = (row[0] or 0) + 1

    def get(self, key: str) -> Indexed | None:
        row = self.db.execute("SELECT data FROM pages WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        meta, parts, postings = json.loads(row[0])
        return Indexed(meta, parts, {int(b): entry for b, entry in postings.items()})

    def put(self, key: str, page: Indexed) -> None:
        data = [page.meta, page.parts, page.postings]
        self.db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
            (key, self.build, json.dumps(data, ensure_ascii=False)),
        )

    def used(self, keys: Iterable[str]) -> None:
        self.db.executemany(
            "UPDATE pages SET build = ? WHERE key = ?", [(self.build, k) for k in keys]
        )
        self.db.execute("DELETE FROM pages WHERE build < ?", (self.build - self.KEEP,))
        self.db.commit()

    def close(self) -> None:
        self.db.close()


@dataclass(frozen=True)
class Source:
    """A page to index: its URL below the site, its job's key, where its bytes are."""

    url: str
    key: str
    path: Path


def build(sources: list[Source], cache: Path, put: Callable[[str, bytes], None]) -> None:
    """Make the bundle for ``sources`` in ``cache``'s store, handing each of its files to
    ``put`` (path below the site, bytes) as it is made."""
    buckets = bucket_count(len(sources))
    store = Store(cache / "pages.sqlite")
    digest = hashlib.sha256(f"{VERSION} {buckets}".encode())
    parts = 0
    keys = {s.url: f"{VERSION} {buckets} {s.key}" for s in sources}

    def add(path: str, data: bytes) -> None:
        digest.update(f"\0{path}\0".encode() + data)
        put(path, data)

    try:
        with tempfile.TemporaryDirectory(prefix=".spill-", dir=cache) as scratch:
            spill = _Spill(Path(scratch), buckets)
            for source in sorted(sources, key=lambda s: s.url.strip("/")):
                page = store.get(keys[source.url])
                if page is None:
                    page = index_page(source, buckets)
                    store.put(keys[source.url], page)
                if page.parts:
                    parts += page.parts
                    add(f"{FOLDER}/pages/{source.url.strip('/')}.json", page.meta.encode())
                    spill.add(page.postings)
            store.used(keys.values())
            for number, data in spill.buckets():
                add(f"{FOLDER}/b/{number}.json", data)
        index = {"version": VERSION, "buckets": buckets, "parts": parts,
                 "key": digest.hexdigest()[:16]}  # fmt: skip
        put(f"{FOLDER}/index.json", json.dumps(index).encode())
    finally:
        store.close()


def index_page(source: Source, buckets: int) -> Indexed:
    """``source`` read and indexed (no parts when it has nothing to search)."""
    try:
        page = read_page(source.path.read_bytes(), source.url)
    except (OSError, etree.ParserError) as exc:
        raise DigestError(f"{source.path}: cannot be indexed for search: {exc}") from exc
    if page is None:
        return Indexed("", 0, {})
    return Indexed(page.meta(), len(page.parts), page.postings(buckets))


class _Spill:
    """Bucket entries gathered page by page, in page order, written to one file per bucket
    whenever the buffer grows big, so the bundle never has to be in memory at once."""

    def __init__(self, folder: Path, buckets: int) -> None:
        self.folder, self.count = folder, buckets
        self.buffer: dict[int, list[str]] = {}
        self.size = 0
        self.started: set[int] = set()

    def add(self, postings: dict[int, str]) -> None:
        for number, entry in postings.items():
            self.buffer.setdefault(number, []).append(entry)
            self.size += len(entry)
        if self.size > SPILL:
            self.flush()

    def flush(self) -> None:
        for number, entries in self.buffer.items():
            with (self.folder / str(number)).open("a", encoding="utf-8") as f:
                if number in self.started:
                    f.write(",")
                f.write(",".join(entries))
            self.started.add(number)
        self.buffer, self.size = {}, 0

    def buckets(self) -> Iterator[tuple[int, bytes]]:
        self.flush()
        for number in range(self.count):
            body = b""
            with contextlib.suppress(FileNotFoundError):
                body = (self.folder / str(number)).read_bytes()
            yield number, b"{" + body + b"}"
