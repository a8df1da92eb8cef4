"""The issue body as the email and WeChat renderers read, change and write it (lxml).

What the hand-written tree used to be checked for and still matters: ``<pre>`` keeps its
whitespace, entities stay escaped, CJK text passes unchanged, void elements have no end
tag; and what is written is read back as the same tree.
"""

from __future__ import annotations

import random

import lxml.html
import pytest
from lxml.html import HtmlElement

from digest.renderer.email import adapt_body, body_html
from digest.renderer.plaintext import columns, html_to_text


def shape(element: HtmlElement) -> list[tuple[object, list[tuple[str, str]], str, str]]:
    """Every node below ``element``: its tag, attributes, text and tail."""
    return [(e.tag, sorted(e.attrib.items()), e.text or "", e.tail or "") for e in element.iter()]


def test_pre_entities_cjk_and_void_elements_are_written_as_read() -> None:
    html = (
        "<p>a &amp; b &lt; c &gt; d&nbsp;e，中文“引号”</p>"
        "<pre><code>  keep\n\n\tspaces  \n</code></pre>"
        "<p>一<br>二<img src='https://x.org/a.png' alt='图'><hr>"
        "<p title='say \"hi\"'>三<!-- note --></p>"
        '<p title="&quot;a&quot; b\'s">四</p>'
    )
    out = body_html(adapt_body(html, {}))
    assert "<p>a &amp; b &lt; c &gt; d\xa0e，中文“引号”</p>" in out
    assert "<pre><code>  keep\n\n\tspaces  \n</code></pre>" in out
    assert "一<br>二<img " in out and "</br>" not in out and "</img>" not in out
    assert "<hr>" in out and "</hr>" not in out
    assert """<p title='say "hi"'>三<!-- note --></p>""" in out
    assert """<p title="&quot;a&quot; b's">四</p>""" in out


def test_mail_edits() -> None:
    html = (
        '<h2 id="x">标题<a class="anchor" href="#x">#</a> 之后</h2>'
        '<figure><img src="https://x.org/big.png" loading="lazy" decoding="async">'
        "<figcaption>图注</figcaption></figure>"
        '<p><img src="https://x.org/small.png" alt="小"></p>'
    )
    body = adapt_body(html, {"https://x.org/big.png": (1200, 600)})
    assert body.find("h2").text_content() == "标题 之后"  # the permalink goes, the text stays
    figure = body.find("div")
    assert figure.get("class") == "figure" and figure.find("p").get("class") == "caption"
    big, small = body.iter("img")
    assert (big.get("width"), big.get("height"), big.get("alt")) == ("560", "280", "")
    assert big.get("loading") is None and big.get("decoding") is None
    assert "max-width:560px" in big.get("style")
    assert (small.get("width"), small.get("height"), small.get("alt")) == ("560", None, "小")


NAMES = ["p", "a", "div", "span", "pre", "code", "em", "ul", "li", "img", "br", "b", "blockquote"]


def _random_html(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 4)):
        kind = rng.random()
        if kind < 0.35 or depth > 4:
            parts.append(rng.choice(["文字", " ", "\n", "a &amp; b", "x < y", "  ", "“引号”", "'"]))
        elif kind < 0.45:
            parts.append(f"<!--{rng.choice(['', ' c ', '中文'])}-->")
        else:
            name = rng.choice(NAMES)
            pairs = [("class", "a  b"), ("href", "/x?a=1&amp;b=2"), ("title", "say 'hi'"),
                     ("id", "n1"), ("rel", " me  you ")]  # fmt: skip
            attrs = "".join(f' {k}="{v}"' for k, v in rng.sample(pairs, rng.randint(0, 3)))
            inner = "" if name in ("img", "br") else _random_html(rng, depth + 1)
            close = "" if name in ("img", "br") or rng.random() < 0.1 else f"</{name}>"
            parts.append(f"<{name}{attrs}>{inner}{close}")
    return "<p>开头</p>" + "".join(parts)


@pytest.mark.parametrize("seed", range(100))
def test_what_is_written_reads_back_as_the_same_tree(seed: int) -> None:
    body = adapt_body(_random_html(random.Random(seed)), {})
    again = lxml.html.document_fromstring(body_html(body)).body
    assert shape(again)[1:] == shape(body)[1:]  # the <body> element itself aside
    assert html_to_text(again) == html_to_text(body)


def test_plain_text() -> None:
    html = (
        "<h2>一周文章</h2>"
        "<p>看 <a href='https://go.dev/blog/pipelines'>流水线</a> 与 <a href='#x'>本页</a>"
        "<!-- 不出现 -->，再看<a href='https://go.dev/blog/pipelines'>一遍</a>。<br>"
        "a &amp; b</p>"
        "<pre><code>func main() {\n\tfmt.Println(1)\n}\n</code></pre>"
        "<ol><li>一</li><li>二</li></ol>"
        "<blockquote><p>引文</p></blockquote>"
        "<p><img src='https://x.org/a.png' alt='示意'></p>"
        "<table><tr><th>名</th><th>值</th></tr><tr><td>a</td><td>1</td></tr></table>"
        "<p>" + "很长的中文句子，" * 12 + "</p>"
    )
    text = html_to_text(adapt_body(html, {}))
    blocks = text.split("\n\n")
    assert blocks[:8] == [
        "一周文章\n========",
        "看 流水线 [1] 与 本页，再看一遍 [1]。\na & b",
        "    func main() {\n    \tfmt.Println(1)\n    }",
        "1. 一\n2. 二",
        "> 引文",
        "[图：示意]",
        "名 | 值",  # a block for each row
        "a | 1",
    ]
    long = blocks[8].split("\n")
    assert "".join(long) == "很长的中文句子，" * 12 and [columns(line) for line in long] == [
        72,
        72,
        48,
    ]
    assert not any(line.startswith("，") for line in long)
    assert blocks[9:] == ["链接\n----\n[1] https://go.dev/blog/pipelines\n"]
