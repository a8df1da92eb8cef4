"""``digest import``: a WordPress export, a feed and single pages into content/, then built.

Real parts only: the WXR and Atom fixtures in tests/fixtures/import (written for these
tests), pages and images served on 127.0.0.1, the sample's minimal project, real builds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digest.build.pipeline import BuildOptions, build
from digest.cli import main
from digest.importer.documents import image_name
from digest.importer.markdown import to_markdown
from digest.importer.wphtml import post_html
from digest.renderer.markdown import render_markdown
from tests.conftest import FIXTURES, snapshot
from tests.httpd import Handler, serve

WXR = FIXTURES / "import" / "wordpress.xml"
FEED = FIXTURES / "import" / "feed.atom"
# A real 1x1 PNG: the build reads its size.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args, "--root", str(root)])


def builds_cleanly(root: Path) -> None:
    """The project builds, drafts included, without a single warning."""
    result = build(root, BuildOptions(target=root / "site", drafts=True))
    assert result.warnings == ()


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_wordpress_export_imports_to_files_that_build(minimal: Path) -> None:
    result = run(minimal, "wordpress", str(WXR))
    assert result.exit_code == 0, result.output

    # A percent-encoded Chinese slug, decoded and made into one of ours by the tag rule.
    post = read(minimal, "content/posts/ye-tan-go-de-diao-du-qi.md")
    assert post.startswith("---\ntitle: 也谈 Go 的调度器\ndate: 2019-01-05 21:30\n")  # UTC+8
    assert "tags: [编程语言, Go, 并发]" in post  # categories and tags, Chinese names
    assert "summary: 从 runtime.schedule() 讲起" in post
    # Wrapped Chinese lines joined without a space; Chinese then code keeps one.
    assert "读过介绍它的文章，却没有真正打开过" in post
    assert "试着从 `runtime.schedule()` 讲起" in post
    assert "```go\nfunc main() {\n\truntime.GOMAXPROCS(2)\n\tfor i := 0; i < 10; i++ {" in post
    assert (
        "![G、P、M 的关系](https://blog.example.com/wp-content/uploads/2019/01/gpm.png"
        ' "图：G、P、M 三者的关系")' in post
    )
    assert "<!--" not in post and "wp:" not in post
    # The classic editor's text: paragraphs from blank lines, a [code] shortcode fenced.
    classic = read(minimal, "content/posts/notes-on-go-modules-proxies.md")
    assert "wrong.\n\nThe protocol" in classic
    assert "```bash\nGOPROXY=https://proxy.golang.org,direct go mod download" in classic
    assert "[code" not in classic
    # The draft stays a draft; the page and the attachment are not posts; no comments.
    assert "draft: true" in read(minimal, "content/posts/xie-gei-ming-nian-de-zi-ji.md")
    assert not (minimal / "content/posts/about.md").exists()
    everything = "".join(p.read_text("utf-8") for p in (minimal / "content").rglob("*.md"))
    assert "期待下一篇讲抢占" not in everything and "dive 真好用" not in everything
    # The numbered weekly post is issue 12, its sections and items in our format.
    issue = read(minimal, "content/issues/0012.md")
    assert issue.startswith("---\nnumber: 12\ntitle: 白话周刊\ndate: 2023-03-17 08:30\n")
    assert "## 一周文章精粹\n\n### [容器镜像为什么这么大](https://example.org/posts/why" in issue
    assert "## 一周工具推荐\n\n### [dive](https://github.com/wagoodman/dive)" in issue
    assert "文章链接" not in issue  # the page writes the link line itself

    assert "4 written, 0 updated, 0 unchanged, 0 kept; 2 skipped" in result.output
    assert "关于: a page (--pages imports pages as posts)" in result.output
    assert "3 comments dropped" in result.output
    builds_cleanly(minimal)


def test_import_again_changes_nothing_and_never_overwrites_an_edit(minimal: Path) -> None:
    assert run(minimal, "wordpress", str(WXR)).exit_code == 0
    first = snapshot(minimal / "content") | snapshot(minimal / ".cache")

    second = run(minimal, "wordpress", str(WXR))
    assert second.exit_code == 0
    assert snapshot(minimal / "content") | snapshot(minimal / ".cache") == first
    assert "0 written, 0 updated, 4 unchanged, 0 kept" in second.output

    edited = minimal / "content/posts/ye-tan-go-de-diao-du-qi.md"
    text = edited.read_text("utf-8") + "\n编者后记：这篇文章后来又补充了抢占的部分。\n"
    edited.write_text(text, encoding="utf-8")
    third = run(minimal, "wordpress", str(WXR))
    assert third.exit_code == 0
    assert edited.read_text("utf-8") == text
    assert "content/posts/ye-tan-go-de-diao-du-qi.md: changed since it was imported" in (
        third.output
    )
    assert "0 written, 0 updated, 3 unchanged, 1 kept" in third.output


def test_a_changed_source_updates_only_the_files_left_as_imported(
    minimal: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.xml"
    shutil.copy(WXR, export)
    assert run(minimal, "wordpress", str(export)).exit_code == 0
    text = WXR.read_text("utf-8")
    export.write_text(text.replace("期待", "期待").replace("无锁；", "无锁，很快；"), "utf-8")
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0
    assert "无锁，很快；" in read(minimal, "content/posts/ye-tan-go-de-diao-du-qi.md")
    assert "1 updated, 3 unchanged" in result.output

    # A file the import did not write (no record) is kept, whatever it holds.
    (minimal / ".cache/import.json").unlink()
    mine = minimal / "content/posts/notes-on-go-modules-proxies.md"
    mine.write_text(mine.read_text("utf-8").replace("handful", "few"), "utf-8")
    kept = run(minimal, "wordpress", str(export))
    assert "few of plain" not in kept.output and "not written by digest import" in kept.output
    assert "handful" not in mine.read_text("utf-8")


def test_issues_pattern_and_pages(minimal: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        WXR.read_text("utf-8").replace("白话周刊[第12期]", "Baihua Weekly #7"), "utf-8"
    )
    result = run(minimal, "wordpress", str(export), "--pages", "--issues-pattern", r"#(\d+)")
    assert result.exit_code == 0, result.output
    assert read(minimal, "content/issues/0007.md").startswith("---\nnumber: 7\n")
    assert "一个写了十几年代码的人" in read(minimal, "content/posts/about.md")
    builds_cleanly(minimal)

    bad = run(minimal, "wordpress", str(export), "--issues-pattern", r"#\d+")
    assert bad.exit_code == 2 and "needs a group for the issue number" in bad.output


def test_a_file_that_is_not_an_export_is_refused_with_its_line(minimal: Path) -> None:
    before = snapshot(minimal)
    broken = minimal / "broken.xml"
    broken.write_text("<rss>\n<channel>\n<item></channel>\n", "utf-8")
    result = run(minimal, "wordpress", str(broken))
    assert result.exit_code == 1
    assert result.output.startswith(f"{broken}:3: not a WordPress export")
    feed = run(minimal, "wordpress", str(FEED))
    assert feed.exit_code == 1 and "no wp:wxr_version" in feed.output
    # An export cut short (a download stopped, a disk full) is one, and says so.
    cut = minimal / "cut.xml"
    cut.write_bytes(WXR.read_bytes()[:3000])
    truncated = run(minimal, "wordpress", str(cut))
    assert truncated.exit_code == 1
    assert f"{cut}:" in truncated.output
    assert "a WordPress export that is not well-formed XML here (it may have been cut short:" in (
        truncated.output
    )
    assert snapshot(minimal) == before | {
        "broken.xml": broken.read_bytes(),
        "cut.xml": cut.read_bytes(),
    }


def test_download_images_next_to_the_post(minimal: Path, tmp_path: Path) -> None:
    def image(handler: Handler) -> None:
        handler.reply(200, PNG, "image/png")

    with serve({"/wp-content/uploads/2019/01/gpm.png": image}) as server:
        export = tmp_path / "export.xml"
        text = WXR.read_text("utf-8").replace("https://blog.example.com/", server.base + "/")
        export.write_text(text, "utf-8")
        assert run(minimal, "wordpress", str(export), "--download-images").exit_code == 0
        again = run(minimal, "wordpress", str(export), "--download-images")
        assert len(server.requests) == 1  # the second run had the file already
    local = minimal / "content/posts/ye-tan-go-de-diao-du-qi-gpm.png"
    assert local.read_bytes() == PNG
    post = read(minimal, "content/posts/ye-tan-go-de-diao-du-qi.md")
    assert '![G、P、M 的关系](ye-tan-go-de-diao-du-qi-gpm.png "图：G、P、M 三者的关系")' in post
    assert "0 written, 0 updated, 4 unchanged" in again.output
    builds_cleanly(minimal)
    assert (minimal / "site/posts/ye-tan-go-de-diao-du-qi/ye-tan-go-de-diao-du-qi-gpm.png").exists()


def test_an_image_whose_address_starts_another_is_linked_to_its_own_file(
    minimal: Path, tmp_path: Path
) -> None:
    # WordPress.com serves a smaller copy of an upload at its URL plus "?w=300": a post
    # showing both had the second linked to the first's file plus "?w=300", no file at all.
    def image(handler: Handler) -> None:
        handler.reply(200, PNG, "image/png")

    with serve({"/uploads/a.png": image}) as server:
        big, small = f"{server.base}/uploads/a.png", f"{server.base}/uploads/a.png?w=300"
        body = f'<p>大图</p><p><img src="{big}" alt="大"></p><p><img src="{small}" alt="小"></p>'
        export = _export(tmp_path, ("Sizes", "sizes", "2026-11-02 09:00:00", "", body))
        result = run(minimal, "wordpress", str(export), "--download-images")
    assert result.exit_code == 0, result.output
    post = read(minimal, "content/posts/sizes.md")
    assert "![大](sizes-a.png)" in post and "![小](sizes-a-2.png)" in post
    builds_cleanly(minimal)


def test_a_page_where_an_image_should_be_is_not_saved_as_the_image(
    minimal: Path, tmp_path: Path
) -> None:
    # A host that answers an image's URL with a page (a soft 404, a hotlink guard's
    # notice) or with nothing: that page was saved as gpm.png and the post linked to it,
    # the URL that may still work elsewhere gone from the post, and nothing said.
    for answer in (b"<html><title>Not found</title></html>", b""):

        def page(handler: Handler, answer: bytes = answer) -> None:
            handler.reply(200, answer, "text/html; charset=utf-8")

        with serve({"/wp-content/uploads/2019/01/gpm.png": page}) as server:
            export = tmp_path / "export.xml"
            text = WXR.read_text("utf-8").replace("https://blog.example.com/", server.base + "/")
            export.write_text(text, "utf-8")
            result = run(minimal, "wordpress", str(export), "--download-images")
        assert result.exit_code == 0, result.output
        url = f"{server.base}/wp-content/uploads/2019/01/gpm.png"
        assert f"image not downloaded, still linked: {url} (not an image: text/html" in (
            result.output
        )
        assert not (minimal / "content/posts/ye-tan-go-de-diao-du-qi-gpm.png").exists()
        post = read(minimal, "content/posts/ye-tan-go-de-diao-du-qi.md")
        assert f"![G、P、M 的关系]({url}" in post
    builds_cleanly(minimal)


def test_a_feed_file_imports_as_posts_that_build(minimal: Path) -> None:
    result = run(minimal, "feed", str(FEED))
    assert result.exit_code == 0, result.output
    post = read(minimal, "content/posts/pragmatic-programmer.md")
    assert post.startswith("---\ntitle: 读《程序员修炼之道》第二版\ndate: 2024-05-10 17:00\n")
    assert "tags: [读书, 工程实践]" in post
    assert "最打动我的仍是“破窗”和“曳光弹”两章。" in post
    assert '```sh\nfor t in user order; do\n  sed "s/TYPE/$t/g" template.go > ${t}.go' in post
    assert "![封面](https://notes.example.org/images/pragprog.jpg)" in post
    tools = read(minimal, "content/posts/small-tools.md")
    assert "title: Why I write <small> tools" in tools
    assert "A `<select>` of three options" in tools and "alert(1)" not in tools
    builds_cleanly(minimal)
    page = (minimal / "site/posts/small-tools/index.html").read_text("utf-8")
    assert "<code>&lt;select&gt;</code>" in page


ARTICLE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>用 pprof 找到泄漏的 goroutine - 后端杂记</title>
<meta property="og:title" content="用 pprof 找到泄漏的 goroutine">
<meta property="article:published_time" content="2024-02-20T10:00:00+08:00">
</head><body>
<nav><a href="/">首页</a> <a href="/about">关于</a></nav>
<article class="post">
<h1>用 pprof 找到泄漏的 goroutine</h1>
<p>上线第三天，服务的 goroutine 数从两百涨到了四万。第一反应是看
pprof 的 goroutine 概览，果然大部分都停在同一个 channel 上。</p>
<pre><code class="language-go">go func() {{
    for v := range ch {{ handle(v) }}
}}()</code></pre>
<p>原因是调用方忘了 cancel，生产者永远等不到接收者。修复只有一行，教训却值得记下来，
也提醒自己每个 goroutine 都要有明确的退出路径。</p>
<p><img data-src="/img/leak.png" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
 alt="泄漏曲线"></p>
</article>
<footer>关注公众号，获取更多文章</footer>
</body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_pages_import_as_posts_that_build(minimal: Path, charset: str) -> None:
    body = ARTICLE.format(charset=charset).encode(charset)

    def page(handler: Handler) -> None:
        handler.reply(200, body, f"text/html; charset={charset}")

    with serve({"/2024/pprof-leak.html": page}) as server:
        url = server.url("/2024/pprof-leak.html")
        result = run(minimal, "url", url, server.url("/gone"))
    assert result.exit_code == 1  # one page could not be had: said, with its URL
    assert f"{server.url('/gone')}" in result.output
    post = read(minimal, "content/posts/pprof-leak.md")
    assert post.startswith("---\ntitle: 用 pprof 找到泄漏的 goroutine\ndate: 2024-02-20 10:00\n")
    assert "第一反应是看 pprof 的 goroutine 概览" in post
    assert "教训却值得记下来，也提醒自己" in post
    assert "```go\ngo func() {\n    for v := range ch { handle(v) }\n}()\n```" in post
    assert f"![泄漏曲线]({server.base}/img/leak.png)" in post
    assert "首页" not in post and "关注公众号" not in post
    builds_cleanly(minimal)


def test_code_blocks_keep_their_language_and_their_backticks() -> None:
    cases = {
        '<pre class="brush: python; gutter: false">print(1)</pre>': "```python\nprint(1)\n```",
        '<pre lang="rust">fn main() {}</pre>': "```rust\nfn main() {}\n```",
        '<pre><code class="hljs language-ts">let a = 1</code></pre>': "```ts\nlet a = 1\n```",
        "<pre>```md\nx\n```</pre>": "````\n```md\nx\n```\n````",
    }
    for html, fenced in cases.items():
        assert to_markdown(html).text == fenced + "\n"
    # Text is text: a tag written as text in HTML stays text in Markdown.
    assert to_markdown("<p>用 &lt;b&gt; 加粗，2*3*4</p>").text == "用 &lt;b> 加粗，2\\*3\\*4\n"


def test_an_issue_whose_sections_are_not_ours_becomes_its_intro(
    minimal: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        WXR.read_text("utf-8").replace("二、一周工具推荐", "二、一周资料分享"), "utf-8"
    )
    result = run(minimal, "wordpress", str(export), "-q")
    assert result.exit_code == 0
    issue = read(minimal, "content/issues/0012.md")
    assert "\n## " not in issue and "\n### " not in issue
    assert "#### 二、一周资料分享" in issue and "工具链接：“[dive](https://github.com/" in issue
    assert result.output == (
        "needs a look:\n  content/issues/0012.md: its sections were not recognised: "
        "the whole text is the issue's intro\n"
    )
    builds_cleanly(minimal)


def test_a_post_pasted_from_a_word_processor_nested_a_thousand_levels_imports(
    minimal: Path, tmp_path: Path
) -> None:
    # Word-processor HTML that never closes its <span> nests one level a line: a thousand
    # levels carried the HTML-to-Markdown walk past Python's stack and ended the import.
    # What lies past 64 levels is read as plain text, with a note; the text is all there.
    lines = "".join(f'<span style="font-size:12pt">第 {i} 行的文字' for i in range(1000))
    post = f"""<item><title><![CDATA[粘贴来的长文]]></title>
