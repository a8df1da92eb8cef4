"""A body's ``Content-Encoding`` undone within the byte cap, however well it packs.

httpx undoes gzip and deflate a network read at a time, each read in full: 64 KB of a
"zip bomb" unpacks to some 64 MB in one call before the fetcher can count a byte, and
with 32 URLs in flight that is 2 GB. Here each read is unpacked a step at a time
(:data:`STEP`), each step counted before the next is unpacked, so a body never holds more
than the cap and a step. The encodings are httpx's own: ``gzip`` (``x-gzip``) and
``deflate`` (with or without its zlib wrapper), layered as the header lists them; any
other value is left as it came, as httpx leaves it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

_GZIP = zlib.MAX_WBITS | 16  # a gzip header and trailer around the stream
_ZLIB = zlib.MAX_WBITS  # the zlib wrapper HTTP's "deflate" names
_RAW = -zlib.MAX_WBITS  # the bare stream that many servers send for "deflate"
_WBITS = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": _ZLIB}


class BadEncoding(Exception):
    """The body is not what its ``Content-Encoding`` says."""


class OverCap(Exception):
    """The body unpacks past the cap."""


STEP = 65_536  # bytes a layer gives at a time: the most a body holds beyond the cap


class _Layer:
    """One encoding undone a bounded step at a time."""

    def __init__(self, wbits: int) -> None:
        self.unpacker = zlib.decompressobj(wbits)
        # "deflate"'s first bytes until there are two, which tell whether it has its wrapper
        self.head: bytes | None = b"" if wbits == _ZLIB else None

    def unpack(self, data: bytes) -> tuple[bytes, bytes]:
        """At most :data:`STEP` bytes of ``data`` unpacked, and the part of ``data`` not yet
        read for want of room."""
        if self.head is not None:
            self.head += data
            if len(self.head) < 2:
                return b"", b""  # a piece of one byte: not yet known
            if not _wrapped(self.head):  # "deflate" without its zlib wrapper
                self.unpacker = zlib.decompressobj(_RAW)
            data, self.head = self.head, None
        try:
            return self.unpacker.decompress(data, STEP), self.unpacker.unconsumed_tail
        except zlib.error as exc:
            raise BadEncoding(str(exc)) from None

    def finish(self) -> bytes:
        """What the unpacker still holds (less than its window: every byte fed was read)."""
        try:
            return self.unpacker.decompress(self.head or b"") + self.unpacker.flush()
        except zlib.error as exc:
            raise BadEncoding(str(exc)) from None


def _wrapped(head: bytes) -> bool:
    """Whether a deflate stream starting ``head`` has a zlib header (RFC 1950: method 8,
    and the two bytes a multiple of 31)."""
    return head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


class Inflater:
    """The body of a response whose ``Content-Encoding`` header is ``encoding``, fed its
    raw bytes as they arrive and never holding over ``cap`` bytes unpacked, plus a step."""

    def __init__(self, encoding: str, cap: int) -> None:
        names = [name.strip().lower() for name in encoding.split(",")]
        # The header lists the encodings in the order they were applied: undo the last first.
        self.layers = [_Layer(_WBITS[name]) for name in reversed(names) if name in _WBITS]
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, raw: bytes) -> None:
        """Take the next raw bytes; :class:`OverCap` once the body passes the cap."""
        self._through(raw, 0)

    def body(self) -> bytes:
        """The whole body, once every raw byte has been fed."""
        for i, layer in enumerate(self.layers):
            self._through(layer.finish(), i + 1)
        return b"".join(self.parts)

    def _through(self, data: bytes, i: int) -> None:
        """``data`` passed through the layers from the ``i``-th on, a step at a time, each
        step all the way through before the next is unpacked."""
        if i == len(self.layers):
            self._keep(data)
            return
        while data:
            step, data = self.layers[i].unpack(data)
            self._through(step, i + 1)

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise OverCap(f"body is over the {self.cap:,}-byte cap")
        self.parts.append(data)


def inflate(encoding: str, raw: Iterable[bytes], cap: int) -> bytes:
    """The body of the raw chunks ``raw`` (see :class:`Inflater`), all at hand."""
    inflater = Inflater(encoding, cap)
    for chunk in raw:
        inflater.feed(chunk)
    return inflater.body()
