"""site.toml through the schema: defaults, values, and every problem with its line.

The folders in tests/invalid/ check whole builds; these check load_config on small files.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import EmailSettings, every_option, load_config
from digest.errors import ContentError
from digest.text.urls import as_uri
from tests.conftest import FIXTURES

MINIMAL = (FIXTURES / "minimal" / "content" / "site.toml").read_text(encoding="utf-8")


def _site(tmp_path: Path, extra: str) -> Path:
    """The minimal project's site.toml with ``extra`` lines at its end."""
    path = tmp_path / "site.toml"
    path.write_text(MINIMAL + extra, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    """The messages of the ContentError that loading ``path`` raises."""
    with pytest.raises(ContentError) as caught:
        load_config(path)
    return [f"{p.location.line}: {p.message}" for p in caught.value.problems]


def _line(path: Path, text: str) -> int:
    """The 1-based line of ``path`` that is ``text``."""
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_options_left_out_take_the_schema_defaults(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        'title = "t"\nbase_url = "https://example.org/"\n'
        '[[sections]]\nkey = "a"\nheading = "A"\nlink_label = "link"\n',
        encoding="utf-8",
    )
    site = load_config(path)
    for table, declared in every_option():
        if declared.required or table == "sections":
            continue
        owner = getattr(site, table) if table else site
        assert getattr(owner, declared.name) == declared.default(), (table, declared.key)
    assert site.email.newest_issues == 10
    assert site.tag_slugs == {} and site.draft.rules == {}


def test_newest_issues_is_read(tmp_path: Path) -> None:
    site = load_config(_site(tmp_path, "\n[email]\nnewest_issues = 3\n"))
    assert site.email.newest_issues == 3
    assert load_config(_site(tmp_path, "\n[email]\nnewest_issues = 0\n")).email.newest_issues == 0


@pytest.mark.parametrize("value", ["-1", "2.5", '"ten"', "true"])
def test_newest_issues_must_be_a_whole_number_of_at_least_0(tmp_path: Path, value: str) -> None:
    path = _site(tmp_path, f"\n[email]\nnewest_issues = {value}\n")
    line = _line(path, f"newest_issues = {value}")
    message = "[email] newest_issues must be a whole number of at least 0"
    assert _problems(path) == [f"{line}: {message}"]


def test_every_problem_is_reported_at_its_line_in_one_run(tmp_path: Path) -> None:
    path = _site(
        tmp_path,
        '\n[tag_slugs]\n"Go" = "go"\n"Golang" = "go"\n'
        '\n[fetch]\ntimeout = "slow"\nhost_delay = 1\n'
        '\n[email]\nnewest_issues = -2\nfrom = "nobody"\nsmtp_port = 25\n'
        '\n[draft]\nrules = { "github.com" = 1 }\n',
    )
    expected = [
        ('"Golang" = "go"', "tag_slugs: slug 'go' is used twice"),
        ('timeout = "slow"', "[fetch] timeout must be a number of at least 0"),
        ("newest_issues = -2", "[email] newest_issues must be a whole number of at least 0"),
        ('from = "nobody"', "[email] from 'nobody' has no address"),
        ('rules = { "github.com" = 1 }', "[draft.rules] values must be strings"),
    ]
    assert _problems(path) == [f"{_line(path, text)}: {message}" for text, message in expected]


def test_top_level_types_and_required_keys(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('per_page = "5"\nfetch = 3\ntimezone = "Mars/Base"\n', encoding="utf-8")
    assert _problems(path) == [
        "None: missing required key 'base_url'",
        "None: missing required key 'sections'",
        "None: missing required key 'title'",
        "1: 'per_page' must be a whole number",
        "2: 'fetch' must be a table",
        "3: unknown timezone 'Mars/Base'",
    ]


def test_the_renamed_email_from_is_read_and_named_as_written(tmp_path: Path) -> None:
    site = load_config(_site(tmp_path, '\n[email]\nfrom = "周刊 <a@example.org>"\n'))
    assert site.email == EmailSettings(sender="周刊 <a@example.org>")
    path = _site(tmp_path, "\n[email]\nfrm = 1\nsender = 1\n")
    typo, field = _problems(path)
    assert typo == f"{_line(path, 'frm = 1')}: unknown [email] key 'frm' (did you mean 'from'?)"
    known = "(known: from, reply_to, subject,"
    assert field.startswith(f"{_line(path, 'sender = 1')}: unknown [email] key 'sender' {known}")


def test_base_url_with_a_broken_host_is_named(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        MINIMAL.replace("https://example.org/weekly/", "https://exa_mple..org/weekly/"), "utf-8"
    )
    assert _problems(path) == [
        "2: base_url 'https://exa_mple..org/weekly/' must be http(s)://host/…/ (its host"
        " 'exa_mple..org' has an empty label between dots and an underscore; a host name is"
        " letters, digits and '-' between dots)"
    ]


def test_a_web_address_in_chinese_is_kept_as_the_ascii_one_it_names(minimal: Path) -> None:
    """A Chinese host or path in base_url: the email's Message-ID ended the build with
    UnicodeEncodeError, List-Unsubscribe became an encoded word no mail client reads, and
    'digest serve' answered 404 to every page (browsers ask for the path percent-encoded)."""
    from digest.build.pipeline import build

    site = minimal / "content" / "site.toml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "https://example.org/weekly/", "https://例子.中国/周刊/"
        )
        + '\n[email]\nunsubscribe_url = "https://例子.中国/周刊/退订/"\n',
        encoding="utf-8",
    )
    loaded = load_config(site)
    assert loaded.base_url == "https://xn--fsqu00a.xn--fiqs8s/%E5%91%A8%E5%88%8A/"
    assert loaded.base_path == "/%E5%91%A8%E5%88%8A/"
    assert loaded.email.unsubscribe_url == f"{loaded.base_url}%E9%80%80%E8%AE%A2/"
    assert as_uri("https://[::1]:8000/周刊/") == "https://[::1]:8000/%E5%91%A8%E5%88%8A/"
    build(minimal)
    eml = (minimal / "site" / "email" / "1.eml").read_bytes()
    head = eml.split(b"\r\n\r\n")[0]
    assert head.isascii()
    message = BytesParser(policy=policy.default).parsebytes(eml)
    assert f"<{loaded.email.unsubscribe_url}>" in str(message["List-Unsubscribe"])
    assert str(message["Message-ID"]).endswith("@xn--fsqu00a.xn--fiqs8s>")
    assert (minimal / "site" / "退订" / "index.html").is_file()
    checked = CliRunner().invoke(main, ["check", "--root", str(minimal)])
    assert checked.exit_code == 0, checked.output  # every link of the site found


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://[::1/weekly/", " (its host or port cannot be read)"),
        ("https://example.org/weekly/?from=/", " (a site's address has no query or fragment)"),
        ("https://example.org/weekly/#/", " (a site's address has no query or fragment)"),
    ],
)
def test_a_base_url_urllib_refuses_or_with_a_query_is_named(
    tmp_path: Path, url: str, why: str
) -> None:
    path = tmp_path / "site.toml"
    path.write_text(MINIMAL.replace("https://example.org/weekly/", url), "utf-8")
    assert _problems(path) == [f"2: base_url '{url}' must be http(s)://host/…/{why}"]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('reply_to = "编辑@例子.中国"', "the name before the @ is not ASCII"),
        ('unsubscribe_mailto = "leave at example.org"', "has no address"),
        ('from = "周刊 <weekly@example..org>"', "it is no address"),
    ],
)
def test_an_address_of_the_email_settings_headers_cannot_carry_is_named(
    tmp_path: Path, line: str, why: str
) -> None:
    """A header of a message sent without SMTPUTF8 carries only ASCII addresses: such a
    Reply-To was left out, empty, and a mailto that is no address went into
    List-Unsubscribe as written."""
    path = _site(tmp_path, f"\n[email]\n{line}\n")
    key, _, value = line.partition(" = ")
    [problem] = _problems(path)
    assert problem.startswith(f"{_line(path, line)}: [email] {key} '{value[1:-1]}'")
    assert why in problem


