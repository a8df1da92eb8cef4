"""The static search index: ours, made from the issue and post pages a build stages.

A page marks the part readers search with ``data-search`` (its date in
``data-search-date``, what to leave out with ``data-search-ignore``; its ``h1`` is its
title); every heading with an ``id`` inside it starts a part of its own (an issue's
items, a post's sections), so results can point at ``/issues/7/#item-3``.
Words are folded (NFKC, lower case) into terms: runs of ASCII letters and digits, and in
Chinese, Japanese and Korean text every two neighbouring characters (a lone character is
a term by itself). Pairs need no dictionary and find any word a reader types; the
reader's script asks for every other pair of a CJK query ("容器镜像": "容器" and "镜像")
and ranks higher the pages that also have the pairs across them ("器镜").

The bundle, below ``search/data/``:

- ``index.json``: the format version, the number of buckets and of parts, and a key
  made of the pages' digests (readers add it to every URL they fetch, so a cache never
  mixes two builds).
- ``b/<n>.json``: bucket ``n`` of the postings, ``{page: {term: [part, weight, ...]}}``.
  A term's bucket is a hash of its first character (CJK) or first three characters, so
  a reader's query fetches a bucket per word and can match prefixes ("gorou").
- ``pages/<page>.json``: a page's URL, title, date and parts (anchor, title, text), for
  the results' titles and excerpts.

Weights are BM25's term-frequency part with a fixed average length (so a page's
postings do not depend on other pages) and lengths rounded (so a small edit seldom
changes them), titles counting five times; the reader's script (``assets/search.js``)
multiplies them by each term's rarity.

Pages are indexed where they are rendered (:func:`index_html`, in the build's worker
processes) and kept in ``.cache/search/pages.sqlite`` by the digest of their bytes (a
template edit that changes no page indexes nothing again). A cold build writes the
buckets through small spill files, so memory stays flat however big the archive; a
rebuild after an edit patches the last bundle, rewriting only the buckets where the
changed pages' entries differ.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from digest.errors import DigestError
from digest.store import Schema
from digest.store import Store as SQLiteStore
from digest.text.cjk import CJK_LETTERS, HANGUL

VERSION = 5
FOLDER = "search/data"
# Terms are pairs of neighbouring letters in Chinese, Japanese and Korean runs; the reader's
# script (theme/static/search.js) spells out the same ranges and must keep them equal.
CJK = CJK_LETTERS + HANGUL
_TOKEN = re.compile(f"[0-9a-z]+|[{CJK}]+")
_CJK = re.compile(f"[{CJK}]")
LONGEST = 40  # longer ASCII runs (hashes, base64) are not words anyone searches
PREFIX = 3  # ASCII terms are bucketed by their first three characters
TITLE = 5  # a word in a title counts as much as five in the text
K1, B, AVERAGE = 1.2, 0.75, 200  # BM25; the average length is fixed, not the corpus's
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_TIGHT = (",", ":")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")  # the build writes every page in UTF-8
SPILL = 2_000_000  # characters of postings buffered before they go to the spill files


def words(text: str) -> list[str]:
    """The runs of ``text`` a term is made from: ASCII words and CJK runs, folded."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _TOKEN.findall(text.lower())


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

    def postings(self, buckets: Buckets) -> dict[int, str]:
        """Per bucket, this page's entry of it: ``"page":{term:[part,weight,...]}``. Terms
        are letters, digits and CJK characters, so they need no escaping in JSON."""
        found: dict[str, list[str]] = {}
        for index, part in enumerate(self.parts):
            text, title = terms(part.text), terms(part.title)
            counts = Counter(text)
            for term in title:
                counts[term] += TITLE
            norm = K1 * (1 - B + B * _rounded(len(text) + len(title)) / AVERAGE)
            at = str(index)
            once = str(max(1, round(_SCALE / (1 + norm))))  # most terms occur once
            for term, tf in counts.items():
                weight = once if tf == 1 else str(max(1, round(_SCALE * tf / (tf + norm))))
                if term in found:
                    found[term] += (at, weight)
                else:
                    found[term] = [at, weight]
        grouped: dict[int, list[str]] = {}
        for term in sorted(found):
            number = buckets.of(term)
            entry = f'"{term}":[{",".join(found[term])}]'
            if number in grouped:
                grouped[number].append(entry)
            else:
                grouped[number] = [entry]
        name = json.dumps(self.key, ensure_ascii=False)
        return {b: f"{name}:{{{','.join(grouped[b])}}}" for b in sorted(grouped)}


