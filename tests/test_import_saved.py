"""``digest import url FILE|FOLDER``: pages a browser saved (a WeChat archive kept as
files): a page and its folder, one ``.mhtml`` file, or a folder of them, imported and built.

The single-file fixture (tests/fixtures/saved/single-file.mhtml) is what Chromium saved of
a page of ours served on 127.0.0.1; every other page here is written in the test.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from digest.cli import main
from tests.conftest import FIXTURES
from tests.test_import import PNG, builds_cleanly, run

SAVED_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>用火焰图找慢接口</title>
<meta property="og:url" content="https://mp.weixin.qq.com/s/FlameGraph01">
<meta property="article:published_time" content="2024-03-05T10:00:00+08:00">
</head><body><div id="js_content">
<p>上周一个查询接口的延迟从八十毫秒涨到了六百毫秒，大家都以为是数据库慢了。</p>
<p><img src="img/flame.png" alt="火焰图"></p>
<p>抓了一份 CPU profile 之后才发现，最宽的那一块在序列化上，而不是在 SQL 上。</p>
</div></body></html>"""


def test_a_page_saved_from_a_browser_is_imported_from_its_file(
    minimal: Path, tmp_path: Path
) -> None:
    # An editor's WeChat archive is often pages saved as files: read from the file, their
    # links taken against the address the page names as its own, which names the post.
    saved = tmp_path / "saved" / "火焰图.html"
    saved.parent.mkdir()
    saved.write_text(SAVED_PAGE, encoding="utf-8")
    before = set((minimal / "content" / "posts").iterdir())
    result = run(minimal, "url", str(saved))
    assert result.exit_code == 0, result.output
    (post,) = set((minimal / "content" / "posts").iterdir()) - before
    text = post.read_text(encoding="utf-8")
    assert "最宽的那一块在序列化上" in text
    assert "https://mp.weixin.qq.com/s/img/flame.png" in text  # not a file:// address
    assert "file:" not in text
    again = run(minimal, "url", str(saved))
    assert "0 written, 0 updated, 1 unchanged" in again.output
    missing = run(minimal, "url", str(tmp_path / "nowhere.html"))
    assert missing.exit_code == 2
    assert "neither an http(s) URL, a file nor a folder" in missing.output
    builds_cleanly(minimal)


COMPLETE_SAVE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>缓存预热的三种做法</title>{own}
<meta property="article:published_time" content="2026-11-20T08:00:00+08:00">
</head><body><article><h1>缓存预热的三种做法</h1>
<p>上线之前先把热点数据装进缓存，是<a href="notes/warmup.html#why">我们上次</a>留下的作业。</p>
<p><img src="缓存预热_files/warm.png" alt="预热的曲线"></p>
<p>第一种做法是回放昨天的访问日志，第二种是按商品销量排序后批量加载。</p>
<p><img src="../secret/id_ed25519.png" alt="不该出现的文件"></p>
<p>第三种做法最省事：让流量慢慢进来，<a href="https://example.org/ramp">逐步放量</a>即可。</p>
</article></body></html>"""


def _complete_save(folder: Path, own: str) -> Path:
    """A page saved "complete": its image in the folder the browser made beside it, and
    an image reference that climbs out of the page's folder to a file that exists."""
    saved = folder / "archive" / "缓存预热.html"
    (saved.parent / "缓存预热_files").mkdir(parents=True)
    (saved.parent / "缓存预热_files" / "warm.png").write_bytes(PNG)
    (folder / "secret").mkdir()
    (folder / "secret" / "id_ed25519.png").write_bytes(PNG)
    saved.write_text(COMPLETE_SAVE.replace("{own}", own), encoding="utf-8")
    return saved


def _new_post(root: Path, *args: str) -> tuple[Result, str, set[str]]:
    """Run an import that writes one post: its result, its text and the files beside it."""
    posts = root / "content" / "posts"
    before = set(posts.iterdir())
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    added = set(posts.iterdir()) - before
    (post,) = [p for p in added if p.suffix == ".md"]
    return result, post.read_text(encoding="utf-8"), {p.name for p in added - {post}}


def test_a_complete_save_brings_its_images_and_keeps_its_links_on_the_web(
    minimal: Path, tmp_path: Path
) -> None:
    # "Save page, complete" puts the page's images in a folder beside it: they are copied
    # next to the post (no --download-images: there is nothing to download, and a post must
    # not link the editor's disk). Relative links are read against the page's own address.
    own = '<link rel="canonical" href="https://blog.example.org/2026/cache-warmup.html">'
    saved = _complete_save(tmp_path, own)
    _, text, files = _new_post(minimal, "url", str(saved))
    assert files == {"cache-warmup-warm.png"}
    assert (minimal / "content" / "posts" / "cache-warmup-warm.png").read_bytes() == PNG
    assert "![预热的曲线](cache-warmup-warm.png)" in text
    assert "[我们上次](https://blog.example.org/2026/notes/warmup.html#why)" in text
    assert "[逐步放量](https://example.org/ramp)" in text
    # out of the page's folder: not read from the disk, but where the page on the web has it
    assert "https://blog.example.org/secret/id_ed25519.png" in text
    assert "file:" not in text and str(tmp_path) not in text
    builds_cleanly(minimal)


