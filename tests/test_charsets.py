"""Chinese pages whose charset is declared wrongly, or not at all, still decode.

Every body here is encoded by the test itself, so the bytes are exactly the case named.
"""

from __future__ import annotations

from digest.scraper.decode import decode_body
from digest.scraper.extract import extract

SIMPLIFIED = "深入理解容器镜像的分层存储"
TRADITIONAL = "深入理解容器映像檔的分層儲存"
BODY_ZH = "这篇文章讲的是镜像由多层组成，每一层都是只读的，写入时复制。我们从头说起。"
BODY_TW = "這篇文章講的是映像檔由多層組成，每一層都是唯讀的，寫入時複製。我們從頭說起。"


def page(title: str, body: str, h1: str = "") -> str:
    h1 = h1 or title
    return f"<html><head><title>{title}</title></head><body><h1>{h1}</h1><p>{body}</p>"


def test_a_declared_charset_that_is_wrong_loses_to_the_bytes() -> None:
    zh, tw = page(SIMPLIFIED, BODY_ZH), page(TRADITIONAL, BODY_TW)
    rare = "容器镜像㐀䶮𠀀的分层"  # CJK Extension A and B: four-byte sequences in GB18030
    cases = [
        # (what the page is, its meta charset, the HTTP charset, the codec it is in)
        (zh, "utf-8", None, "gbk"),
        (zh, "utf-8", "utf-8", "gbk"),
        (tw, "gb2312", None, "big5"),
        (zh, "big5", None, "gbk"),
        (zh, "", "iso-8859-1", "gbk"),  # a server's default header
        (tw, "", "iso-8859-1", "big5"),
        (zh, "windows-1252", None, "gbk"),
        (zh, "gb2312", None, "utf-8"),
        (page(rare, BODY_ZH), "gb2312", None, "gb18030"),
        (page(rare, BODY_ZH), "gb2312", "iso-8859-1", "gb18030"),
    ]
    for html, meta, http, codec in cases:
        body = html.replace("<head>", f'<head><meta charset="{meta}">' if meta else "<head>")
        decoded = decode_body(body.encode(codec), http)
        title = html[html.index("<title>") + 7 : html.index("</title>")]
        assert f"<title>{title}</title>" in decoded.text, (codec, meta, http)


def test_undeclared_pages_in_chinese_and_in_other_languages() -> None:
    # A title alone: too little for a general detector, which took it for Korean (cp949).
    body = "<html><head><title>Go 语言调度器</title></head><body>ok</body></html>".encode("gbk")
    decoded = decode_body(body)
    assert (decoded.encoding, decoded.source) == ("gb18030", "detected")
    assert "<title>Go 语言调度器</title>" in decoded.text
    big5 = "<html><head><title>深入淺出 Kubernetes 網路</title></head></html>".encode("big5")
    assert "深入淺出 Kubernetes 網路" in decode_body(big5).text
    # Nor is a page in another language taken for Chinese: EUC-KR's Hangul, for one,
    # reads cleanly as common Chinese characters in GBK.
    korean = "<title>컨테이너 이미지의 계층 구조</title><p>이 글은 여러 계층으로 이루어져 있다.</p>"
    for raw in (f'<meta charset="euc-kr">{korean}', korean):
        assert "컨테이너 이미지의" in decode_body(raw.encode("euc-kr")).text
    japanese = '<meta charset="shift_jis"><title>コンテナイメージの層を理解する</title>'
    assert "コンテナイメージの層" in decode_body(japanese.encode("shift_jis")).text
    french = "<title>Été à Paris</title><p>Les cafés, déjà.</p>".encode("latin-1")
    assert "Été à Paris" in decode_body(french, "iso-8859-1").text


def test_no_mojibake_title_from_a_mislabelled_page() -> None:
    body = page("Rust 异步编程入门 - 某技术博客", BODY_ZH, h1="Rust 异步编程入门").encode("gbk")
    record = extract(body, url="https://example.cn/a", content_type="text/html; charset=ISO-8859-1")
    assert record.encoding == "gb18030"
    assert record.title == "Rust 异步编程入门"
    assert BODY_ZH in record.text


