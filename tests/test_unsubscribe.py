"""Where the email's unsubscribe link leads: the page the build makes for it, `digest check`
when no page is there, and List-Unsubscribe-Post only when the URL takes one-click POSTs."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from digest.build.pipeline import BuildOptions, build
from digest.cli import main
from digest.config import load_config
from digest.errors import ContentError


def with_email(root: Path, settings: str) -> Path:
    """The project's site.toml with an ``[email]`` table of ``settings``; its path."""
    site = root / "content" / "site.toml"
    site.write_text(site.read_text(encoding="utf-8") + "\n[email]\n" + settings, "utf-8")
    return site


def check(root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    assert isinstance(findings, list)
    return result.exit_code, findings


def test_the_sample_builds_the_page_its_emails_link_to(sample_site: Path) -> None:
    soup = BeautifulSoup((sample_site / "unsubscribe" / "index.html").read_bytes(), "lxml")
    assert soup.h1 is not None and soup.h1.get_text() == "退订邮件"
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    link = soup.select_one(".leave a")
    assert link is not None
    mailto = urlsplit(str(link["href"]))
    assert (mailto.scheme, mailto.path) == ("mailto", "unsubscribe@example.com")
    query = parse_qs(mailto.query)
    assert query["subject"] == ["退订《TB一周萃选》"]
    assert "TB一周萃选" in query["body"][0]
    emailed = BeautifulSoup((sample_site / "email" / "1.html").read_bytes(), "lxml")
    leave = emailed.find("a", string="退订")
    assert leave is not None and leave["href"] == "https://example.github.io/digest/unsubscribe/"
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "unsubscribe" not in sitemap  # a page for readers who arrive from an email


@pytest.mark.parametrize(
    ("url", "made"),
    [
        ("https://example.org/weekly/leave.html", "leave.html"),
        ("https://example.org/weekly/list/leave?from=email", "list/leave/index.html"),
    ],
)
def test_a_page_wherever_the_url_lies_inside_the_site(minimal: Path, url: str, made: str) -> None:
    with_email(minimal, f'from = "编辑部 <desk@example.org>"\nunsubscribe_url = "{url}"\n')
    target = minimal / "site"
    build(minimal, BuildOptions(target=target))
    soup = BeautifulSoup((target / made).read_bytes(), "lxml")
    link = soup.select_one(".leave a")  # no unsubscribe_mailto or reply_to: the sender's
    assert link is not None and str(link["href"]).startswith("mailto:desk@example.org?")


def test_check_fails_when_the_url_lies_inside_the_site_and_no_page_is_there(
    minimal: Path,
) -> None:
    site = with_email(minimal, 'unsubscribe_url = "https://example.org/weekly/leave.php"\n')
    code, findings = check(minimal)
    assert code == 1
    line = (
        site.read_text(encoding="utf-8")
        .splitlines()
        .index('unsubscribe_url = "https://example.org/weekly/leave.php"')
    )
    assert [(f["kind"], f["where"]) for f in findings if f["severity"] == "error"] == [
        ("unsubscribe", f"{site}:{line + 1}")
    ]
    assert "no page there" in findings[0]["message"]
    # a path the site's own pages take is no place for it either
    site.write_text(site.read_text(encoding="utf-8").replace("leave.php", "issues/"), "utf-8")
    assert check(minimal)[0] == 1
    site.write_text(site.read_text(encoding="utf-8").replace("issues/", "unsubscribe/"), "utf-8")
    assert check(minimal) == (0, [])


def _eml(root: Path) -> Any:
    build(root, BuildOptions(target=root / "site"))
    return BytesParser(policy=policy.default).parsebytes((root / "site/email/1.eml").read_bytes())


def test_one_click_header_only_when_the_url_is_declared_to_take_the_post(
    minimal: Path, sample_site: Path
) -> None:
    sample = BytesParser(policy=policy.default).parsebytes(
        (sample_site / "email" / "1.eml").read_bytes()
    )
    assert "https://example.github.io/digest/unsubscribe/" in sample["List-Unsubscribe"]
    assert sample["List-Unsubscribe-Post"] is None  # a static page cannot take the POST
    with_email(
        minimal,
        'unsubscribe_url = "https://lists.example.net/leave?list=weekly"\n'
        "unsubscribe_one_click = true\n",
    )
    msg = _eml(minimal)
    assert msg["List-Unsubscribe"] == "<https://lists.example.net/leave?list=weekly>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not (minimal / "site" / "leave").exists()  # a URL elsewhere: no page of ours


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "unsubscribe_one_click = true\n",
            "[email] unsubscribe_one_click needs an https:// unsubscribe_url to post to (RFC 8058)",
        ),
        (
            'unsubscribe_url = "http://lists.example.net/leave"\nunsubscribe_one_click = true\n',
            "[email] unsubscribe_one_click needs an https:// unsubscribe_url to post to (RFC 8058)",
        ),
        ('unsubscribe_one_click = "yes"\n', "[email] unsubscribe_one_click must be true or false"),
    ],
)
def test_one_click_is_declared_with_an_https_url(
    minimal: Path, settings: str, message: str
) -> None:
    site = with_email(minimal, settings)
    with pytest.raises(ContentError) as caught:
        load_config(site)
    line = next(
        n
        for n, text in enumerate(site.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("unsubscribe_one_click")
    )
    assert [(p.location.line, p.message) for p in caught.value.problems] == [(line, message)]