def test_a_site_toml_with_classic_mac_line_ends_is_read(tmp_path: Path) -> None:
    """Lone CRs end lines as in an issue; TOML refused the whole file as one line."""
    path = tmp_path / "site.toml"
    path.write_bytes(MINIMAL.replace("\n", "\r").encode())
    assert load_config(path).base_url == "https://example.org/weekly/"


@pytest.mark.parametrize(
    ("written", "line", "label"),
    [
        ('title = "小周刊"', 'title = "周刊\\n第二行"', "'title'"),
        (
            'issue_heading = "小周刊[第{number}期]"',
            'issue_heading = "第{number}期\\n"',
            "'issue_heading'",
        ),
        ("", 'subject = "{heading}\\n{title}"', "[email] subject"),
        ("", 'from = "周刊\\n <a@example.org>"', "[email] from"),
    ],
)
def test_a_line_break_in_what_goes_into_a_header_is_named(
    tmp_path: Path, written: str, line: str, label: str
) -> None:
    """A title or subject written with \\n (or by 'digest init --title' with a line break
    in it): the build ended in the email package's ValueError."""
    path = tmp_path / "site.toml"
    text = MINIMAL.replace(written, line) if written else f"{MINIMAL}\n[email]\n{line}\n"
    path.write_text(text, encoding="utf-8")
    assert _problems(path) == [f"{_line(path, line)}: {label} must be one line"]


