"""Image dimensions from the file header: emails need ``width``/``height`` on every image,
and pages use them against layout shift.

Raster formats (PNG, GIF, JPEG, WebP...) are read by imagesize, which reads only the header
and turns a JPEG's size by its EXIF orientation, as browsers show it. SVG is ours: imagesize
takes the first ``width=`` in the file's first KiB (a ``<rect>``'s when the ``<svg>`` tag has
none) and knows no ``viewBox``.
"""

from __future__ import annotations

import re
from pathlib import Path

import imagesize

_SVG_SIZE = re.compile(rb"<svg\b[^>]*?>", re.S)
_NUMBER = re.compile(rb"^\s*([0-9.]+)\s*(px)?\s*$")
_SVG_HEAD = 65536  # the <svg> tag comes after at most an XML declaration, comments, a DOCTYPE


def image_size(path: Path) -> tuple[int, int] | None:
    """``(width, height)`` in pixels, or None when the format or file is not understood."""
    if path.suffix.lower() == ".svg":
        try:
            with path.open("rb") as file:
                m = _SVG_SIZE.search(file.read(_SVG_HEAD))
        except OSError:
            return None
        return _svg(m.group()) if m else None
    width, height = imagesize.get(path)  # (-1, -1) for a file it cannot read or size
    return (int(width), int(height)) if width >= 0 and height >= 0 else None


def _svg(tag: bytes) -> tuple[int, int] | None:
    def attr(name: bytes) -> bytes | None:
        m = re.search(rb"\s" + name + rb"\s*=\s*[\"']([^\"']*)[\"']", tag)
        return m.group(1) if m else None

    width, height = attr(b"width"), attr(b"height")
    if width and height and (w := _NUMBER.match(width)) and (h := _NUMBER.match(height)):
        return round(float(w.group(1))), round(float(h.group(1)))
    box = attr(b"viewBox")
    if box:
        parts = box.replace(b",", b" ").split()
        if len(parts) == 4:
            try:
                return round(float(parts[2])), round(float(parts[3]))
            except ValueError:
                return None
    return None
