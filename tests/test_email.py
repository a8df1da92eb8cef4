"""The email issue as mail clients get it: HTML, plain text and the .eml."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from digest.cli import main
from digest.renderer.email import email_subject
from digest.renderer.plaintext import columns, wrap
from tests.conftest import sent_html_size

ISSUES = [1, 2, 3, 4]


def html(site: Path, n: int) -> str:
    return (site / "email" / f"{n}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("n", ISSUES)
def test_email_html_is_fit_for_mail_clients(sample_site: Path, n: int) -> None:
    text = html(sample_site, n)
    assert len(text.encode()) < 90 * 1024  # well under Gmail's 102 KB clipping
    soup = BeautifulSoup(text, "lxml")
    assert soup.find("script") is None and soup.find("form") is None
    assert soup.find("link", rel="stylesheet") is None
    assert soup.html is not None and soup.html["lang"] == "zh-CN" and soup.html["dir"] == "ltr"
    assert soup.find("meta", attrs={"name": "color-scheme"}) is not None
    # The one style block left holds only media queries (dark mode, phones).
    styles = [s.get_text() for s in soup.find_all("style")]
    assert len(styles) == 1
    assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", styles[0]).strip() == ""
    container = soup.select_one("table.container")
    assert container is not None and container["width"] == "600"
    assert "max-width:600px" in str(container.get("style", "")).replace(" ", "")
    for img in soup.find_all("img"):
        assert str(img["src"]).startswith("https://"), img
        assert img.has_attr("alt") and int(str(img["width"])) <= 560, img
    for a in soup.find_all("a", href=True):
        assert re.match(r"^(https://|mailto:)", str(a["href"])), a
    preheader = soup.body.find("div") if soup.body else None
    assert preheader is not None and "display:none" in str(preheader.get("style"))
    assert preheader.get_text().strip() != ""
    view = soup.find("a", string="在浏览器中阅读")
    assert view is not None
    assert str(view["href"]).startswith(f"https://example.github.io/digest/issues/{n}/?")
    assert "utm_campaign=issue-" in str(view["href"])
    unsubscribe = soup.find("a", string="退订")
    assert unsubscribe is not None
    assert unsubscribe["href"] == "https://example.github.io/digest/unsubscribe/"


def test_code_blocks_carry_their_colours_inline(sample_site: Path) -> None:
    soup = BeautifulSoup(html(sample_site, 1), "lxml")
    pre = soup.find("pre")
    assert pre is not None and "pre-wrap" in str(pre.get("style"))
    keyword = soup.select_one(".highlight .kd")
    assert keyword is not None and "color:" in str(keyword.get("style"))


@pytest.mark.parametrize("n", ISSUES)
def test_text_part_is_wrapped_with_link_references(sample_site: Path, n: int) -> None:
    text = (sample_site / "email" / f"{n}.txt").read_text(encoding="utf-8")
    refs = re.findall(r"^\[(\d+)\] (https?://\S+)$", text, re.M)
    assert refs and [int(r[0]) for r in refs] == list(range(1, len(refs) + 1))
    assert len({url for _, url in refs}) == len(refs)  # each URL once
    body = "\n".join(line for line in text.split("\n链接\n")[0].splitlines()
                     if not line.startswith("    "))  # fmt: skip
    cited = {int(m) for m in re.findall(r"\[(\d+)\]", body)}
    assert cited == {int(r[0]) for r in refs}
    for line in text.splitlines():
        if line.startswith(("    ", "[", "在浏览器中阅读", "退订")) or "://" in line:
            continue  # code, references and bare URLs are not wrapped
        assert columns(line) <= 72, line


def test_the_html_file_says_its_images_load_from_the_site(sample_site: Path) -> None:
    """Opened from disk before the site is published, the email shows no images: the
    .html file says why at its top; the .eml, which is what is sent, does not."""
    soup = BeautifulSoup(html(sample_site, 1), "lxml")
    assert soup.body is not None
    shown = soup.body.find_all(True, recursive=False)
    assert [e.name for e in shown[:3]] == ["div", "div", "table"]  # preheader, note, email
    assert "preview-note" in (shown[1].get("class") or [])
    note = shown[1].get_text()
    assert "https://example.github.io/digest/" in note and "图片" in note
    assert "1.eml" in note
    raw = (sample_site / "email" / "1.eml").read_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    rich = msg.get_body(("html",))
    assert rich is not None and "preview-note" not in rich.get_content()
    assert "图片从网站" not in rich.get_content()


def test_wrapping_counts_chinese_as_two_columns() -> None:
    lines = wrap("中" * 50)
    assert [columns(line) for line in lines] == [72, 28]
    assert wrap("word " * 20)[0].endswith("word")
    lines = wrap(("字" * 35 + "，") * 4)
    assert all(not line.startswith("，") and columns(line) <= 72 for line in lines)
    lines = wrap("namespace（mount、UTS、IPC、PID、network、user），" * 3)
    assert all(not line.startswith(("，", "）", "、")) and columns(line) <= 72 for line in lines)


def test_eml_round_trips(sample_site: Path) -> None:
    raw = (sample_site / "email" / "1.eml").read_bytes()
    assert b"\r\n" in raw and max(len(line) for line in raw.split(b"\r\n")) <= 998
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    assert msg.get_content_type() == "multipart/alternative"
    assert str(msg["Subject"]) == "TB一周萃选[第1期]：并发，从一条流水线说起"
    assert "=?utf-8?" in raw.decode("ascii").split("Subject:")[1].split("\r\n")[0]  # RFC 2047
    assert msg["From"].addresses[0].addr_spec == "weekly@example.com"
    assert msg["Date"] and msg["Message-ID"].endswith("@example.github.io>")
    assert msg["List-Unsubscribe"] == (
        "<mailto:unsubscribe@example.com?subject=unsubscribe>, "
        "<https://example.github.io/digest/unsubscribe/>"
    )
    assert msg["List-Unsubscribe-Post"] is None  # the sample's static page cannot take it
    plain, rich = msg.iter_parts()
    assert plain.get_content_type() == "text/plain" and rich.get_content_type() == "text/html"
    assert plain.get_content_charset() == rich.get_content_charset() == "utf-8"
    assert plain["Content-Transfer-Encoding"] in ("base64", "quoted-printable", "8bit")
    assert not (msg.defects or plain.defects or rich.defects)
    # MIME text travels with CRLF line ends (and no bare LF); the content is otherwise unchanged.
    assert "\n" not in plain.get_content().replace("\r\n", "")
    # The .html file is the same message with the preview note at the top of its body.
    sent = rich.get_content().replace("\r\n", "\n").rstrip()
    note = re.search(r'<div class="preview-note".*?</div>\n', html(sample_site, 1))
    assert note is not None and "preview-note" not in sent
    assert sent == html(sample_site, 1).replace(note[0], "", 1).rstrip()
    text = (sample_site / "email" / "1.txt").read_text(encoding="utf-8")
    assert plain.get_content().replace("\r\n", "\n").rstrip() == text.rstrip()


def test_email_command_writes_one_issue(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["email", "1"])
    assert result.exit_code == 0, result.output
    assert re.match(r"^site/email/1\.html: \d+\.\d KB$", result.stdout.splitlines()[0])
    assert sorted(p.name for p in (minimal / "site" / "email").iterdir()) == [
        "1.eml", "1.html", "1.txt"]  # fmt: skip
    missing = CliRunner().invoke(main, ["email", "9"])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "there is no issue 9 (issues: 1)"


def test_email_command_warns_about_size_and_svg(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svg = minimal / "content" / "issues" / "dot.svg"
    svg.write_bytes((minimal / "content" / "posts" / "dot.svg").read_bytes())
    long_text = "\n\n".join("很长的点评，" * 400 for _ in range(12))
    (minimal / "content" / "issues" / "002.md").write_text(
        f"---\nnumber: 2\ntitle: 很长的一期\ndate: 2026-01-09\n---\n\n![点](dot.svg)\n\n"
        f"## articles\n\n### [长文](https://example.com/long)\n\n{long_text}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["email", "2"])
    assert result.exit_code == 0, result.output
    size = sent_html_size(minimal / "site" / "email" / "2.eml")
    assert 90 * 1024 < size < 102 * 1024
    assert (
        f"warning: content/issues/002.md: the email of issue 2 is {size / 1024:.1f} KB of HTML,"
        " close to Gmail's clipping at 102 KB ([email] clip_kb)"
    ) in result.stderr.splitlines()
    assert "uses SVG images" in result.stderr
    quiet = CliRunner().invoke(main, ["email", "1"])
    assert quiet.stderr == ""


def test_the_build_makes_the_email_and_wechat_files_of_the_newest_issues_only(
    tmp_path: Path,
) -> None:
    """``[email] newest_issues``: the build writes those issues' email and WeChat files;
    ``digest email N`` and ``digest wechat N`` make an older one's on demand (the same
    bytes as a build that makes it), and the next build leaves them alone."""
    from digest.build.pipeline import build
    from tests.conftest import ROOT, copy_project

    root = copy_project(ROOT, tmp_path / "project")
    settings = root / "content" / "site.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[email]\n", "[email]\nnewest_issues = 2\n", 1), "utf-8")
    build(root)
    site = root / "site"
    assert sorted(p.name for p in (site / "email").iterdir()) == [
        "3.eml", "3.html", "3.txt", "4.eml", "4.html", "4.txt"]  # fmt: skip
    assert sorted(p.name for p in (site / "wechat").iterdir()) == ["3", "3.html", "4", "4.html"]
    for command in ("email", "wechat"):
        done = CliRunner().invoke(main, [command, "1", "--root", str(root)])
        assert done.exit_code == 0, done.output
    made = {p: (site / p).read_bytes() for p in ("email/1.html", "email/1.txt", "wechat/1.html")}
    build(root)  # nothing changed: the on-demand files stay
    assert all((site / p).read_bytes() == data for p, data in made.items())
    every = copy_project(ROOT, tmp_path / "every")  # the default makes all four issues'
    build(every)
    for path, data in made.items():
        if not path.endswith(".eml"):  # (an .eml's boundary and ids are its own)
            assert (every / "site" / path).read_bytes() == data, path


@pytest.mark.parametrize("title", ["小周刊[第1期]", "  小周刊[第1期] ", "小周刊[第{number}期]"])
def test_a_title_that_only_repeats_the_heading_is_said_once(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, title: str
) -> None:
    """A draft's title is the heading: the subject and the text part do not say it twice."""
    issue = minimal / "content" / "issues" / "001.md"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("title: 第一期", f'title: "{title}"'), "utf-8"
    )
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["email", "1"])
    assert result.exit_code == 0, result.output
    msg = BytesParser(policy=policy.default).parsebytes((minimal / "site/email/1.eml").read_bytes())
    assert str(msg["Subject"]) == "小周刊[第1期]"
    text = (minimal / "site" / "email" / "1.txt").read_text(encoding="utf-8")
    assert text.startswith("小周刊[第1期]\n")
    soup = BeautifulSoup(html(minimal / "site", 1), "lxml")
    assert soup.title is not None and soup.title.get_text() == "小周刊[第1期]"


@pytest.mark.parametrize(
    ("pattern", "title", "subject"),
    [
        ("{heading}：{title}", "并发", "周刊[第7期]：并发"),
        ("{heading}：{title}", "", "周刊[第7期]"),
        ("{title} | {heading}", "", "周刊[第7期]"),
        ("[{number}] {title} - {heading}", "", "[7] 周刊[第7期]"),
        ("{title}", "", "周刊[第7期]"),
    ],
)
def test_subject_patterns_without_a_title(pattern: str, title: str, subject: str) -> None:
    assert email_subject(pattern, "周刊[第7期]", title, 7) == subject
