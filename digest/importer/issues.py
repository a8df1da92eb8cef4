"""A weekly issue published as one blog post -> our issue: intro, sections, items.

Which posts are issues: a title matching ``…[第N期]`` (brackets of any width), or the
editor's ``--issues-pattern`` (a regular expression whose first group is N).

The body is read as the blog showed it. A heading naming one of ``site.toml``'s sections
(by heading or key, ``一、`` numbering allowed, at any level) starts that section; inside
it, each heading of a deeper level starts an item, whose link is the heading's own, or
the link of a line like ``文章链接：“[…](…)”`` (dropped: the page adds that line itself),
or the first link of its text. Everything before the first section is the intro.

When the body cannot be read that way (no section heading, a section twice, text
between a section heading and its first item, an item without a link), the whole body
becomes the intro, its headings set below ``##`` so that none is taken for a section, and
the report asks for a look. Either way the file builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.config import SiteConfig
from digest.model import MOST_ISSUES
from digest.text.fences import code_lines
from digest.text.mdsyntax import md_title, md_url

DEFAULT_PATTERN = r"[\[［【(（]\s*第\s*(\d+)\s*期\s*[\]］】)）]"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、)．]\s*|\d+\\\.\s*)\s*")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>https?://[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_ONLY_LINK = re.compile(rf"^\s*{_LINK.pattern}\s*$")


@dataclass(frozen=True)
class IssueBody:
    """An issue's body in our format; ``structured`` is False when it all went to the intro."""

    text: str
    structured: bool


def issue_number(title: str, pattern: str | None) -> int | None:
    """N when ``title`` names a numbered weekly issue, else None."""
    m = re.search(pattern or DEFAULT_PATTERN, title)
    if not m:
        return None
    digits = m.group(1) if m.groups() else re.sub(r"\D", "", m.group())
    number = digits.lstrip("0") if digits and digits.isdecimal() else ""
    if not number or len(number) > len(str(MOST_ISSUES)):
        return None  # not a number an issue can have (第0期, 第99999999期): a post
    return int(number)


def issue_title(title: str, number: int, pattern: str | None, site: SiteConfig) -> str:
    """What the issue's ``title`` says besides its heading: the post's title without the
    number and without the words of ``issue_heading``; the heading itself when nothing is
    left (the page then names the issue once)."""
    rest = re.sub(pattern or DEFAULT_PATTERN, " ", title, count=1)
    for part in site.issue_heading.split("{number}"):
        for word in re.split(r"[\[\]［］【】()（）第期\s]+", part):
            if word:
                rest = rest.replace(word, " ")
    rest = " ".join(rest.split()).strip(" :：-—|｜,，")
    return rest or site.issue_name(number)


def _links(lines: list[str]) -> tuple[str | None, list[str]]:
    """An item's URL from its lines, and the lines without a link-label line."""
    for i, line in enumerate(lines):
        label = re.match(r"^\s*[^\s：:]{1,8}[：:]\s*[“\"「]?\s*(.+?)\s*[”\"」]?\s*$", line)
        if label and (only := _ONLY_LINK.match(label.group(1))):
            return only["url"], lines[:i] + lines[i + 1 :]
    for line in lines:
        if m := _LINK.search(line):
            return m["url"], lines
    return None, lines


def _item(heading: str, lines: list[str]) -> list[str] | None:
    """``### [title](url)`` and its commentary, or None when it has no link."""
    text = _NUMBERING.sub("", heading).strip()
    own = _ONLY_LINK.match(text)
    if own:
        title, url, rest = own["text"], own["url"], lines
    else:
        url, rest = _links(lines)
        title = _LINK.sub(lambda m: m["text"], text)
    if not url or not title.strip():
        return None
    while rest and not rest[-1].strip():
        rest = rest[:-1]
    return [f"### [{md_title(title)}]({md_url(url)})", *rest]


def _demoted(lines: list[str]) -> list[str]:
    """``lines`` with no heading above ``####``, so none is read as a section or an item."""
    return [
        re.sub(r"^#{1,3}(?=\s)", "####", line) if not code else line
        for line, code in code_lines(lines)
    ]


def _structured(lines: list[str], site: SiteConfig) -> list[str] | None:
    """The body with our section and item headings, or None when it does not read so."""
    marks = [
        (i, len(m[1]), m[2])
        for i, (line, code) in enumerate(code_lines(lines))
        if not code and (m := _HEADING.match(line))
    ]
    found = [
        (i, lvl, s) for i, lvl, t in marks if (s := site.section(_NUMBERING.sub("", t).strip()))
    ]
    if not found or len({s.key for _, _, s in found}) != len(found):
        return None
    out = _demoted(lines[: found[0][0]])
    bounds = [i for i, _, _ in found] + [len(lines)]
    for (start, level, section), end in zip(found, bounds[1:], strict=True):
        inside = [(i, lvl, t) for i, lvl, t in marks if start < i < end]
        if not inside or min(lvl for _, lvl, _ in inside) <= level:
            return None
        item_level = min(lvl for _, lvl, _ in inside)
        items = [(i, t) for i, lvl, t in inside if lvl == item_level]
        if any(line.strip() for line in lines[start + 1 : items[0][0]]):
            return None
        out += [f"## {section.heading}", ""]
        for (at, heading), stop in zip(items, [i for i, _ in items[1:]] + [end], strict=True):
            item = _item(heading, _demoted(lines[at + 1 : stop]))
            if item is None:
                return None
            out += [*item, ""]
    return out


def issue_body(markdown: str, site: SiteConfig) -> IssueBody:
    """``markdown`` (a converted post body) as an issue's body, by the module's rules."""
    lines = markdown.rstrip("\n").split("\n")
    structured = _structured(lines, site)
    if structured is not None:
        return IssueBody("\n".join(structured).rstrip("\n") + "\n", True)
    return IssueBody("\n".join(_demoted(lines)).rstrip("\n") + "\n", False)