<link>https://blog.example.com/2024/01/02/pasted/</link>
<pubDate>Tue, 02 Jan 2024 08:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>开头一段。</p><p>{lines}</p><p>最后一段。</p>]]></content:encoded>
<wp:post_id>9</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-02 08:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[pasted]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type></item>"""
    export = tmp_path / "pasted.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>白话技术</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        f"<link>https://blog.example.com</link>{post}</channel></rss>",
        encoding="utf-8",
    )
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    assert "markup nested over 64 levels deep read as plain text" in result.output
    text = read(minimal, "content/posts/pasted.md")
    assert "开头一段。" in text and "最后一段。" in text
    assert all(f"第 {i} 行的文字" in text for i in (0, 63, 64, 999))
    builds_cleanly(minimal)


def _export(tmp_path: Path, *items: tuple[str, str, str, str, str]) -> Path:
    """A WordPress export of posts given as (title, slug, date in UTC, categories, body)."""
    posts = "".join(
        f"""<item><title><![CDATA[{title}]]></title>
<link>https://blog.example.com/?p={n}</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>{categories}</item>"""
        for n, (title, slug, date, categories, body) in enumerate(items, 1)
    )
    export = tmp_path / "hostile.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>白话技术</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        f"<link>https://blog.example.com</link>{posts}</channel></rss>",
        encoding="utf-8",
    )
    return export