def test_a_declared_chinese_page_with_a_few_broken_bytes_is_still_chinese() -> None:
    # A GBK page cut in the middle of a character in two places (a truncated save, two
    # files pasted together): strict decoding fails everywhere, and detection finds nothing.
    html = page(SIMPLIFIED, BODY_ZH * 40).replace("<head>", '<head><meta charset="gb2312">')
    raw = html.encode("gbk")
    cut = raw.index("每一层".encode("gbk"))
    body = raw[:cut] + b"\xb2" + raw[cut:] + b"\xc8"  # a lead byte without its trail, twice
    decoded = decode_body(body)
    assert decoded.encoding == "gb18030"
    assert "\ufffd" not in decoded.text  # half a character is left out, not shown as U+FFFD
    assert extract(body, url="https://example.cn/a", content_type="text/html").title == SIMPLIFIED


def test_a_page_of_mostly_broken_bytes_is_not_forced_into_its_declared_charset() -> None:
    noise = bytes(range(0x80, 0x100)) * 20  # not GBK text: most pairs are not characters
    body = b'<html><head><meta charset="gb2312"></head><body><p>' + noise + b"</p>"
    assert decode_body(body).source == "fallback"


def test_a_gbk_page_with_a_character_cut_in_two_is_still_gbk() -> None:
    # A page saved with one character cut in half (its lead byte alone) is not valid GBK;
    # it was read as Cyrillic or as UTF-8 with every Chinese character replaced.
    for meta in ("", "gb2312"):
        html = page(SIMPLIFIED, BODY_ZH * 30).replace(
            "<head>", f'<head><meta charset="{meta}">' if meta else "<head>"
        )
        body = html.encode("gbk")
        cut = body.index("写入".encode("gbk"))
        body = body[:cut] + body[cut : cut + 1] + b"<br>" + body[cut + 2 :]
        decoded = decode_body(body)
        assert decoded.encoding == "gb18030", meta
        assert "每一层都是只读的" in decoded.text
        assert "\ufffd" not in decoded.text, meta


def test_a_western_page_with_a_few_accents_is_not_taken_for_gbk() -> None:
    # "é" before a letter is also a GBK lead byte and its trail: four such pairs and one
    # lone byte read as four ordinary Chinese characters and one bad byte.
    words = "At Crécy the archers held the line; the lesson of Crécy was learned late. "
    html = page("Classical strategy", "An essay on strategy in English. " * 300 + words * 2)
    body = html.replace("<head>", '<head><meta charset="windows-1252">') + "Attaché."
    decoded = decode_body(body.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert "lesson of Crécy" in decoded.text and "Attaché." in decoded.text


def test_a_utf8_page_with_a_stray_byte_is_still_utf8() -> None:
    # A page declared UTF-8 and written so, but for one byte that is not (a file pasted
    # in, a character cut in two): detection read every accent as box drawing (cp775).
    html = page("Café notes", "The quick brown fox jumps over the lazy dog. " * 30)
    body = html.encode("utf-8").replace(b"</p>", b"\xff</p>")
    for http, meta in (("utf-8", ""), (None, "utf-8")):
        raw = body.replace(
            b"<head>", f'<head><meta charset="{meta}">'.encode() if meta else b"<head>"
        )
        decoded = decode_body(raw, http)
        assert decoded.encoding == "utf-8", (http, meta)
        assert "<title>Café notes</title>" in decoded.text
        assert "\ufffd" not in decoded.text  # the stray byte is left out, as in a GBK page
    record = extract(body, url="https://example.com/a", content_type="text/html; charset=utf-8")
    assert record.title == "Café notes"
    # A page in Latin-1 that says UTF-8 has no UTF-8 in it: it is not read as UTF-8.
    french = page("Été à Paris", "Les cafés, déjà. " * 20).encode("latin-1")
    assert decode_body(french, "utf-8").encoding != "utf-8"


def test_utf16_without_its_byte_order_mark_is_read_as_utf16() -> None:
    # A server that says charset=utf-16 and a page saved without the BOM: taken for a
    # binary file, every other byte a NUL.
    html = page(SIMPLIFIED, BODY_ZH)
    utf8 = extract(html.encode(), url="https://example.com/a", content_type="text/html")
    assert BODY_ZH in utf8.text
    for codec in ("utf-16-le", "utf-16-be"):
        body = html.encode(codec)
        decoded = decode_body(body, "utf-16")
        assert (decoded.encoding, decoded.text) == (codec, html)
        record = extract(
            body, url="https://example.com/a", content_type="text/html; charset=utf-16"
        )
        assert (record.title, record.text) == (SIMPLIFIED, utf8.text), codec
    # A binary file's NULs, and a stray one in a page's text, are not UTF-16.
    assert decode_body(bytes(range(256)) * 8).encoding != "utf-16-le"
    stray = page("Notes", "Plain words.\x00 " * 40).encode("ascii")
    assert decode_body(stray).text.startswith("<html>")
