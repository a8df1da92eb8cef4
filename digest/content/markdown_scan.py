"""Line-level reading of Markdown bodies: fences, headings, images, links.

The renderer parses Markdown properly; this module only needs what carries structure or
can be wrong (a section heading, an item link, an image path), each with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from digest.content.frontmatter import Document
from digest.content.images import image_size
from digest.errors import Problems
from digest.model import Asset, Image
from digest.text.fences import code_lines
from digest.text.urls import split_url

# The destination bare, or in angle brackets, which may hold spaces (``![](<我的 图.png>)``).
IMAGE_RE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?:<(?P<angled>[^<>\n]*)>|(?P<src>[^)\s]+))"
    r"(?:\s+\"(?P<title>[^\"]*)\")?\)"
)
FIGURE_RE = re.compile(rf"^\s*{IMAGE_RE.pattern}\s*$")


def lines_outside_code(lines: list[str], first_line: int) -> Iterator[tuple[int, str, bool]]:
    """Yield ``(file line, text, in_code)`` for each line; fence lines count as code."""
    for offset, (text, in_code) in enumerate(code_lines(lines)):
        yield first_line + offset, text, in_code


def local_asset(
    src: str, doc: Path, content_dir: Path, line: int, problems: Problems
) -> Asset | None:
    """The :class:`Asset` for an image path written in ``doc``; None for remote images.

    Relative paths must stay next to the document (no ``..``) and the file must exist.
    """
    parts = split_url(src)  # None for http://[::1: no local file, the page shows it as written
    if parts is None or parts.scheme or src.startswith(("/", "#", "data:")):
        return None
    # a URL's escapes name the file's characters, as in a browser (``我的%20图.png``)
    target = PurePosixPath(unquote(src.split("#")[0].split("?")[0]))
    if ".." in target.parts:
        problems.add(doc, line, f"image '{src}' must be next to the Markdown file (no '..')")
        return None
    source = doc.parent / target
    if not source.is_file():
        problems.add(doc, line, f"image '{src}' not found (looked for {source})")
        return None
    if not source.resolve().is_relative_to(content_dir.resolve()):
        problems.add(doc, line, f"image '{src}' is outside content/")
        return None
    return Asset(source, str(target), image_size(source))


def scan_images(
    lines: list[str], first_line: int, doc: Path, content_dir: Path, problems: Problems
) -> list[Asset]:
    """Every local image referenced in ``lines`` (outside code), checked to exist."""
    assets: list[Asset] = []
    for line_no, text, in_code in lines_outside_code(lines, first_line):
        if in_code:
            continue
        for m in IMAGE_RE.finditer(text):
            asset = local_asset(destination(m), doc, content_dir, line_no, problems)
            if asset and asset not in assets:
                assets.append(asset)
    return assets


def document_assets(
    doc: Document, cover: str | None, cover_line: int, content_dir: Path, problems: Problems
) -> tuple[Asset, ...]:
    """The cover image and every local image in the body of ``doc``, each once."""
    found = [local_asset(cover, doc.path, content_dir, cover_line, problems)] if cover else []
    body = doc.body.split("\n")
    found += scan_images(body, doc.body_line, doc.path, content_dir, problems)
    return tuple(dict.fromkeys(a for a in found if a))


def destination(image: re.Match[str]) -> str:
    """The path or URL of an :data:`IMAGE_RE` match, without its angle brackets."""
    angled = image.group("angled")
    return angled if angled is not None else image.group("src")


def figure(lines: list[str]) -> Image | None:
    """The first image standing alone on a line, as an :class:`Image`."""
    for _, text, in_code in lines_outside_code(lines, 0):
        m = None if in_code else FIGURE_RE.match(text)
        if m:
            return Image(destination(m), m.group("alt"), m.group("title") or "")
    return None
