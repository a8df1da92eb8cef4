"""Image dimensions from the file header (PNG, GIF, JPEG, WebP, SVG), without an imaging
library: emails need ``width``/``height`` on every image, and pages use them against
layout shift."""

from __future__ import annotations

import re
import struct
from pathlib import Path

_SVG_SIZE = re.compile(rb"<svg\b[^>]*?>", re.S)
_NUMBER = re.compile(rb"^\s*([0-9.]+)\s*(px)?\s*$")


def image_size(path: Path) -> tuple[int, int] | None:
    """``(width, height)`` in pixels, or None when the format or file is not understood."""
    try:
        head = path.read_bytes()[:65536]
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        return w, h
    if head[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", head[6:10])
        return w, h
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _webp(head)
    if head.startswith(b"\xff\xd8"):
        return _jpeg(head)
    if m := _SVG_SIZE.search(head):
        return _svg(m.group())
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return w, h
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


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
