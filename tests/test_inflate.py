"""A body's Content-Encoding undone within the cap: every encoding httpx knows, fed a few
bytes at a time, and a zip bomb that never unpacks past the cap."""

from __future__ import annotations

import gzip
import random
import tracemalloc
import zlib

import pytest

from digest.scraper.inflate import BadEncoding, Inflater, OverCap, inflate

BODY = "<p>一周萃选: notes on containers, caches and the week's links.</p>\n".encode() * 400


def deflate(data: bytes, wbits: int, level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def bomb(unpacked: int, wbits: int = zlib.MAX_WBITS | 16) -> bytes:
    """``unpacked`` zero bytes packed a megabyte at a time (never all held at once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * 1_000_000
    packed = [packer.compress(block) for _ in range(unpacked // len(block))]
    return b"".join(packed) + packer.flush()


def pieces(data: bytes, size: int = 7) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("gzip", gzip.compress(BODY)),
        ("X-Gzip", gzip.compress(BODY)),
        ("deflate", deflate(BODY, zlib.MAX_WBITS)),  # with the zlib wrapper, as HTTP says
        ("deflate", deflate(BODY, -zlib.MAX_WBITS)),  # bare, as many servers send it
        ("deflate, gzip", gzip.compress(deflate(BODY, zlib.MAX_WBITS))),  # in that order
        ("", BODY),
        ("identity", BODY),
        ("br", BODY),  # not one httpx undoes here (no brotli): left as it came, as httpx does
    ],
)
def test_each_encoding_gives_the_body_back_whole(encoding: str, packed: bytes) -> None:
    assert inflate(encoding, pieces(packed), cap=len(BODY)) == BODY


def test_a_body_of_the_cap_passes_and_one_byte_more_does_not() -> None:
    for encoding, packed in (("gzip", gzip.compress(BODY)), ("", BODY)):
        assert inflate(encoding, [packed], cap=len(BODY)) == BODY
        with pytest.raises(OverCap, match=f"over the {len(BODY) - 1:,}-byte cap"):
            inflate(encoding, [packed], cap=len(BODY) - 1)


def test_a_zip_bomb_never_unpacks_past_the_cap() -> None:
    # 100 MB of zeros in about 100 KB, given in one piece (httpx unpacked each network read
    # whole: 64 KB of this is some 64 MB). Here the peak stays near the cap.
    packed = bomb(100_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(OverCap):
            inflate("gzip", [packed], cap=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"{peak:,} bytes at the peak"


def test_layers_unpack_a_step_at_a_time_and_in_order() -> None:
    # gzip around a deflate stream that is larger than the body it holds (bytes that do
    # not pack, stored): a body of exactly the cap, whose inner stream is over it, comes
    # back whole, the outer layer's output read through in steps, none lost or reordered.
    body = random.Random(19).randbytes(300_000)
    inner = deflate(body, zlib.MAX_WBITS, level=0)
    assert len(inner) > len(body)
    packed = gzip.compress(inner)
    assert inflate("deflate, gzip", pieces(packed, 100_000), cap=len(body)) == body
    with pytest.raises(OverCap):
        inflate("deflate, gzip", pieces(packed, 100_000), cap=len(body) - 1)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_that_is_not_its_encoding_is_a_bad_encoding(encoding: str) -> None:
    with pytest.raises(BadEncoding):
        inflate(encoding, [b"\x1f\x8b\x08\x00 not packed at all"], cap=1000)


def test_the_size_so_far_is_counted_as_it_unpacks() -> None:
    inflater = Inflater("gzip", cap=len(BODY))
    packed = gzip.compress(BODY)
    inflater.feed(packed[: len(packed) // 2])
    assert 0 < inflater.size < len(BODY)
    inflater.feed(packed[len(packed) // 2 :])
    assert inflater.body() == BODY and inflater.size == len(BODY)


@pytest.mark.parametrize("encoding", ["deflate", "deflate, gzip"])
def test_a_bare_deflate_stream_that_arrives_a_byte_at_a_time_is_read(encoding: str) -> None:
    # Whether "deflate" has its zlib wrapper shows in its first two bytes: told by an error
    # on the first piece, a first piece of one byte (a server flushing as it packs, or the
    # gzip layer around it giving a byte) passed, and the bare stream was a bad encoding.
    packed = deflate(BODY, -zlib.MAX_WBITS)
    if encoding == "deflate, gzip":
        packed = gzip.compress(packed)
    assert inflate(encoding, pieces(packed, 1), cap=len(BODY)) == BODY
    wrapped = deflate(BODY, zlib.MAX_WBITS)
    assert inflate("deflate", pieces(wrapped, 1), cap=len(BODY)) == BODY