def test_a_saved_page_with_no_address_of_its_own_links_nothing_on_the_disk(
    minimal: Path, tmp_path: Path
) -> None:
    # With no canonical link or og:url there is nowhere to read a relative link against:
    # it keeps its text, an image not beside the page is left out, and the report says so.
    saved = _complete_save(tmp_path, "")
    result, text, files = _new_post(minimal, "url", str(saved))
    assert len(files) == 1 and "预热的曲线" in text
    assert "我们上次留下的作业" in text  # the link's text, without its target
    assert "不该出现的文件" not in text and "id_ed25519" not in text
    assert "file:" not in text and str(tmp_path) not in text
    assert "1 relative link kept as text, 1 image not beside it left out" in result.output
    builds_cleanly(minimal)


def test_a_link_in_a_saved_pages_folder_is_not_followed_out_of_it(
    minimal: Path, tmp_path: Path
) -> None:
    # An archive unpacked from elsewhere may hold symbolic links: an "image" in the page's
    # folder that is a link to a photo elsewhere on this disk (or a folder that links out)
    # must not be copied next to the post, and so onto the site.
    saved = _complete_save(tmp_path, "")
    images = saved.parent / "缓存预热_files"
    (images / "warm.png").unlink()
    (images / "warm.png").symlink_to(tmp_path / "secret" / "id_ed25519.png")
    (images / "more").symlink_to(tmp_path / "secret")
    saved.write_text(
        saved.read_text(encoding="utf-8").replace(
            "../secret/id_ed25519.png", "缓存预热_files/more/id_ed25519.png"
        ),
        encoding="utf-8",
    )
    result, text, files = _new_post(minimal, "url", str(saved))
    assert files == set()
    assert "预热的曲线" not in text and "不该出现的文件" not in text
    assert "2 images not beside it left out" in result.output
    for post in (minimal / "content" / "posts").glob("huan-cun-yu-re*"):
        post.unlink()
    # a link inside the folder to another file in it is the page's own image
    (images / "warm.png").unlink()
    (images / "shared.png").write_bytes(PNG)
    (images / "warm.png").symlink_to("shared.png")
    _, text, files = _new_post(minimal, "url", str(saved))
    assert len(files) == 1 and "预热的曲线" in text


def test_a_pipe_in_a_saved_pages_folder_is_not_waited_for(minimal: Path, tmp_path: Path) -> None:
    # An archive unpacked from elsewhere may hold a named pipe where an image was: reading
    # it waits for a writer for ever. Only a regular file is read.
    saved = _complete_save(tmp_path, "")
    (saved.parent / "缓存预热_files" / "warm.png").unlink()
    os.mkfifo(saved.parent / "缓存预热_files" / "warm.png")
    result, text, files = _new_post(minimal, "url", str(saved))
    assert files == set() and "预热的曲线" not in text
    assert "2 images not beside it left out" in result.output


SINGLE_FILE = FIXTURES / "saved" / "single-file.mhtml"  # Chromium's "Save as single file"


def test_a_page_saved_as_one_file_brings_the_images_it_holds(minimal: Path) -> None:
    # tests/fixtures/saved/single-file.mhtml is what Chromium 156 saved of a page of ours
    # served on 127.0.0.1:8765 (Page.captureSnapshot): the page in quoted-printable, its
    # one image that loaded in base64 (640.png here), each under the address it came from.
    _, text, files = _new_post(minimal, "url", str(SINGLE_FILE))
    (image,) = files
    posts = minimal / "content" / "posts"
    assert (posts / image).read_bytes() == (FIXTURES / "saved" / "640.png").read_bytes()
    assert f"![示意图]({image})" in text
    assert "这是一篇用来测试单文件保存的文章" in text and "最后检查标题和摘要是否通顺" in text
    assert "[上一篇](http://127.0.0.1:8765/s/other)" in text
    # an image that did not load is not in the file: linked where the page had it
    assert "![丢失的图](http://127.0.0.1:8765/img/missing.png)" in text
    again = run(minimal, "url", str(SINGLE_FILE))
    assert "0 written, 0 updated, 1 unchanged" in again.output
    builds_cleanly(minimal)