def test_entries_no_file_can_hold_are_skipped_or_made_to_fit(minimal: Path, tmp_path: Path) -> None:
    # Each of these ended the whole import with a traceback (or, for the empty category,
    # wrote a post that did not build): a date past 9999 in the site's zone (OverflowError),
    # a number of 5,000 digits (ValueError), a source slug too long for a file name
    # (OSError), a link with an unclosed IPv6 bracket (ValueError from urljoin).
    export = _export(
        tmp_path,
        ("世纪末", "y9999", "9999-12-31 23:59:59", "", "<p>x</p>"),
        ("公元元年", "y1", "0001-01-01 00:00:00", "", "<p>x</p>"),
        (f"白话周刊[第{'9' * 5000}期]", "huge", "2024-01-05 08:00:00", "", "<p>x</p>"),
        ("白话周刊[第0期]", "zero", "2024-01-05 08:00:00", "", "<p>x</p>"),
        ("长", "x" * 300, "2024-01-05 08:00:00", "", "<p>x</p>"),
        (
            "分类",
            "tags",
            "2024-01-05 08:00:00",
            '<category domain="post_tag" nicename="e"><![CDATA[ ]]></category>'
            '<category domain="post_tag" nicename="go"><![CDATA[Go]]></category>',
            '<p><a href="http://[::1">本机</a> <img src="http://[::1/a.png"></p>',
        ),
    )
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    assert "世纪末: dated in the year 9999 (a post's date lies in 1000-9998)" in result.output
    assert "公元元年: dated in the year 1 (a post's date lies in 1000-9998)" in result.output
    assert read(minimal, "content/posts/huge.md").startswith("---\ntitle: ")  # a post
    assert read(minimal, "content/posts/zero.md").startswith("---\ntitle: ")
    (long,) = (minimal / "content/posts").glob("xxx*.md")
    assert len(long.stem) == 200
    assert "tags: [Go]\n" in read(minimal, "content/posts/tags.md")
    assert "http://[::1" in read(minimal, "content/posts/tags.md")
    builds_cleanly(minimal)