_SCALE = 100 * (K1 + 1)


def _rounded(length: int) -> float:
    """``length`` to the nearest power of 1.25: a part's weights then stay as they were
    when a sentence is added to it, and a rebuild rewrites fewer buckets."""
    return 1.25 ** round(math.log(max(length, 1), 1.25))


class Buckets:
    """``count`` buckets, and the bucket of each term met so far (a word recurs on many
    pages; hashing it again for each costs more than looking it up). One per index."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._known: dict[str, int] = {}

    def of(self, term: str) -> int:
        """The bucket of ``term``."""
        number = self._known.get(term)
        if number is None:
            number = self._known[term] = bucket_of(term, self.count)
        return number


def read_page(html: bytes, url: str) -> Page | None:
    """The searchable part of a page (its element with ``data-search``); None without one.

    Done on lxml's tree, in C where it can be: what is left out is cut from the tree,
    each heading with an ``id`` is replaced by a marker, block elements get spaces around
    them, and the text is the tree's text, split at the markers."""
    root = lxml.html.document_fromstring(html, parser=_PARSER)
    found = root.xpath("//*[@data-search]")
    if not found:
        return None
    body = found[0]
    h1 = body.find(".//h1")
    title = ""
    if h1 is not None:
        for number in h1.find_class("item-number"):
            number.drop_tree()
        title = _squash(h1.text_content())
    for el in body.xpath(_LEFT_OUT):
        if el.getparent() is not None:
            el.drop_tree()
    if h1 is not None and h1.getparent() is not None:
        h1.drop_tree()
    parts = [("", title)]
    for heading in list(body.iter("h2", "h3", "h4")):  # edited as we go: list them first
        anchor = heading.get("id")
        if not anchor:
            continue
        for number in heading.find_class("item-number"):
            number.drop_tree()
        parts.append((anchor, _squash(heading.text_content())))
        tail = heading.tail
        heading.clear()
        heading.text, heading.tail = _MARK, tail
    for el in body.iter(*_BLOCKS):
        el.text = " " + (el.text or "")
        el.tail = " " + (el.tail or "")
    text = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    chunks = text.split(_MARK)
    if len(chunks) != len(parts):
        raise DigestError(f"{url}: the page's text holds the search index's marker {_MARK!r}")
    return Page(
        url,
        title,
        body.get("data-search-date", ""),
        tuple(Part(a, t, _squash(c)) for (a, t), c in zip(parts, chunks, strict=True)),
    )


_MARK = "\ue000\ue001\ue000"  # private-use characters: where a heading was
_LEFT_OUT = (
    ".//*[@data-search-ignore] | .//script | .//style | .//template | .//noscript"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' anchor ')]"
)


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Indexed:
    """A page as the bundle holds it: its metadata file, how many parts, its postings, and
    a digest of them (the bundle's key is made of its pages' digests)."""

    meta: str
    parts: int
    postings: dict[int, str]
    digest: str = ""

    @classmethod
    def of(cls, meta: str, parts: int, postings: dict[int, str]) -> Indexed:
        digest = hashlib.sha256(meta.encode())
        for number, entry in postings.items():
            digest.update(f"\0{number}\0{entry}".encode())
        return cls(meta, parts, postings, digest.hexdigest()[:32])


