"""``content/sources.toml``: the feeds the editor watches.

[[feeds]]
url = "https://go.dev/blog/feed.atom"
section = "articles"        # optional: the section new entries are proposed for
tags = ["Go"]               # optional: tags proposed with them
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from digest.config import SiteConfig
from digest.config.source import Source as Toml
from digest.config.source import read
from digest.errors import Location
from digest.model import Source
from digest.text.urls import url_problem

_KEYS = ("url", "section", "tags")


def load_sources(path: Path, site: SiteConfig) -> tuple[Source, ...]:
    """Every ``[[feeds]]`` entry; no file means no sources. All problems in one error, each
    on the line of the key it is about (the entry's ``[[feeds]]`` line for a missing one)."""
    if not path.exists():
        return ()
    raw, text = read(path, "sources")
    for key in raw:
        if key != "feeds":
            text.add(text.line_of(key), f"unknown key '{key}' (sources.toml holds [[feeds]] only)")
    feeds = raw.get("feeds", [])
    if not isinstance(feeds, list) or not all(isinstance(f, dict) for f in feeds):
        text.add(text.line_of("feeds"), "feeds must be [[feeds]] tables")
        feeds = []
    headers = text.headers("feeds")
    sources = []
    for i, entry in enumerate(feeds):
        header = headers[i] if i < len(headers) else text.line_of("feeds") or 1
        line = partial(_line, text, header)
        for key in entry:
            if key not in _KEYS:
                text.add(line(key), f"unknown feed key '{key}' (known: {', '.join(_KEYS)})")
        url = entry.get("url")
        why = url_problem(url) if isinstance(url, str) else "a feed needs a 'url'"
        section = entry.get("section")
        config = site.section(str(section)) if section is not None else None
        if section is not None and config is None:
            known = ", ".join(s.key for s in site.sections)
            text.add(line("section"), f"unknown section '{section}' (known: {known})")
        tags = entry.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            text.add(line("tags"), "'tags' must be a list of names")
            tags = []
        if why or not isinstance(url, str):
            text.add(line("url"), why or "a feed needs a 'url'")
            continue
        where = Location(path, line("url"))
        sources.append(Source(url, config.key if config else None, tuple(tags), where))
    text.problems.raise_if_any()
    return tuple(sources)


def _line(text: Toml, header: int, key: str) -> int:
    """The line of ``key`` in the ``[[feeds]]`` entry on line ``header`` (else that line)."""
    return text.line_in(key, header) or header
