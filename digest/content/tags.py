"""Tag slugs: stable, readable, and never shared by two tags.

The rule (also in the README): a slug chosen in ``[tag_slugs]`` of site.toml wins.
Otherwise the name is NFKC-normalised and lowercased; Chinese characters become their
toneless pinyin, one syllable per word (``容器镜像`` -> ``rong-qi-jing-xiang``); ASCII
letters and digits are kept; ``+`` becomes ``plus`` and ``#`` becomes ``sharp``
(``C++`` -> ``c-plus-plus``); anything else separates words, and words are joined by
``-``. A name with nothing left (say, only emoji) gets ``tag-`` and 8 hex digits of its
SHA-1 (the rule itself is in ``digest/text/slugs.py``). Two different names with the
same slug are an error naming both places.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from digest.errors import Location, Problems
from digest.model import Tag
from digest.text.slugs import slugify

__all__ = ["TagIndex", "slugify"]


class TagIndex:
    """Hands out :class:`Tag` values and records a problem when two names share a slug."""

    def __init__(self, overrides: Mapping[str, str], problems: Problems) -> None:
        self.overrides = overrides
        self.problems = problems
        self.by_slug: dict[str, tuple[str, Location]] = {}
        self.by_name: dict[str, str] = {}  # slugs known (from cached parses: no pinyin needed)

    def tag(self, name: str, path: Path, line: int | None, slug: str | None = None) -> Tag:
        """The tag called ``name``, first seen (for error messages) at ``path:line``;
        ``slug`` when it is already known (a cached parse)."""
        slug = slug or self.overrides.get(name) or self.by_name.get(name) or slugify(name)
        self.by_name.setdefault(name, slug)
        first = self.by_slug.get(slug)
        if first is None:
            first = self.by_slug[slug] = (name, Location(path, line))
        if first[0] != name:
            self.problems.add(
                path,
                line,
                f"tag '{name}' has the same slug '{slug}' as tag '{first[0]}' ({first[1]}); "
                "spell them the same or choose a slug in [tag_slugs] of site.toml",
            )
        return Tag(name, slug)