def test_a_single_file_save_cut_short_or_without_a_page_is_named(
    minimal: Path, tmp_path: Path
) -> None:
    whole = SINGLE_FILE.read_bytes()
    cut = tmp_path / "cut.mhtml"
    cut.write_bytes(whole[: len(whole) // 2])
    end = whole.index(b"\r\n", whole.index(b"------MultipartBoundary"))
    boundary = whole[whole.index(b"------MultipartBoundary") : end]
    no_page = tmp_path / "no-page.mhtml"
    no_page.write_bytes(
        whole[: whole.index(b"Content-Type: text/html")]
        + b"Content-Type: text/plain\r\n\r\nonly a note\r\n"
        + boundary
        + b"--\r\n"
    )
    posts = sorted((minimal / "content" / "posts").iterdir())
    for path, why in ((cut, "it is cut short"), (no_page, "it holds no HTML page")):
        result = run(minimal, "url", str(path))
        assert result.exit_code == 1
        assert f"{path}: a page saved as one file, but {why}" in result.output
    assert sorted((minimal / "content" / "posts").iterdir()) == posts


def test_a_single_file_save_nested_thousands_deep_is_named(minimal: Path, tmp_path: Path) -> None:
    # A message whose parts nest 2,000 deep overflows the email package's parser (it
    # recurses a level a part): an internal error, where a bad file gets its name.
    inner = "--b0\r\nContent-Type: text/html\r\n\r\n<p>深处</p>\r\n--b0--\r\n"
    for i in range(1, 2000):
        inner = (
            f'--b{i}\r\nContent-Type: multipart/related; boundary="b{i - 1}"\r\n\r\n'
            f"{inner}\r\n--b{i}--\r\n"
        )
    deep = tmp_path / "deep.mhtml"
    deep.write_text(
        f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b1999"\r\n\r\n{inner}'
    )
    why = f"{deep}: a page saved as one file, but its parts nest too deep to read"
    result = run(minimal, "url", str(deep))
    assert result.exit_code == 1 and why in result.output
    inspected = CliRunner().invoke(main, ["inspect", str(deep)])
    assert inspected.exit_code == 1 and why in inspected.output


def test_a_single_file_save_naming_a_charset_no_codec_has_is_read_as_unnamed(
    minimal: Path, tmp_path: Path
) -> None:
    # The page part's charset comes from the file: a name with a NUL in it made the codec
    # lookup raise ValueError, an internal error, where an unknown name is read past.
    odd = tmp_path / "odd-charset.mhtml"
    odd.write_bytes(
        SINGLE_FILE.read_bytes().replace(
            b"Content-Type: text/html\r\n", b'Content-Type: text/html; charset="utf-8\0"\r\n', 1
        )
    )
    _, text, _ = _new_post(minimal, "url", str(odd))
    assert "这是一篇用来测试单文件保存的文章" in text
    inspected = CliRunner().invoke(main, ["inspect", str(odd), "--json"])
    assert inspected.exit_code == 0, inspected.output
    assert json.loads(inspected.stdout)["title"] == "单文件保存的测试文章"


def test_inspect_reads_the_page_inside_a_single_file_save(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(SINGLE_FILE), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "单文件保存的测试文章"
    assert record["url"] == "http://127.0.0.1:8765/s.html"  # where it was saved from
    assert "最后检查标题和摘要是否通顺" in record["text"]
    cut = tmp_path / "cut.mhtml"
    cut.write_bytes(SINGLE_FILE.read_bytes()[:1500])
    broken = CliRunner().invoke(main, ["inspect", str(cut)])
    assert broken.exit_code == 1
    assert f"{cut}: a page saved as one file, but it is cut short" in broken.output


def test_a_folder_of_saved_pages_imports_each_page_in_it(minimal: Path, tmp_path: Path) -> None:
    # An archive kept as a folder (an exporting tool writes one folder an article): every
    # saved page in it, in name order, but not the frames in a browser's Page_files folder.
    archive = tmp_path / "公众号存档"
    (archive / "2024-03").mkdir(parents=True)
    (archive / "2024-03" / "火焰图.html").write_text(SAVED_PAGE, encoding="utf-8")
    shutil.copy(SINGLE_FILE, archive / "单文件.MHTML")
    (archive / "火焰图_files").mkdir()
    (archive / "火焰图_files" / "frame.html").write_text("<p>一个框架</p>", encoding="utf-8")
    (archive / "notes.txt").write_text("不是网页", encoding="utf-8")
    private = tmp_path / "私人" / "日记.html"  # a page elsewhere on this disk, linked in
    private.parent.mkdir()
    private.write_text(SAVED_PAGE.replace("火焰图", "日记"), encoding="utf-8")
    (archive / "2024-03" / "日记.html").symlink_to(private)
    posts = minimal / "content" / "posts"
    before = set(posts.iterdir())
    result = run(minimal, "url", str(archive))
    assert result.exit_code == 0, result.output
    assert "2 written" in result.output
    added = {p.name for p in set(posts.iterdir()) - before if p.suffix == ".md"}
    texts = "".join((posts / name).read_text(encoding="utf-8") for name in added)
    assert len(added) == 2 and "一个框架" not in texts and "日记" not in texts
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    nothing = run(minimal, "url", str(empty))
    assert nothing.exit_code == 1
    assert f"{empty}: a folder with no saved page in it (.html, .htm, .mhtml, .mht)" in (
        nothing.output
    )
