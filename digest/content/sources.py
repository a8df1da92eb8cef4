"""``content/sources.toml``: the feeds the editor watches.

[[feeds]]
url = "https://go.dev/blog/feed.atom"
section = "articles"        # optional: the section new entries are proposed for
tags = ["Go"]               # optional: tags proposed with them
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from digest.config import SiteConfig
from digest.content.markdown_scan import url_problem
from digest.errors import ContentError, Location, Problem, Problems
from digest.model import Source

_KEYS = ("url", "section", "tags")


def load_sources(path: Path, site: SiteConfig) -> tuple[Source, ...]:
    """Every ``[[feeds]]`` entry; no file means no sources. All problems in one error."""
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        m = re.search(r"at line (\d+)", str(exc))
        raise ContentError(
            [Problem(Location(path, int(m.group(1)) if m else None), f"cannot read sources: {exc}")]
        ) from exc
    problems = Problems()
    headers = [
        i for i, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*feeds\s*]]", line)
    ]
    for key in raw:
        if key != "feeds":
            problems.add(path, None, f"unknown key '{key}' (sources.toml holds [[feeds]] only)")
    sources = []
    for i, entry in enumerate(raw.get("feeds", [])):
        line = headers[i] if i < len(headers) else None
        for key in entry:
            if key not in _KEYS:
                problems.add(path, line, f"unknown feed key '{key}' (known: {', '.join(_KEYS)})")
        url = entry.get("url")
        why = url_problem(url) if isinstance(url, str) else "a feed needs a 'url'"
        if why or not isinstance(url, str):
            problems.add(path, line, why or "a feed needs a 'url'")
            continue
        section = entry.get("section")
        if section is not None and site.section(str(section)) is None:
            known = ", ".join(s.key for s in site.sections)
            problems.add(path, line, f"unknown section '{section}' (known: {known})")
        tags = entry.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.add(path, line, "'tags' must be a list of names")
            tags = []
        config = site.section(str(section)) if section else None
        sources.append(Source(url, config.key if config else None, tuple(tags), line))
    problems.raise_if_any()
    return tuple(sources)
