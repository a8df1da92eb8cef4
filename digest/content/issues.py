"""An issue file -> :class:`Issue`: front matter, intro, sections of items.

The body is read line by line (outside code fences): the first ``##`` heading ends the
intro and names a section; each ``###`` heading inside a section starts an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import SectionConfig, SiteConfig
from digest.content.frontmatter import Document, FrontMatter, split_names
from digest.content.markdown_scan import document_assets, figure, lines_outside_code
from digest.content.tags import TagIndex
from digest.errors import Location, Problem, Problems
from digest.model import Issue, Item, Section, Tag
from digest.model.notes import (
    NOTE_RE,
    PLACEHOLDERS,
    is_placeholder,
    note_message,
    placeholder_message,
)
from digest.text.urls import url_problem

ISSUE_KEYS = (
    "number",
    "title",
    "date",
    "tags",
    "epigraph",
    "attribution",
    "summary",
    "cover",
    "draft",
)

_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_H3 = re.compile(r"^###\s+(.+?)\s*#*\s*$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、)]\s*)\s*")
_LINK = re.compile(r"^\[(?P<title>.+)\]\((?P<url>\S+?)(?:\s+\"[^\"]*\")?\)$")
_BARE = re.compile(r"^<?(?P<url>[a-zA-Z][a-zA-Z0-9+.-]*://\S+?)>?$")
_TAGS_LINE = re.compile(r"^\s*(?:标签|tags)\s*[:：]\s*(?P<names>.+?)\s*$", re.IGNORECASE)


@dataclass
class _Draft:
    """An item or section while its lines are being collected (never leaves this module)."""

    line: int
    heading: str
    lines: list[str] = field(default_factory=list)


def parse_issue(
    doc: Document, site: SiteConfig, tags: TagIndex, content_dir: Path, problems: Problems
) -> Issue | None:
    """Build an :class:`Issue` from ``doc``; every problem is recorded, None if any is fatal."""
    fm = FrontMatter(doc, problems, ISSUE_KEYS)
    number = fm.integer("number")
    title = fm.text("title", required=True)
    when = fm.moment("date", site.tz)
    issue_tags = [tags.tag(n, doc.path, fm.line("tags")) for n in fm.names("tags")]
    epigraph, attribution = fm.text("epigraph"), fm.text("attribution")
    summary, draft = fm.text("summary"), fm.flag("draft")
    cover = fm.text("cover") or None
    assets = document_assets(doc, cover, fm.line("cover"), content_dir, problems)
    body = doc.body.split("\n")
    intro, raw_sections = _split_body(body, doc.body_line, doc.path, site, problems)
    sections = tuple(
        Section(
            config.key,
            config.heading,
            config.link_label,
            tuple(_item(n, raw, doc.path, tags, problems) for n, raw in enumerate(items, 1)),
        )
        for config, items in raw_sections
    )
    if number is None or when is None or not title:
        return None
    return Issue(
        number=number,
        title=title,
        date=when,
        tags=tuple(dict.fromkeys(issue_tags)),
        epigraph=epigraph,
        attribution=attribution,
        summary=summary,
        cover=cover,
        draft=draft,
        intro="\n".join(intro).strip("\n"),
        sections=sections,
        source=doc.path,
        assets=assets,
        unfinished=_unfinished(doc, fm),
    )


def _unfinished(doc: Document, fm: FrontMatter) -> tuple[Problem, ...]:
    """The draft's placeholders left in the front matter and its notes left in the body
    (outside code), each with its line."""
    found = [
        Problem(Location(doc.path, fm.line(key)), placeholder_message(key))
        for key in PLACEHOLDERS
        if isinstance(value := doc.meta.get(key), str) and is_placeholder(key, value)
    ]
    for line_no, text, in_code in lines_outside_code(doc.body.split("\n"), doc.body_line):
        if not in_code and (note := NOTE_RE.search(text)):
            found.append(Problem(Location(doc.path, line_no), note_message(note["text"])))
    return tuple(found)


def _split_body(
    body: list[str], first_line: int, path: Path, site: SiteConfig, problems: Problems
) -> tuple[list[str], list[tuple[SectionConfig, list[_Draft]]]]:
    """Cut the body into intro lines and, per known section, its raw items."""
    intro: list[str] = []
    sections: list[tuple[SectionConfig, list[_Draft]]] = []
    seen: dict[str, int] = {}
    in_section = False  # True after the first ## heading, known or not
    items: list[_Draft] | None = None  # the current section's items; None if it is unknown
    for line_no, text, in_code in lines_outside_code(body, first_line):
        h2 = None if in_code else _H2.match(text)
        h3 = None if in_code else _H3.match(text)
        if h2:
            in_section = True
            name = _NUMBERING.sub("", h2.group(1)).strip()
            config = site.section(name)
            items = None
            if config is None:
                known = ", ".join(s.key for s in site.sections)
                problems.add(path, line_no, f"unknown section '{name}' (known: {known})")
            elif config.key in seen:
                problems.add(
                    path,
                    line_no,
                    f"section '{config.key}' appears twice (first at line {seen[config.key]})",
                )
            else:
                seen[config.key] = line_no
                items = []
                sections.append((config, items))
        elif h3 and in_section:
            if items is not None:
                items.append(_Draft(line_no, _NUMBERING.sub("", h3.group(1)).strip()))
        elif not in_section:
            intro.append(text)
        elif items:
            items[-1].lines.append(text)
        elif items is not None and text.strip():
            problems.add(
                path,
                line_no,
                "text before the first item of a section; "
                "start an item with '### [title](https://…)'",
            )
    return intro, sections


def _item(number: int, raw: _Draft, path: Path, tags: TagIndex, problems: Problems) -> Item:
    """One item from its heading and lines: link, title, commentary, tags, image."""
    title: str | None = None
    link = _LINK.match(raw.heading)
    bare = _BARE.match(raw.heading)
    if link:
        title, url = link.group("title").strip(), link.group("url")
    elif bare:
        url = bare.group("url")
    else:
        url = ""
        problems.add(
            path,
            raw.line,
            f"item heading '{raw.heading}' must be a link '[title](https://…)' or a bare URL",
        )
    if url and (why := url_problem(url)):
        problems.add(path, raw.line, why)

    lines = list(raw.lines)
    while lines and not lines[-1].strip():
        lines.pop()
    item_tags: list[Tag] = []
    # The tags line is the item's last paragraph: one line, preceded by a blank line or the heading.
    if lines and (m := _TAGS_LINE.match(lines[-1])) and (len(lines) == 1 or not lines[-2].strip()):
        tag_line = raw.line + len(lines)
        item_tags = [tags.tag(n, path, tag_line) for n in split_names(m.group("names"))]
        lines.pop()
    return Item(
        number=number,
        url=url,
        title=title,
        commentary="\n".join(lines).strip("\n"),
        tags=tuple(dict.fromkeys(item_tags)),
        image=figure(lines),
        line=raw.line,
    )
