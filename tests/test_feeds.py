"""Every feed parses cleanly (feedparser, no bozo) and carries what readers' apps need."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
import pytest

from digest.build.documents import Documents
from digest.build.jobs import plan
from digest.build.pipeline import BuildOptions, build
from digest.build.project import load
from digest.build.session import Session
from digest.renderer.documents import Layout, catalog_of
from tests.conftest import ROOT, copy_project

BASE = "https://example.github.io/digest/"
ATOM = "{http://www.w3.org/2005/Atom}"


def feeds(site: Path) -> list[Path]:
    """The issue-and-post feeds (link feeds, one entry per item, are in test_wechat_links)."""
    every = sorted(site.glob("*.xml")) + sorted((site / "tags").glob("*/*.xml"))
    return [f for f in every if f.name != "links.xml"]


def test_each_tag_has_both_feeds(sample_site: Path) -> None:
    tags = [p for p in (sample_site / "tags").iterdir() if p.is_dir()]
    assert len(tags) >= 12
    for tag in tags:
        assert (tag / "feed.xml").is_file() and (tag / "atom.xml").is_file(), tag


def test_all_feeds_parse_without_errors(sample_site: Path) -> None:
    checked = 0
    for path in feeds(sample_site):
        if path.name == "sitemap.xml":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.feed.link.startswith(BASE)
        assert parsed.entries, path
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)), path
        for entry in parsed.entries:
            assert entry.id.startswith(BASE) and entry.link == entry.id
            assert entry.published_parsed is not None
            content = entry.content[0].value if "content" in entry else entry.description
            assert len(content) > 200, (path, entry.id)  # full text, not a teaser
            # Every link and image inside the content is absolute, fragments included.
            # The W3C validator warns (SecurityRiskAttr) on attributes outside its HTML list.
            assert not re.search(r"\s(?:aria-[\w-]+|role|style)=", content), (path, entry.id)
            refs = re.findall(r'(?:href|src)="([^"]*)"', content)
            assert refs and all(re.match(r"^(https?|mailto):", r) for r in refs), (path, entry.id)
        checked += 1
    assert checked >= 26


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_site_feed_has_newest_entries_with_dates_in_site_zone(sample_site: Path, name: str) -> None:
    parsed = feedparser.parse((sample_site / name).read_bytes())
    published = [e.published for e in parsed.entries]
    assert all(p.endswith(("+0800", "+08:00")) for p in published), published
    stamps = [e.published_parsed for e in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)
    titles = [e.title for e in parsed.entries]
    assert titles[0].startswith("TB一周萃选[第4期]")
    tags = {t.term for e in parsed.entries for t in e.get("tags", [])}
    assert "并发" in tags or "bing-fa" in tags


def test_rss_structure_follows_the_validator_rules(sample_site: Path) -> None:
    channel = ET.parse(sample_site / "feed.xml").getroot().find("channel")
    assert channel is not None
    for child in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(child), child
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None and self_link.get("rel") == "self"
    assert self_link.get("href") == BASE + "feed.xml"
    for item in channel.iter("item"):
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link")
        assert re.match(
            r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$",
            item.findtext("pubDate") or "",
        )


def test_atom_structure_follows_the_validator_rules(sample_site: Path) -> None:
    feed = ET.parse(sample_site / "tags" / "go" / "atom.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == BASE + "tags/go/"
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": BASE + "tags/go/atom.xml", "alternate": BASE + "tags/go/"}
    updated = feed.findtext(f"{ATOM}updated") or ""
    entries = feed.findall(f"{ATOM}entry")
    assert updated == max(e.findtext(f"{ATOM}updated") or "" for e in entries)
    for entry in entries:
        assert re.match(
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", entry.findtext(f"{ATOM}updated") or ""
        )
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert any(c.get("label") == "Go" for c in entry.findall(f"{ATOM}category"))


def test_a_document_in_many_feeds_is_laid_out_once_and_shown_the_same(tmp_path: Path) -> None:
    """The feeds take a document's absolute body from the build (``Doc.absolute_body``),
    kept apart from the laid-out documents: with only one of those kept, each document
    the feed jobs show is still laid out once, however many tags' feeds show it, and the
    feeds are the bytes they are when nothing is kept."""
    root = copy_project(ROOT, tmp_path / "project")
    site, content, _ = load(root, drafts=False)
    catalog = catalog_of(content, site)

    def feed_outputs(bodies: int) -> tuple[dict[str, bytes], Counter[str]]:
        laid_out: Counter[str] = Counter()
        original = Layout.body

        def counting(self: Layout, entry: Any, sections: Any) -> Any:
            laid_out[entry.url_path] += 1
            return original(self, entry, sections)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Layout, "body", counting)
            patch.setattr(Documents, "KEEP", 1)
            patch.setattr(Documents, "BODIES", bodies)
            jobs = plan(site, catalog, root / "templates", Session())
            outputs = [o for j in jobs if j.name.startswith(("tag:", "feeds")) for o in j.render()]
        return {o.path: o.data or b"" for o in outputs}, laid_out

    kept, once = feed_outputs(Documents.BODIES)
    bare, again = feed_outputs(0)
    assert kept == bare
    assert once and set(once.values()) == {1}
    assert max(again.values()) > 1  # what the test rests on: documents in several feeds


def test_tag_feeds_hold_the_newest_entries_the_tag_page_lists_them_all(tmp_path: Path) -> None:
    """A tag's feeds stop at ``tag_feed_limit`` entries (a reader's app only ever takes
    the new ones), the site's at ``feed_limit``; the tag's page still lists every one."""
    root = copy_project(ROOT, tmp_path / "project")
    config = root / "content" / "site.toml"
    text = config.read_text(encoding="utf-8")
    limits = "feed_limit = 3\ntag_feed_limit = 1"
    config.write_text(text.replace("feed_limit = 20", limits), encoding="utf-8")
    site = root / "site"
    build(root, BuildOptions(target=site))

    assert len(feedparser.parse((site / "feed.xml").read_bytes()).entries) == 3
    busy = 0
    for tag in (site / "tags").iterdir():
        if not tag.is_dir():
            continue
        listed = (tag / "index.html").read_text(encoding="utf-8").count('class="entry entry-')
        for name in ("feed.xml", "atom.xml"):
            entries = feedparser.parse((tag / name).read_bytes()).entries
            assert len(entries) == min(listed, 1), (tag, name)
        linked = feedparser.parse((tag / "links.xml").read_bytes()).entries
        issues = {entry.id.split("#")[0] for entry in linked}
        assert len(issues) <= 1, tag
        busy += listed > 1
    assert busy >= 3  # what the test rests on: tags with more documents than the feeds