class Store(SQLiteStore):
    """Each page's postings and metadata by the key of the job that rendered it, and which
    pages the last build of each site folder used (in a table of its own: small rows).
    Pages no folder's last build used are dropped, and so are folders that are gone
    (``digest check`` builds into a temporary one). Only a cache: made anew when it
    cannot be read or is of another version (:mod:`digest.store`)."""

    SCHEMA = Schema(
        """
        CREATE TABLE pages (key TEXT PRIMARY KEY, digest TEXT NOT NULL, parts INTEGER NOT NULL,
                            meta TEXT NOT NULL, postings TEXT NOT NULL);
        CREATE TABLE used (target TEXT NOT NULL, url TEXT NOT NULL, key TEXT NOT NULL,
                           PRIMARY KEY (target, url));
        """,
        VERSION,
        "the search cache",
    )

    def __init__(self, path: Path) -> None:
        super().__init__(path, self.SCHEMA)

    def get(self, key: str) -> Indexed | None:
        row = self.db.execute(
            "SELECT meta, parts, postings, digest FROM pages WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        postings = {}
        for line in row[2].splitlines():
            number, _, entry = line.partition("\t")
            postings[int(number)] = entry
        return Indexed(row[0], row[1], postings, row[3])

    def digests(self) -> dict[str, str]:
        """Every page's digest, by key (the first columns: the big ones are not read)."""
        return dict(self.db.execute("SELECT key, digest FROM pages"))

    def put(self, key: str, page: Indexed) -> None:
        postings = "\n".join(f"{b}\t{entry}" for b, entry in page.postings.items())
        self.db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            (key, page.digest, page.parts, page.meta, postings),
        )

    def used(self, target: Path, keys: dict[str, str]) -> None:
        """The build of ``target`` used the pages ``keys`` (URL -> key); drop what no
        folder's last build uses."""
        folder = str(target.resolve())
        gone = [
            t
            for (t,) in self.db.execute("SELECT DISTINCT target FROM used")
            if t == folder or not os.path.isdir(t)
        ]
        self.db.executemany("DELETE FROM used WHERE target = ?", [(t,) for t in gone])
        self.db.executemany(
            "INSERT INTO used VALUES (?, ?, ?)", [(folder, u, k) for u, k in keys.items()]
        )
        self.db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
        self.db.commit()

    def last(self, target: Path) -> dict[str, str]:
        """The pages the last build of ``target`` used, URL -> key."""
        rows = self.db.execute(
            "SELECT url, key FROM used WHERE target = ?", (str(target.resolve()),)
        )
        return dict(rows)


@dataclass(frozen=True)
class Source:
    """A page to index: its URL below the site, the digest of its bytes (:func:`digest`),
    and where they are (asked only when the cache does not have the page)."""

    url: str
    key: str
    where: Callable[[str], Path]


def digest(html: bytes) -> str:
    """What the cache knows a page by: a digest of its bytes."""
    return hashlib.sha256(html).hexdigest()[:32]


def index_html(html: bytes, url: str, buckets: Buckets) -> Indexed:
    """The page at ``url`` indexed (no parts when it has nothing to search). Pure: the
    build's worker processes call it on the pages they render."""
    page = read_page(html, url)
    if page is None:
        return Indexed.of("", 0, {})
    return Indexed.of(page.meta(), len(page.parts), page.postings(buckets))


