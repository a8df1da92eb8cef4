"""Where a built site's bytes go: files and MB by kind of file, and what could shrink.

    .venv/bin/digest build --root /tmp/archive/digest     # an archive from archive.py
    .venv/bin/python benchmarks/bytes.py /tmp/archive/digest/site [--newest 10]

Prints Markdown: one row per kind of file (count, MB, mean KB, share); the total if the
email and WeChat files were written only for the ``--newest`` issues; then the measured
byte sinks behind the recommendations (each a figure for this site, not a guess):

- feeds: how many feeds carry each document's full body, what the entries beyond the
  newest few weigh in the tags' feeds, and what entity escaping costs against CDATA;
- highlighted code: the markup Pygments adds around the code's text, and the part of it
  that only wraps whitespace (``<span class="w"> </span>``: a colour on a space);
- listings: the tag lists of listing entries (an issue's tags are its items' tags too);
- search: the bucket layout ``{page: {term: postings}}`` against ``{term: [[page id,
  postings…], …]}`` with one list of pages in ``index.json``.

Only the standard library; the files are read, never changed.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MB = 1_000_000
# The first pattern that matches a path below the site names its kind; anything else is
# "other", so a new kind of output shows up instead of hiding in a neighbour's row.
KINDS = (
    ("issue pages", r"issues/\d+/index\.html"),
    ("post pages", r"posts/[^/]+/index\.html"),
    ("tag pages", r"tags/[^/]+/index\.html"),
    ("tag feeds, RSS", r"tags/[^/]+/feed\.xml"),
    ("tag feeds, Atom", r"tags/[^/]+/atom\.xml"),
    ("tag link feeds", r"tags/[^/]+/links\.xml"),
    ("site feeds (RSS, Atom)", r"(feed|atom)\.xml"),
    ("links.xml", r"links\.xml"),
    ("feed.json", r"feed\.json"),
    ("email .html", r"email/\d+\.html"),
    ("email .txt", r"email/\d+\.txt"),
    ("email .eml", r"email/\d+\.eml"),
    ("WeChat fragment", r"wechat/\d+\.html"),
    ("WeChat copy page", r"wechat/\d+/index\.html"),
    ("search buckets", r"search/data/b/\d+\.json"),
    ("search page texts", r"search/data/pages/.+\.json"),
    ("search index.json, page", r"search/(data/index\.json|index\.html)"),
    ("sitemap.xml", r"sitemap\.xml"),
    ("home, archive, tag index", r"(page/\d+/|archive/|tags/)?index\.html"),
    ("assets", r"assets/.+"),
    ("404, robots.txt", r"(404\.html|robots\.txt)"),
)
_KINDS = tuple((name, re.compile(pattern)) for name, pattern in KINDS)
PER_ISSUE = re.compile(r"(email/(\d+)\.(html|txt|eml)|wechat/(\d+)(\.html|/index\.html))")


def kind(rel: str) -> str:
    """The kind of the file at ``rel`` (a POSIX path below the site)."""
    for name, pattern in _KINDS:
        if pattern.fullmatch(rel):
            return name
    return "other"


@dataclass
class Tally:
    """Files and bytes of one kind."""

    files: int = 0
    size: int = 0

    def add(self, size: int) -> None:
        """Count one more file of ``size`` bytes."""
        self.files += 1
        self.size += size


def files(site: Path) -> Iterator[tuple[str, Path]]:
    """Every file below ``site``, as (POSIX path below it, path), in a stable order."""
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path.relative_to(site).as_posix(), path


def mb(size: float) -> str:
    """Bytes as MB (10^6), one decimal."""
    return f"{size / MB:,.1f}"


def table(head: list[str], rows: Iterable[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def by_kind(site: Path, newest: int) -> str:
    """The table of kinds, and the total with email and WeChat files for the ``newest``
    issues only (the issues with the highest numbers)."""
    tallies: dict[str, Tally] = {name: Tally() for name, _ in KINDS}
    per_issue: dict[int, int] = Counter()
    per_issue_files: dict[int, int] = Counter()
    for rel, path in files(site):
        size = path.stat().st_size
        tallies.setdefault(kind(rel), Tally()).add(size)
        if m := PER_ISSUE.fullmatch(rel):
            number = int(m.group(2) or m.group(4))
            per_issue[number] += size
            per_issue_files[number] += 1
    total = Tally(sum(t.files for t in tallies.values()), sum(t.size for t in tallies.values()))
    rows = [
        [
            name,
            f"{t.files:,}",
            mb(t.size),
            f"{t.size / t.files / 1000:,.1f}",
            f"{100 * t.size / total.size:.1f}%",
        ]
        for name, t in sorted(tallies.items(), key=lambda kv: -kv[1].size)
        if t.files
    ]
    rows.append(["**total**", f"{total.files:,}", mb(total.size), "", "100%"])
    dropped = sorted(per_issue)[:-newest] if newest else sorted(per_issue)
    saved = sum(per_issue[n] for n in dropped)
    saved_files = sum(per_issue_files[n] for n in dropped)
    text = table(["kind of file", "files", "MB", "mean KB", "share"], rows)
    text += (
        f"\n\nWith the email and WeChat files for the newest {newest} issues only: "
        f"{total.files - saved_files:,} files, {mb(total.size - saved)} MB "
        f"({saved_files:,} files and {mb(saved)} MB fewer)."
    )
    return text


# A feed entry, and the full body inside it: RSS <description>, Atom <content>.
_ITEM = re.compile(r"<item>.*?</item>\n?|<entry>.*?</entry>\n?", re.S)
_BODY = re.compile(r"<description>(.*?)</description>|<content[^>]*>(.*?)</content>", re.S)
_LINK = re.compile(r"<link>(.*?)</link>|<link rel=\"alternate\"[^>]*href=\"([^\"]*)\"")
# Pygments' whitespace spans, as written in pages (raw), in XML feeds (escaped) and in
# JSON strings: a colour on a space, nothing a reader sees.
_SPAN_W = (
    re.compile(r'<span class="w"[^>]*>([^<]*)</span>'),
    re.compile(r"&lt;span class=&#34;w&#34;&gt;([^&]*)&lt;/span&gt;"),
    re.compile(r'<span class=\\"w\\">([^<]*)</span>'),
)
CDATA = len("<![CDATA[]]>")


def without_spans(text: str) -> str:
    """``text`` with every whitespace-only Pygments span replaced by its whitespace."""
    for pattern in _SPAN_W:
        text = pattern.sub(r"\1", text)
    return text


def cdata_size(raw: str) -> int:
    """Bytes of ``raw`` in CDATA sections ("]]>" inside splits it: one more pair each)."""
    return len(raw.encode()) + CDATA * (1 + raw.count("]]>"))


@dataclass(frozen=True)
class Entry:
    """One feed entry's bytes as written, with its body in CDATA, and in CDATA without
    whitespace spans."""

    link: str
    size: int
    cdata: int
    lean: int


def read_feed(path: Path) -> list[Entry]:
    """The entries of an RSS or Atom file written by digest, newest first."""
    entries = []
    for m in _ITEM.finditer(path.read_text(encoding="utf-8")):
        text = m.group()
        link = _LINK.search(text)
        body = _BODY.search(text)
        escaped = (body.group(1) or body.group(2) or "") if body else ""
        raw = html.unescape(escaped)
        rest = len(text.encode()) - len(escaped.encode())
        entries.append(
            Entry(
                (link.group(1) or link.group(2)) if link else "",
                len(text.encode()),
                rest + cdata_size(raw),
                rest + cdata_size(without_spans(raw)),
            )
        )
    return entries


def feeds(site: Path, limits: tuple[int, ...]) -> str:
    """Full bodies across the feeds: copies, and the feeds' bytes with fewer entries, in
    CDATA, and without whitespace spans."""
    # (label, files, whether an entry limit applies: links.xml's counts issues, not entries)
    groups = (
        ("tag feeds (RSS + Atom)", [*site.glob("tags/*/feed.xml"), *site.glob("tags/*/atom.xml")]),
        ("site feeds (RSS + Atom)", [site / "feed.xml", site / "atom.xml"]),
        ("link feeds (tags' and the site's)", [*site.glob("tags/*/links.xml"), site / "links.xml"]),
    )
    copies: Counter[str] = Counter()
    rows = []
    for label, paths in groups:
        read = [read_feed(p) for p in paths if p.exists()]
        if not read:
            continue
        # what a file has besides its entries: the channel's head and tail
        frame = sum(p.stat().st_size for p in paths if p.exists()) - sum(
            e.size for f in read for e in f
        )
        most = max(len(f) for f in read)
        links = label.startswith("link")
        for limit in [most] if links else sorted({most, *limits}, reverse=True):
            kept = [e for f in read for e in f[:limit]]
            sizes = (
                sum(e.size for e in kept),
                sum(e.cdata for e in kept),
                sum(e.lean for e in kept),
            )
            rows.append([label, f"{len(read):,}", str(limit), *(mb(frame + n) for n in sizes)])
        if not links:  # a link feed's entries are the items' pages, not our documents
            for f in read:
                copies.update(e.link for e in f)
    if (site / "feed.json").exists():
        data = json.loads((site / "feed.json").read_text(encoding="utf-8"))
        copies.update(item["url"] for item in data["items"] if item.get("content_html"))
    text = table(
        [
            "feeds",
            "files",
            "entries at most",
            "MB as written",
            "MB, bodies in CDATA",
            "MB, CDATA and no whitespace spans",
        ],
        rows,
    )
    if copies:
        issues = sorted(c for url, c in copies.items() if "/issues/" in url)
        text += (
            f"\n\nFull bodies written into RSS, Atom and JSON feeds: {copies.total():,} for "
            f"{len(copies):,} documents, {copies.total() / len(copies):.1f} copies each on "
            f"average (an issue: {issues[-1] if issues else 0} at most, the median "
            f"{issues[len(issues) // 2] if issues else 0})."
        )
    return text


_HIGHLIGHT = re.compile(r'<div class="highlight"[^>]*>.*?</pre></div>', re.S)
_TAG = re.compile(r"<[^>]+>")


def highlight(site: Path) -> str:
    """Highlighted code in the pages, and whitespace spans in every kind of file."""
    markup = text = 0
    spans: dict[str, list[int]] = {}
    for rel, path in files(site):
        if not rel.endswith((".html", ".xml", ".json")) or rel.startswith("search/data/"):
            continue
        content = path.read_text(encoding="utf-8")
        if kind(rel) in ("issue pages", "post pages"):
            for block in _HIGHLIGHT.findall(content):
                markup += len(block.encode())
                text += len(html.unescape(_TAG.sub("", block)).encode())
        found = spans.setdefault(kind(rel), [0, 0])
        for pattern in _SPAN_W:
            for m in pattern.finditer(content):
                found[0] += 1
                found[1] += len(m.group().encode()) - len(m.group(1).encode())
    rows = [
        [name, f"{n:,}", mb(size)]
        for name, (n, size) in sorted(spans.items(), key=lambda kv: -kv[1][1])
        if n
    ]
    rows.append(
        [
            "**total**",
            f"{sum(n for n, _ in spans.values()):,}",
            mb(sum(s for _, s in spans.values())),
        ]
    )
    return (
        f"Code blocks in issue and post pages: {mb(markup)} MB of markup for {mb(text)} MB "
        f"of code text ({markup / max(text, 1):.1f}×).\n\n"
        + table(["whitespace-only spans in", "spans", "MB of markup around them"], rows)
    )


_TAGLIST = re.compile(r'<ul class="tags"[^>]*>(.*?)</ul>', re.S)
_TAGLINK = re.compile(r"<li>.*?</li>", re.S)
LISTINGS = ("tag pages", "home, archive, tag index")


def listings(site: Path, shown: int) -> str:
    """Bytes of the entries' tag lists in listing pages, and beyond their first ``shown``."""
    lists = size = beyond = 0
    pages = 0
    for rel, path in files(site):
        if kind(rel) not in LISTINGS or not rel.endswith(".html"):
            continue
        pages += 1
        for m in _TAGLIST.finditer(path.read_text(encoding="utf-8")):
            lists += 1
            size += len(m.group().encode())
            beyond += sum(len(li.encode()) for li in _TAGLINK.findall(m.group(1))[shown:])
    return (
        f"Listing pages ({pages:,}: tag pages, home pages, archive, tag index): {lists:,} "
        f"tag lists, {mb(size)} MB; the links after the first {shown} of each list: "
        f"{mb(beyond)} MB."
    )


