"""Slugs from names: the one rule for tag pages, post files and imported posts.

A name is NFKC-normalised and lowercased; Chinese characters become their toneless
pinyin, one syllable per word (``容器镜像`` -> ``rong-qi-jing-xiang``); ASCII letters and
digits are kept; ``+`` becomes ``plus`` and ``#`` becomes ``sharp`` (``C++`` ->
``c-plus-plus``); anything else separates words, and words are joined by ``-``. A name
with nothing left (say, only emoji) gets ``tag-`` and 8 hex digits of its SHA-1. A slug
is a folder's name in ``site/``, and a file system takes 255 bytes at most: one longer
than :data:`SLUG_MAX` characters keeps its words up to 191 characters and ends in ``-``
and those 8 hex digits.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from digest.text.cjk import HAN_RUN_RE

_WORD = re.compile(r"[a-z0-9]+")
SLUG_MAX = 200  # characters: room left for the longest file a slug's folder holds


@functools.lru_cache(maxsize=4096)  # an archive repeats a few hundred names thousands of times
def slugify(name: str) -> str:
    """The slug of a tag or file name by the rule in this module's docstring."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = text.replace("+", " plus ").replace("#", " sharp ")
    if HAN_RUN_RE.search(text):
        from pypinyin import Style, lazy_pinyin  # 0.3 s to load: only when needed

        text = HAN_RUN_RE.sub(
            lambda m: f" {' '.join(lazy_pinyin(m.group(), style=Style.NORMAL))} ", text
        )
    words = _WORD.findall(text.replace("ü", "v"))
    mark = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if not words:
        return "tag-" + mark
    slug = "-".join(words)
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX - len(mark) - 1].rsplit("-", 1)[0] + "-" + mark
    return slug