def test_feed_entries_dated_past_what_a_date_holds_are_skipped(
    minimal: Path, tmp_path: Path
) -> None:
    # feedparser reads 0001-01-01 at +14:00 as a time of year 0, and Python's datetime
    # refused it with a ValueError that ended the whole import.
    entries = "".join(
        f'<entry><title>{title}</title><link href="https://notes.example.org/{slug}"/>'
        f"<id>https://notes.example.org/{slug}</id><updated>{date}</updated>"
        '<content type="html">&lt;p&gt;正文。&lt;/p&gt;</content></entry>'
        for title, slug, date in (
            ("元年", "year-one", "0001-01-01T00:00:00+14:00"),
            ("末日", "year-end", "9999-12-31T23:59:59-12:00"),
            ("平常", "ordinary", "2024-05-10T09:00:00Z"),
        )
    )
    feed = tmp_path / "feed.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>笔记</title><id>https://notes.example.org/</id>"
        f"<updated>2024-05-10T09:00:00Z</updated>{entries}</feed>",
        encoding="utf-8",
    )
    result = run(minimal, "feed", str(feed))
    assert result.exit_code == 0, result.output
    assert "元年: no date in the source" in result.output
    assert "末日: no date in the source" in result.output
    assert read(minimal, "content/posts/ping-chang.md").startswith("---\ntitle: 平常\n")
    builds_cleanly(minimal)


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_an_export_with_control_characters_or_in_gbk_imports(
    minimal: Path, tmp_path: Path, codec: str
) -> None:
    # Control characters that XML forbids (WordPress keeps whatever was pasted) and GBK
    # bytes under a UTF-8 declaration, or none, each refused the whole export: "not a
    # WordPress export (CData section not finished)", "cannot read (Invalid bytes…)".
    export = _export(
        tmp_path,
        ("铃声\x07与转义\x1b[31m", "bell", "2024-01-05 08:00:00", "", "<p>正文\x0b一段\x0c。</p>"),
    )
    text = export.read_text("utf-8")
    for declaration in ('<?xml version="1.0" encoding="UTF-8"?>', ""):
        export.write_bytes(
            text.replace('<?xml version="1.0" encoding="UTF-8"?>', declaration).encode(codec)
        )
        result = run(minimal, "wordpress", str(export))
        assert result.exit_code == 0, result.output
        post = read(minimal, "content/posts/bell.md")
        assert post.startswith("---\ntitle: 铃声与转义[31m\n"), post
        assert "正文一段。" in post
        builds_cleanly(minimal)


