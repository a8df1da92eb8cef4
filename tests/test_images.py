"""Image sizes from real files: every format the sample and the tests use, and SVG's cases."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from digest.content.images import image_size
from tests.conftest import ROOT


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (1 + 3 * width) * height)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG header, with an EXIF orientation when one is given."""
    app1 = b""
    if orientation is not None:
        entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
        tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + b"\x00" * 4
        app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00" * 3
    return b"\xff\xd8" + jfif + app1 + sof + b"\xff\xda" + b"\x00" * 64 + b"\xff\xd9"


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    data = b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 8
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_extended(width: int, height: int) -> bytes:
    data = b"\x00" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


CASES = [
    ("a.png", png(600, 300), (600, 300)),
    ("a.gif", b"GIF89a" + struct.pack("<HH", 320, 200) + b"\x00" * 20, (320, 200)),
    ("a.jpg", jpeg(1024, 768), (1024, 768)),
    # Turned a quarter by EXIF: browsers show it 768 wide, so width/height must say so.
    ("turned.jpg", jpeg(1024, 768, orientation=6), (768, 1024)),
    ("lossless.webp", webp_lossless(400, 250), (400, 250)),
    ("extended.webp", webp_extended(1920, 1080), (1920, 1080)),
    ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"/>', (64, 32)),
    ("px.svg", b"<svg width='10.6px' height='5px'></svg>", (11, 5)),
    (
        "declared.svg",
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a width="1" height="1" comment -->\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect width="5" '
        b'height="5"/></svg>',
        (120, 80),
    ),
    ("percent.svg", b'<svg width="100%" height="100%"><rect width="5" height="5"/></svg>', None),
    ("text.png", b"not an image at all", None),
    ("empty.gif", b"", None),
]


@pytest.mark.parametrize(("name", "data", "size"), CASES, ids=[c[0] for c in CASES])
def test_sizes(tmp_path: Path, name: str, data: bytes, size: tuple[int, int] | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == size


def test_a_missing_file_has_no_size(tmp_path: Path) -> None:
    assert image_size(tmp_path / "gone.png") is None
    assert image_size(tmp_path / "gone.svg") is None


def test_every_sample_image() -> None:
    images = sorted(p for p in (ROOT / "content").rglob("*") if p.suffix in (".png", ".svg"))
    assert len(images) >= 9
    assert {p.name: image_size(p) for p in images} == {p.name: (600, 300) for p in images}


def test_an_image_path_with_a_space_is_the_file_it_names(minimal: Path) -> None:
    """A space written as %20 (what editors paste) or inside <angle brackets>, as Markdown
    allows: the first was refused as not found, the second never copied into the site
    (the page showed a broken image); <angle brackets> around a missing file were looked
    for as part of its name."""
    from digest.build.pipeline import build
    from digest.errors import ContentError

    issue = minimal / "content" / "issues" / "001.md"
    (issue.parent / "我的 图.png").write_bytes(png(60, 30))
    (issue.parent / "my pic.png").write_bytes(png(40, 20))
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text + "\n![图](<我的 图.png>)\n\n![pic](my%20pic.png)\n", encoding="utf-8")
    build(minimal)
    assert (minimal / "site" / "issues" / "1" / "我的 图.png").read_bytes() == png(60, 30)
    assert (minimal / "site" / "issues" / "1" / "my pic.png").read_bytes() == png(40, 20)
    email = (minimal / "site" / "email" / "1.html").read_text(encoding="utf-8")
    assert 'width="60" height="30"' in email and 'width="40" height="20"' in email
    issue.write_text(text + "\n![图](<不在.png>)\n\n![x](%2e%2e/x.png)\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(minimal)
    assert [p.message for p in caught.value.problems] == [
        f"image '不在.png' not found (looked for {issue.parent / '不在.png'})",
        "image '%2e%2e/x.png' must be next to the Markdown file (no '..')",
    ]