def test_a_language_is_a_language_tag(tmp_path: Path) -> None:
    """zh_CN (a POSIX locale) made <html lang="zh_CN">, which browsers take for no
    language, and an invalid xml:lang in the Atom feeds."""
    path = tmp_path / "site.toml"
    for written, read in (("zh_CN", "zh-CN"), ("zh-Hans-CN", "zh-Hans-CN"), ("en", "en")):
        path.write_text(MINIMAL.replace('"zh-CN"', f'"{written}"'), encoding="utf-8")
        assert load_config(path).language == read
    path.write_text(MINIMAL.replace('"zh-CN"', '"简体中文"'), encoding="utf-8")
    assert _problems(path) == [
        "3: 'language' must be a language tag such as zh-CN, zh-Hans-CN or en, not '简体中文'"
    ]


FIELDS = "may use {heading}, {title}, {number}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('subject = "{heading}：{titel}"', f"[email] subject {FIELDS}, not {{titel}}"),
        ('subject = "{heading} {0}"', f"[email] subject {FIELDS}, not {{0}}"),
        ('subject = "{title.__class__}"', f"[email] subject {FIELDS}, not {{title.__class__}}"),
        ('subject = "{number!r}"', f"[email] subject {FIELDS}, not {{number!r}}"),
        ('subject = "{number:>9999999999}"', "[email] subject cannot format {number:>9999999999}"),
        (
            'subject = "{title"',
            "[email] subject has a { or } that opens or closes nothing; "
            "write {{ or }} for the character itself",
        ),
        ('utm_campaign = "issue-{n}"', "[email] utm_campaign may use {number}, not {n}"),
    ],
)
def test_a_pattern_with_a_field_it_does_not_have_is_named(
    tmp_path: Path, line: str, message: str
) -> None:
    """A misspelt field, a lone brace, a field's attribute or a width of ten billion in a
    pattern of site.toml: KeyError, IndexError or ValueError ended the build as an
    internal error, or it filled the memory."""
    path = _site(tmp_path, f"\n[email]\n{line}\n")
    assert _problems(path) == [f"{_line(path, line)}: {message}"]


def test_a_pattern_may_pad_the_number(tmp_path: Path) -> None:
    path = _site(tmp_path, '\n[email]\nsubject = "第{number:03d}期 {{ {title} }}"\n')
    assert load_config(path).email.subject == "第{number:03d}期 {{ {title} }}"
    text = MINIMAL.replace("小周刊[第{number}期]", "第{number}期{x}")
    path.write_text(text, encoding="utf-8")
    assert _problems(path) == ["6: 'issue_heading' may use {number}, not {x}"]


def test_a_port_past_65535_is_named(tmp_path: Path) -> None:
    """smtp_port = 99999 reached the socket, which said 'Connection refused'."""
    path = _site(tmp_path, "\n[email]\nsmtp_port = 99999\n")
    assert _problems(path) == [
        f"{_line(path, 'smtp_port = 99999')}: [email] smtp_port must be from 1 to 65535"
    ]