def search(site: Path) -> str:
    """The search buckets as written, and re-laid out as term -> [[page id, postings]]."""
    buckets = sorted((site / "search/data/b").glob("*.json"))
    if not buckets:
        return "No search index."
    now = inverted = page_keys = 0
    pages: set[str] = set()
    largest = 0
    for path in buckets:
        raw = path.read_bytes()
        now += len(raw)
        largest = max(largest, len(raw))
        data: dict[str, dict[str, list[int]]] = json.loads(raw)
        pages.update(data)
        page_keys += sum(len(json.dumps(p).encode()) + 1 for p in data)
    ids = {page: i for i, page in enumerate(sorted(pages))}
    for path in buckets:
        data = json.loads(path.read_bytes())
        terms: dict[str, list[list[int]]] = {}
        for page, postings in data.items():
            for term, values in postings.items():
                terms.setdefault(term, []).append([ids[page], *values])
        inverted += len(json.dumps(terms, ensure_ascii=False, separators=(",", ":")).encode())
    page_list = len(json.dumps(sorted(pages), separators=(",", ":")).encode())
    return (
        f"Search buckets: {len(buckets):,} files, {mb(now)} MB (the largest "
        f"{largest / 1000:,.0f} KB); page URLs as keys in them: {mb(page_keys)} MB. As "
        f"term -> [[page id, part, weight, …], …] with the {len(pages):,} URLs listed once "
        f"in index.json ({page_list / 1000:,.0f} KB): {mb(inverted + page_list)} MB, "
        f"−{mb(now - inverted - page_list)} MB."
    )


def main() -> None:
    """Command line: print the tables for one built site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (digest's site/)")
    parser.add_argument(
        "--newest",
        type=int,
        default=10,
        help="issues that keep their email and WeChat files (default 10)",
    )
    parser.add_argument(
        "--limits",
        type=int,
        nargs="+",
        default=[5, 10],
        help="tag feed entry counts to price (default 5 10)",
    )
    parser.add_argument(
        "--shown", type=int, default=3, help="tags a listing entry would show (default 3)"
    )
    args = parser.parse_args()
    site: Path = args.site
    if not (site / "index.html").exists():
        parser.error(f"{site} is not a built site (no index.html)")
    print(f"# Bytes of {site}\n\n{by_kind(site, args.newest)}\n")
    print(f"## Feeds\n\n{feeds(site, tuple(args.limits))}\n")
    print(f"## Highlighted code\n\n{highlight(site)}\n")
    print(f"## Listings\n\n{listings(site, args.shown)}\n")
    print(f"## Search\n\n{search(site)}")


if __name__ == "__main__":
    main()
