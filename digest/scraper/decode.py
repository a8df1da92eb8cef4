"""Bytes -> text with the right charset, so no page ever turns into ``??榛哪诤思芄?``.

Order: a byte-order mark; the HTTP ``charset``; the document's ``<meta charset>`` or
``http-equiv``; then detection (``charset-normalizer``). GB2312 and GBK are read as their
superset GB18030, and ISO-8859-1 as windows-1252, as browsers do. When the header and the
document disagree, the one that decodes the bytes cleanly wins (a multi-byte charset that
decodes cleanly is strong evidence; a single-byte one decodes anything, so it goes last).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")


@dataclass(frozen=True)
class Decoded:
    """Text, the codec that produced it, and where the codec came from."""

    text: str
    encoding: str
    source: str  # "bom", "http", "meta", "detected" or "fallback"


def canonical_charset(name: str | None) -> str | None:
    """The Python codec for a declared charset, or None if it is unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares in its first 4 KB (meta or XML declaration)."""
    head = body[:4096]
    m = _META.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii") if m else None


def _single_byte(codec: str) -> bool:
    return codecs.lookup(codec).name in {"cp1252", "latin-1", "iso8859-15", "koi8-r", "cp1251"}


def decode_body(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode ``body`` by the order in the module docstring."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "bom")

    declared = [
        (codec, source)
        for codec, source in (
            (canonical_charset(http_charset), "http"),
            (canonical_charset(declared_charset(body)), "meta"),
        )
        if codec
    ]
    # Multi-byte candidates first: if one of them decodes cleanly it is almost surely right.
    for codec, source in sorted(declared, key=lambda cs: _single_byte(cs[0])):
        try:
            return Decoded(body.decode(codec), codec, source)
        except UnicodeDecodeError:
            continue

    try:
        return Decoded(body.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:200_000]).best()
    if best is not None:
        codec = canonical_charset(best.encoding) or "utf-8"
        try:
            return Decoded(body.decode(codec), codec, "detected")
        except UnicodeDecodeError:
            pass
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "fallback")