class Index:
    """The bundle of one build over ``pages`` pages, and the cache it is made from: pages
    indexed elsewhere are handed in with :meth:`add`; :meth:`build` indexes the others."""

    def __init__(self, cache: Path, pages: int, target: Path) -> None:
        self.cache, self.target = cache, target
        self.buckets = bucket_count(pages)
        self.terms = Buckets(self.buckets)
        self.store = Store(cache / "pages.sqlite")

    def _key(self, key: str) -> str:
        return f"{VERSION} {self.buckets} {key}"

    def known(self) -> set[str]:
        """The pages (by the digest of their bytes) the cache has for this layout."""
        prefix = self._key("")
        return {k.removeprefix(prefix) for k in self.store.digests() if k.startswith(prefix)}

    def last(self) -> dict[str, str]:
        """The pages the last bundle of this folder was made from: URL -> digest."""
        prefix = self._key("")
        found = self.store.last(self.target)
        return {u: k.removeprefix(prefix) for u, k in found.items() if k.startswith(prefix)}

    def add(self, key: str, page: Indexed) -> None:
        """``page``, whose bytes have the digest ``key``."""
        self.store.put(self._key(key), page)

    def build(self, sources: list[Source], put: Callable[[str, bytes], None]) -> None:
        """Make the bundle for ``sources``, handing each of its files to ``put`` (path
        below the site, bytes) as it is made."""
        parts = 0
        with tempfile.TemporaryDirectory(prefix=".spill-", dir=self.cache) as scratch:
            spill = _Spill(Path(scratch), self.buckets)
            for source in sorted(sources, key=lambda s: s.url.strip("/")):
                page = self._page(source)
                if page.parts:
                    parts += page.parts
                    put(_meta_path(source.url), page.meta.encode())
                    spill.add(page.postings)
            self.store.used(self.target, {s.url: self._key(s.key) for s in sources})
            for number, data in spill.buckets():
                put(f"{FOLDER}/b/{number}.json", data)
        put(f"{FOLDER}/index.json", self._head(parts, sources))

    def update(
        self,
        site: Path,
        was: dict[str, str],
        sources: list[Source],
        put: Callable[[str, bytes], None],
        keep: Callable[[str], None],
        files: Iterable[str],
    ) -> bool:
        """Patch the bundle in ``site`` (whose ``files`` are as the last build left them,
        made from the pages ``was``: URL -> digest) for the pages whose bytes changed:
        only the buckets where their entries differ are written again (an edit touches
        a few hundred terms, not the thousands of buckets). False, having done nothing,
        when a whole build is needed (another layout, too much changed, a page missing
        from the cache); the result is the bundle :meth:`build` would make."""
        try:
            head = json.loads((site / FOLDER / "index.json").read_bytes())
        except (OSError, ValueError):
            return False
        now = {s.url: s for s in sources}
        changed = sorted(
            u for u in was.keys() | now.keys() if was.get(u) != (now[u].key if u in now else None)
        )
        if (head.get("version"), head.get("buckets")) != (VERSION, self.buckets) or len(
            changed
        ) > max(16, len(now) // 8):  # a template edit: building it all is as quick
            return False
        none = Indexed.of("", 0, {})
        before = {u: self.store.get(self._key(was[u])) if u in was else none for u in changed}
        if any(page is None for page in before.values()):
            return False
        after = {u: self._page(now[u]) if u in now else none for u in changed}
        parts = head["parts"]
        touched: dict[int, dict[str, str | None]] = {}
        for url in changed:
            old, new = before[url], after[url]
            assert old is not None
            parts += new.parts - old.parts
            for number in old.postings.keys() | new.postings.keys():
                if old.postings.get(number) != new.postings.get(number):
                    touched.setdefault(number, {})[url.strip("/")] = new.postings.get(number)
        self.store.used(self.target, {s.url: self._key(s.key) for s in sources})
        redo = {f"{FOLDER}/b/{n}.json" for n in touched} | {f"{FOLDER}/index.json"}
        redo |= {_meta_path(u) for u in changed}
        for path in files:
            if path not in redo:
                keep(path)
        for url in changed:
            if after[url].parts:
                put(_meta_path(url), after[url].meta.encode())
        for number in sorted(touched):
            path = f"{FOLDER}/b/{number}.json"
            put(path, _patched((site / path).read_text(encoding="utf-8"), touched[number]))
        put(f"{FOLDER}/index.json", self._head(parts, sources))
        return True

    def _page(self, source: Source) -> Indexed:
        """``source`` indexed: from the cache, else read from its file (and cached)."""
        page = self.store.get(self._key(source.key))
        if page is None:
            try:
                path = source.where(source.url)
                html = path.read_bytes()
            except OSError as exc:
                raise DigestError(f"{path}: cannot be indexed: {exc}") from exc
            page = index_html(html, source.url, self.terms)
            self.add(source.key, page)
        return page

    def _head(self, parts: int, sources: list[Source]) -> bytes:
        """``index.json``; its key is made of the pages' digests, so it changes with the
        bundle's bytes (readers put it in the URLs they fetch: no stale cache mixes in)."""
        digests = self.store.digests()
        key = hashlib.sha256(f"{VERSION} {self.buckets}".encode())
        for source in sorted(sources, key=lambda s: s.url):
            key.update(f"\0{source.url}\0{digests[self._key(source.key)]}".encode())
        head = {
            "version": VERSION,
            "buckets": self.buckets,
            "parts": parts,
            "key": key.hexdigest()[:16],
        }
        return json.dumps(head).encode()

    def close(self) -> None:
        self.store.close()


_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)":\{[^}]*\}')  # a page's entry in a bucket


def _patched(bucket: str, changes: dict[str, str | None]) -> bytes:
    """``bucket`` with the entries of the pages in ``changes`` replaced (None: removed).
    The other entries are copied as they are: a page's entry is ``"page":{...}`` and
    holds no brace (its terms are letters and CJK, their values lists of numbers)."""
    entries = {
        json.loads(f'"{m[1]}"') if "\\" in m[1] else m[1]: m[0] for m in _ENTRY.finditer(bucket)
    }
    for page, entry in changes.items():
        if entry is None:
            entries.pop(page, None)
        else:
            entries[page] = entry
    return f"{{{','.join(entries[k] for k in sorted(entries))}}}".encode()


def _meta_path(url: str) -> str:
    return f"{FOLDER}/pages/{url.strip('/')}.json"


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