def test_dates_written_otherwise_are_read_and_one_that_cannot_be_is_named(
    minimal: Path, tmp_path: Path
) -> None:
    # Exports made by other tools than WordPress write their dates otherwise; every one
    # of these was skipped as "no date in the source".
    export = _export(
        tmp_path,
        ("T 分隔", "iso-t", "2024-01-05T08:00:00", "", "<p>x</p>"),
        ("只有日期", "day-only", "2024-01-06", "", "<p>x</p>"),
        ("带时区", "offset", "2024-01-07T08:00:00+08:00", "", "<p>x</p>"),
        ("只有 pubDate", "pub-date", "", "<pubDate>Mon, 08 Jan 2024 08:00:00 +0000</pubDate>", ""),
        ("乱写", "garbled", "next tuesday", "", "<p>x</p>"),
        ("草稿", "draft", "", "<pubDate>Mon, 30 Nov -0001 00:00:00 +0000</pubDate>", ""),
    )
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    assert "date: 2024-01-05 16:00" in read(minimal, "content/posts/iso-t.md")  # UTC -> +08:00
    assert "date: 2024-01-06 08:00" in read(minimal, "content/posts/day-only.md")
    assert "date: 2024-01-07 08:00" in read(minimal, "content/posts/offset.md")
    assert "date: 2024-01-08 16:00" in read(minimal, "content/posts/pub-date.md")
    assert "乱写: its date 'next tuesday' cannot be read" in result.output
    assert not (minimal / "content/posts/garbled.md").exists()
    assert "草稿: no date in the source" in result.output  # WordPress's date of a draft
    builds_cleanly(minimal)


def test_two_entries_of_one_issue_number_do_not_overwrite_each_other(
    minimal: Path, tmp_path: Path
) -> None:
    # A weekly issue posted twice (a repost, a correction): the second was written over
    # the first in the same run ("written", then "updated"), and every later run wrote
    # both again in turn.
    export = _export(
        tmp_path,
        ("白话周刊[第5期]", "w5", "2024-01-05 08:00:00", "", "<p>第一篇的正文。</p>"),
        ("白话周刊[第5期]（重发）", "w5-again", "2024-01-06 08:00:00", "", "<p>重发的正文。</p>"),
    )
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    assert "第一篇的正文。" in read(minimal, "content/issues/0005.md")
    assert f"白话周刊[第5期]（重发）: issue 5 is already {export}:1: 白话周刊[第5期]" in (
        " ".join(result.output.split())
    )
    again = run(minimal, "wordpress", str(export))
    assert "0 written, 0 updated, 1 unchanged" in again.output
    builds_cleanly(minimal)


def test_a_url_that_is_not_a_web_page_is_an_error_saying_what_it_is(minimal: Path) -> None:
    # A PDF, an image or a feed given to `import url` was read as a page with no date:
    # "skipped … no date in the source", exit 0, as if adding a date would help.
    feed = FEED.read_bytes()
    routes = {
        "/paper.pdf": lambda h: h.reply(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        "/chart.png": lambda h: h.reply(200, PNG, "image/png"),
        "/feed": lambda h: h.reply(200, feed, "application/atom+xml"),
    }
    posts = sorted((minimal / "content" / "posts").iterdir())
    with serve(routes) as server:
        urls = [server.url(path) for path in routes]
        result = run(minimal, "url", *urls)
    assert result.exit_code == 1, result.output
    assert f"{urls[0]}: a PDF, not a web page" in result.output
    assert f"{urls[1]}: an image, not a web page" in result.output
    assert f"{urls[2]}: a feed, not a web page (digest import feed {urls[2]} imports" in (
        result.output
    )
    assert "no date in the source" not in result.output
    assert sorted((minimal / "content" / "posts").iterdir()) == posts


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://mmbiz.qpic.cn/mmbiz_png/AbC/640?wx_fmt=png", "wk-640.png"),
        ("https://mmbiz.qpic.cn/mmbiz_jpg/AbC/640?wx_fmt=jpeg", "wk-640.jpg"),
        ("https://mmbiz.qpic.cn/mmbiz_gif/AbC/0?wx_fmt=GIF", "wk-0.gif"),
        ("https://mmbiz.qpic.cn/mmbiz_png/AbC/640?wx_fmt=png&tp=webp&wxfrom=5", "wk-640.webp"),
        ("https://mmbiz.qpic.cn/mmbiz/AbC/640", "wk-640"),  # nothing says: left so
        ("https://example.com/a/Flame%20Graph.PNG?w=300", "wk-flame-graph.png"),
    ],
)
def test_an_image_is_named_for_its_file_and_its_format(url: str, name: str) -> None:
    assert image_name("wk", url) == name


WORDPRESS_COM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="WordPress.com" -->
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="https://wordpress.org/export/1.2/"><channel><title>周末读书</title>
<link>https://weekendreads.wordpress.com</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title><![CDATA[读书笔记：<em>人月神话</em> &amp; 其他]]></title>
<link>https://weekendreads.wordpress.com/2024/05/04/mythical/</link>
<content:encoded><![CDATA[<p>这本书讲的是软件项目为什么总是延期。</p>]]></content:encoded>
<excerpt:encoded><![CDATA[加人不能让晚了的项目变快。]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt>2024-05-04 02:00:00</wp:post_date_gmt>
<wp:post_name>mythical</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password></item>
<item><title>只给朋友看的周记</title>
<link>https://weekendreads.wordpress.com/2024/05/11/friends/</link>
<content:encoded><![CDATA[<p>这周的事只想告诉几个朋友。</p>]]></content:encoded>
<wp:post_id>8</wp:post_id><wp:post_date_gmt>2024-05-11 02:00:00</wp:post_date_gmt>
<wp:post_name>friends</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><wp:post_password>secret</wp:post_password></item>
</channel></rss>"""


def test_a_wordpress_com_export_titles_as_text_and_a_locked_post_as_a_draft(
    minimal: Path, tmp_path: Path
) -> None:
    # WordPress.com writes its export's namespaces with https (the theme unit test data
    # does): that was "not a WordPress export". Its titles are HTML; ours are text. A post
    # behind a password was for some readers only: it must not go out with the next build.
    export = tmp_path / "weekendreads.xml"
    export.write_text(WORDPRESS_COM, encoding="utf-8")
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    book = read(minimal, "content/posts/mythical.md")
    assert book.startswith("---\ntitle: 读书笔记：人月神话 & 其他\n"), book
    assert "summary: 加人不能让晚了的项目变快。" in book and "draft" not in book
    locked = read(minimal, "content/posts/friends.md")
    assert "draft: true" in locked and "secret" not in locked
    assert "friends.md: password-protected in WordPress: imported as a draft" in result.output
    builds_cleanly(minimal)  # drafts included
    published = build(minimal, BuildOptions(target=tmp_path / "published"))
    assert published.warnings == ()
    assert (tmp_path / "published" / "posts" / "mythical").is_dir()
    assert not list((tmp_path / "published").rglob("friends*"))


def test_an_images_tooltip_that_repeats_its_alt_is_no_caption() -> None:
    # WordPress writes the alt text again as the title (a tooltip); an image's title is
    # its caption here, and the page showed the same words twice under each image.
    same = '<p><img src="https://example.com/a.png" alt="架构图" title="架构图"></p>'
    assert to_markdown(same).text == "![架构图](https://example.com/a.png)\n"
    other = '<p><img src="https://example.com/a.png" alt="架构图" title="三层的架构"></p>'
    assert to_markdown(other).text == '![架构图](https://example.com/a.png "三层的架构")\n'


def test_what_wordpress_embeds_becomes_a_link_to_it() -> None:
    # A URL alone in a paragraph, an embed block, an [embed] shortcode: WordPress shows a
    # player or a post there. They came out as bare URLs that no reader could click.
    classic = (
        "看这个演讲：\n\nhttps://youtu.be/abc?t=1&amp;x=2\n\n[embed]https://vimeo.com/42[/embed]"
    )
    blocks = (
        '<!-- wp:embed --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        "\nhttps://twitter.com/someone/status/1\n</div><figcaption>一条推文</figcaption></figure>"
    )
    text = to_markdown(post_html(classic)[0] + post_html(blocks)[0]).text
    assert "\n<https://youtu.be/abc?t=1&x=2>\n" in text  # an autolink
    assert "\n<https://vimeo.com/42>\n" in text
    assert "\n<https://twitter.com/someone/status/1>\n\n一条推文\n" in text
    # a URL inside a sentence stays as it was written
    assert to_markdown(post_html("读 https://example.com/a 这篇。")[0]).text == (
        "读 https://example.com/a 这篇。\n"
    )


def test_a_gallery_keeps_every_image_with_its_own_caption() -> None:
    # WordPress's gallery block: a figure of figures (in a list, or nested directly). Only
    # its first image and caption came through; the rest of the gallery was lost.
    listed = (
        '<figure class="wp-block-gallery columns-3"><ul class="blocks-gallery-grid">'
        '<li class="blocks-gallery-item"><figure><a href="https://blog.example.com/a/">'
        '<img src="https://blog.example.com/1.jpg" alt="河边"/></a>'
        "<figcaption>清晨的河边</figcaption></figure></li>"
        '<li class="blocks-gallery-item"><figure><img src="https://blog.example.com/2.jpg" '
        'alt="桥" title="桥"/></figure></li></ul>'
        '<figcaption class="blocks-gallery-caption">周末去的两个地方</figcaption></figure>'
    )
    assert to_markdown(listed).text == (
        '![河边](https://blog.example.com/1.jpg "清晨的河边")\n\n'
        "![桥](https://blog.example.com/2.jpg)\n\n"
        "周末去的两个地方\n"
    )
    nested = (
        '<figure class="wp-block-gallery has-nested-images">'
        '<figure class="wp-block-image"><img src="https://blog.example.com/3.jpg" alt="a"/>'
        "<figcaption>第三张</figcaption></figure>"
        '<figure class="wp-block-image"><img src="https://blog.example.com/4.jpg" alt="b"/>'
        "</figure></figure>"
    )
    assert to_markdown(nested).text == (
        '![a](https://blog.example.com/3.jpg "第三张")\n\n![b](https://blog.example.com/4.jpg)\n'
    )


def _attachment(post_id: int, parent: int, order: int, name: str, alt: str, caption: str) -> str:
    return f"""<item><title>{name}</title><excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>{order}</wp:menu_order><wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status>
<wp:attachment_url>https://blog.example.com/uploads/{name}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta></item>"""


def _with_uploads(export: Path, uploads: str) -> None:
    """``export`` (made by :func:`_export`) with the attachments ``uploads`` in it."""
    text = export.read_text(encoding="utf-8").replace("</channel>", uploads + "</channel>")
    excerpt = ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
    export.write_text(text.replace('<rss version="2.0"', '<rss version="2.0"' + excerpt), "utf-8")


def test_a_classic_gallery_shows_the_images_it_names_or_the_posts_own(
    minimal: Path, tmp_path: Path
) -> None:
    # [gallery] names no image: WordPress shows the post's uploads in their menu order,
    # or those ids= names, less exclude=. It came out as the text "[gallery]".
    body = (
        '<p>第一组：</p>\n\n[gallery columns="3"]\n\n<p>第二组：</p>\n\n'
        '[gallery ids="33,31"]\n\n[gallery exclude=\'32\']\n\n[gallery ids="99"]'
    )
    export = _export(tmp_path, ("相册", "album", "2024-06-01 08:00:00", "", body))
    uploads = (
        _attachment(31, 1, 2, "lake.jpg", "湖", "傍晚的湖")
        + _attachment(32, 1, 1, "hill.png", "山", "")
        + _attachment(33, 7, 0, "city.webp", "城", "别的文章里的图")
        + _attachment(34, 1, 3, "notes.pdf", "", "")  # not an image: never in a gallery
    )
    _with_uploads(export, uploads)
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    post = read(minimal, "content/posts/album.md")
    hill = "![山](https://blog.example.com/uploads/hill.png)"
    lake = '![湖](https://blog.example.com/uploads/lake.jpg "傍晚的湖")'
    city = '![城](https://blog.example.com/uploads/city.webp "别的文章里的图")'
    assert f"第一组：\n\n{hill}\n\n{lake}\n\n第二组：\n\n{city}\n\n{lake}\n\n{lake}\n\n" in post
    assert "notes.pdf" not in post
    assert '[gallery ids="99"]' in post  # none of its images in the export: left, and named
    assert "album.md: the shortcode [gallery] was left as text" in result.output


def test_an_attachment_whose_numbers_are_not_numbers_is_still_shown(
    minimal: Path, tmp_path: Path
) -> None:
    # A post id or a menu order that str.isdigit() takes for digits but int() refuses
    # ("²", "--5") ended the whole import with a ValueError, an internal error.
    export = _export(tmp_path, ("相册", "album", "2024-06-01 08:00:00", "", "[gallery]\n\n[audio]"))
    uploads = (
        _attachment(41, 1, 5, "odd-id.png", "怪编号", "").replace(">41<", ">²<")
        + _attachment(42, 1, 5, "odd-order.png", "怪顺序", "").replace(">5<", ">--5<")
        + _attachment(43, 1, 1, "first.png", "第一", "")
        + _attachment(44, 1, 0, "voice.mp3", "", "").replace(">44<", ">²²<")
    )
    _with_uploads(export, uploads)
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    post = read(minimal, "content/posts/album.md")
    assert [m for m in re.findall(r"!\[(\w+)\]", post)] == ["怪顺序", "第一", "怪编号"]
    assert "<https://blog.example.com/uploads/voice.mp3>" in post  # a bare player's upload too


def test_an_audio_or_video_player_becomes_a_link_to_what_it_plays() -> None:
    # <audio>/<video> (the block editor's) had no Markdown and vanished without a note;
    # [audio]/[video] with a file's URL stayed as shortcode text.
    cases = {
        '<figure class="wp-block-audio"><audio controls src="https://blog.example.com/a.mp3">'
        "</audio><figcaption>一首老歌</figcaption></figure>": "<https://blog.example.com/a.mp3>"
        "\n\n一首老歌\n",
        '<video controls><source src="https://blog.example.com/v.webm"></video>': (
            "<https://blog.example.com/v.webm>\n"
        ),
        "[audio https://blog.example.com/b.mp3]": "<https://blog.example.com/b.mp3>\n",
        '[video mp4="https://blog.example.com/c.mp4"][/video]': "<https://blog.example.com/c.mp4>\n",
    }
    for body, markdown in cases.items():
        assert to_markdown(post_html(body)[0]).text == markdown, body
    # [audio] alone plays the post's upload, which we do not look up: named in the report
    assert post_html("[audio]")[1] == ("the shortcode [audio] was left as text",)


def test_nested_lists_and_code_in_a_list_render_as_they_were() -> None:
    # markdownify nests a list by its bullet's width (two spaces) and fences code inside
    # an item, as CommonMark reads them and our renderer now does: Python-Markdown read the
    # nested list as the text "item 1. one 2. two", and no fence in a list.
    html = (
        "<ul><li>先装好工具<ol><li>下载<ul><li>选版本</li></ul></li><li>解压</li></ol></li>"
        "<li>再配置<pre><code>export GOPATH=~/go\n  go env</code></pre></li><li>最后</li></ul>"
    )
    rendered = render_markdown(to_markdown(html).text)
    items = re.findall(r"<li>\s*(?:<p>)?([^<\s]+)", rendered)
    assert items == ["先装好工具", "下载", "选版本", "解压", "再配置", "最后"]
    assert rendered.count("<ul>") == 2 and rendered.count("<ol>") == 1
    assert "export GOPATH=~/go\n  go env" in rendered  # the code, as it was
    assert re.search(r"</code></pre></div>\s*</li>\s*<li>\s*<p>最后</p>", rendered)


def test_the_text_before_more_is_the_summary_when_there_is_no_excerpt(
    minimal: Path, tmp_path: Path
) -> None:
    # <!--more--> is where the writer cut the post for the blog's front page: that teaser
    # is the post's summary unless it has an excerpt of its own.
    body = (
        "<p>缓存失效只有两种难处。</p><p>一是<b>何时</b>失效。</p>\n<!--more Read on-->\n"
        "<p>下面一条一条说。</p>"
    )
    export = _export(tmp_path, ("缓存", "cache-notes", "2024-06-02 08:00:00", "", body))
    assert run(minimal, "wordpress", str(export)).exit_code == 0
    post = read(minimal, "content/posts/cache-notes.md")
    assert "summary: 缓存失效只有两种难处。一是何时失效。\n" in post
    assert "下面一条一条说。" in post and "Read on" not in post
    english = body.replace("缓存失效只有两种难处。", "Two things are hard.").replace(
        "一是<b>何时</b>失效。", "One is <b>when</b>."
    )
    export = _export(tmp_path, ("Cache", "cache-notes-en", "2024-06-03 08:00:00", "", english))
    assert run(minimal, "wordpress", str(export)).exit_code == 0
    assert "summary: Two things are hard. One is when.\n" in read(
        minimal, "content/posts/cache-notes-en.md"
    )


def test_a_title_or_teaser_that_is_a_whole_documents_tag_is_read_as_html(
    minimal: Path, tmp_path: Path
) -> None:
    # A tech blog's post titled "<!DOCTYPE html>" or "<html>", or whose teaser is only
    # that: lxml's fragment parser refuses a fragment that is a whole document's tag
    # (AssertionError, ParserError), an internal error that ended the whole import.
    items = [
        ("<!DOCTYPE html>", "doctype", "2024-06-02 08:00:00", "", "<p>文档类型。</p>"),
        ("<html>", "html-tag", "2024-06-03 08:00:00", "", "<html><!--more--><p>其余。</p>"),
        ("Teaser", "teaser", "2024-06-04 08:00:00", "", "<!DOCTYPE html><!--more--><p>余下</p>"),
    ]
    result = run(minimal, "wordpress", str(_export(tmp_path, *items)))
    assert result.exit_code == 0, result.output
    assert "3 written" in result.output
    assert "文档类型。" in read(minimal, "content/posts/doctype.md")
    assert "summary" not in read(minimal, "content/posts/teaser.md")
    builds_cleanly(minimal)


def test_a_bare_player_plays_the_posts_own_upload(minimal: Path, tmp_path: Path) -> None:
    # [audio] with no file named plays the post's first audio upload (menu order), as
    # WordPress does; it was left as shortcode text. [video] with no video upload stays so.
    body = "<p>本期播客：</p>\n\n[audio]\n\n[video]"
    export = _export(tmp_path, ("播客", "podcast", "2024-06-05 08:00:00", "", body))
    uploads = (
        _attachment(41, 1, 2, "second.mp3", "", "")
        + _attachment(42, 1, 1, "first.m4a", "", "")
        + _attachment(43, 1, 0, "cover.jpg", "", "")
        + _attachment(44, 9, 0, "other-post.mp3", "", "")
    )
    _with_uploads(export, uploads)
    result = run(minimal, "wordpress", str(export))
    assert result.exit_code == 0, result.output
    post = read(minimal, "content/posts/podcast.md")
    assert "<https://blog.example.com/uploads/first.m4a>" in post
    assert "second.mp3" not in post and "other-post.mp3" not in post
    assert (
        "[video]" in post and "podcast.md: the shortcode [video] was left as text" in result.output
    )


def test_a_posts_image_on_the_writers_disk_is_named_never_read(
    minimal: Path, tmp_path: Path
) -> None:
    # A WordPress post pasted from a word processor links an image on the writer's disk.
    # It is not copied from this disk (even where such a file exists), and the report names it.
    image = tmp_path / "clip_image002.png"
    image.write_bytes(PNG)
    body = f'<p>Pasted from a word processor.</p><p><img src="{image.as_uri()}"></p>'
    item = ("Pasted", "pasted-post", "2026-11-02 09:00:00", "", body)
    result = run(minimal, "wordpress", str(_export(tmp_path, item)))
    assert result.exit_code == 0, result.output
    assert f"image not downloaded, still linked: {image.as_uri()}" in result.output
    posts = minimal / "content" / "posts"
    assert not [p for p in posts.iterdir() if p.suffix == ".png"]
