"""The schema of ``content/site.toml``: every option declared once, with its type, default,
check and doc, as the fields of the frozen dataclasses the rest of ``digest`` reads.

Numbers in a table (``[fetch]``, ``[email]``...) are never negative; :mod:`.loader` says so
in the message for a wrong type. The README's reference table lists the same options, and
tests/test_docs.py keeps the two in step.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from email.utils import parseaddr
from pathlib import Path
from typing import Any, get_args, get_origin
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.config.options import Check, Declared, must, option, options, required, unknown
from digest.config.source import Source
from digest.text.addresses import parse_address
from digest.text.slugs import SLUG_MAX
from digest.text.urls import as_uri, split_url, url_fault

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_AT_LEAST_1 = must("be at least 1", lambda n: n >= 1)


@dataclass(frozen=True)
class SectionConfig:
    """One section of every issue: ``key`` in the Markdown, ``heading`` on the page."""

    key: str = required("how an issue's Markdown names the section (a-z, 0-9 and '-')")
    heading: str = required("the section's heading on the page")
    link_label: str = required("the words before an item's link")


@dataclass(frozen=True)
class FetchSettings:
    """``[fetch]``: how politely and how far the scraper goes (see the README)."""

    concurrency: int = option(32, "requests in flight in all")
    per_host: int = option(2, "requests in flight to one host")
    host_delay: float = option(0.1, "seconds between request starts to one host")
    timeout: float = option(30.0, "seconds for one attempt, body included")
    retries: int = option(2, "retries on network errors, 5xx and 429")
    max_redirects: int = option(5, "redirects followed; loops are errors")
    max_bytes: int = option(5_000_000, "larger bodies are abandoned")
    deadline: float = option(
        60.0,
        "seconds one link may take in all, every attempt, retry wait and redirect included"
        " (its clock starts with its first request); past it the link is an `error` with"
        " the reason; `0` for none",
    )
    recheck_days: float = option(
        30.0, "a link checked more recently is not asked again (unless `--refresh`)"
    )
    cache: str = option(".cache/digest.sqlite", "the scrape cache")


def _uri(url: str, _: object) -> str:
    """A web address of the site (``base_url``, ``[email] unsubscribe_url``) as the ASCII
    URI it names (:func:`digest.text.urls.as_uri`): pages, feeds, email headers and the
    preview's server all compare and carry that one spelling."""
    return as_uri(url)


_NUMBER = re.compile(r"\{number(?::[^{}]*)?\}")  # {number}, or {number:03d}


def _pattern(*names: str) -> Check:
    """The check of an option that is a pattern filled with ``names`` (``{number}``), by
    Python's ``str.format``: only those fields, without attributes, items or conversions,
    each with a short format spec at most (``{number:03d}``). A misspelt field or a lone
    brace ended the build as an internal error, and ``{number:>9999999999}`` filled the
    memory."""
    known = ", ".join(f"{{{name}}}" for name in names)

    def check(label: str, pattern: str) -> str | None:
        try:
            fields = [f for f in string.Formatter().parse(pattern) if f[1] is not None]
        except ValueError:
            return (
                f"{label} has a {{ or }} that opens or closes nothing; write {{{{ or }}}} for"
                " the character itself"
            )
        for _, name, spec, conversion in fields:
            written = (
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            )
            if name not in names or conversion:
                return f"{label} may use {known}, not {written}"
            try:
                sample = 1 if name == "number" else "x"
                if len(spec or "") > 4:
                    raise ValueError(spec)
                format(sample, spec or "")
            except ValueError:
                return f"{label} cannot format {written}"
        return None

    return check


def _one_line(label: str, value: str) -> str | None:
    """An option that goes into the email's headers (the subject, the sender) or names a
    page (the title): a line break there ended the build in the email package."""
    return f"{label} must be one line" if "\n" in value or "\r" in value else None


def _address(label: str, value: str) -> str | None:
    """``[email] from``, ``reply_to``, ``unsubscribe_mailto``: empty (``from``: derived
    from the site), or an address (``Name <addr>`` or ``addr``) a header of a message sent
    without SMTPUTF8 can carry: its name before the ``@`` in ASCII, on one line."""
    if not value or (broken := _one_line(label, value)):
        return broken
    address = parse_address(parseaddr(value)[1])
    if address is None:
        return (
            f"{label} '{value}' has no address"
            if "@" not in value
            else (f"{label} '{value}': it is no address (name@host.tld)")
        )
    if address.smtputf8:
        return (
            f"{label} '{value}': the name before the @ is not ASCII, which a header carries "
            "only in mail sent with SMTPUTF8, not in every reader's copy; use an ASCII address"
        )
    return None


def _mailbox(value: str, _: object) -> str:
    """An address of ``[email]`` with its domain in IDNA A-labels (``weekly@例子.中国`` as
    ``weekly@xn--fsqu00a.xn--fiqs8s``), the name before it as written: the envelope and
    the headers carry only ASCII (left as it is when :func:`_address` refuses it)."""
    written = parseaddr(value)[1]
    address = parse_address(written)
    if address is None or address.smtputf8 or "@" not in written:
        return value
    return value.replace(written, address.wire)


@dataclass(frozen=True)
class EmailSettings:
    """``[email]``: how the email issue is addressed and sent (see the README)."""

    sender: str = option("", "the sender", _address, key="from", parse=_mailbox)
    reply_to: str = option("", "optional Reply-To", _address, parse=_mailbox)
    subject: str = option(
        "{heading}：{title}",
        "may use `{heading}`, `{title}`, `{number}`",
        lambda label, subject: (
            _one_line(label, subject) or _pattern("heading", "title", "number")(label, subject)
        ),
    )
    unsubscribe_url: str = option(
        "",
        "where the email's 退订 link and `List-Unsubscribe` lead; inside the site, the build"
        " makes a page there that tells readers how to leave",
        parse=_uri,
    )
    unsubscribe_one_click: bool = option(
        False,
        "`unsubscribe_url` takes RFC 8058 one-click POSTs: adds `List-Unsubscribe-Post`"
        " (a static site cannot take them)",
    )
    unsubscribe_mailto: str = option(
        "",
        "the address readers write to to leave (`List-Unsubscribe`); the unsubscribe page"
        " uses it, else `reply_to`, else `from`",
        _address,
        parse=_mailbox,
    )
    utm_source: str = option("", "added to every link of the email when set")
    utm_medium: str = option("", "added to every link of the email when set")
    utm_campaign: str = option(
        "", "added to every link of the email when set; may use {number}", _pattern("number")
    )
    recipients: str = option("subscribers.txt", "one address a line; keep it out of git")
    unsubscribed: str = option(
        "unsubscribed.txt",
        "addresses that asked to leave, one a line: never sent to, whatever `recipients`"
        " says; `digest unsubscribe` adds them; keep it out of git",
    )
    smtp_host: str = option("", "needed to send")
    smtp_port: int = option(
        587, "the SMTP server's port", must("be from 1 to 65535", lambda port: 0 < port < 65536)
    )
    smtp_user: str = option("", "login name; no login when empty")
    smtp_security: str = option(
        "starttls",
        "`starttls`, `ssl` or `none`",
        must("be starttls, ssl or none", lambda s: s in ("starttls", "ssl", "none")),
    )
    password_env: str = option(  # the password itself never goes in a file
        "DIGEST_SMTP_PASSWORD", "the environment variable holding the password"
    )
    rate_per_minute: int = option(60, "`0` for no limit")
    retries: int = option(3, "for temporary (4xx) SMTP errors")
    send_log: str = option(".digest/send-log.sqlite", "who got which issue")
    newest_issues: int = option(
        10,
        "the build writes the email (.html, .txt, .eml) and WeChat files of this many newest"
        " issues; `digest email N` and `digest wechat N` make any issue's on demand",
    )
    clip_kb: int = option(
        102,
        "Gmail clips an email whose HTML is over this many KB (1 KB = 1,024 bytes): `digest"
        " build`, `email` and `send` warn about one; `0` for no warning",
    )
    max_kb: int = option(
        1024,
        "`digest build`, `email` and `send` refuse an issue whose email HTML is over this"
        " many KB (the previous files stay); `0` for no limit",
    )


@dataclass(frozen=True)
class SummarySettings:
    """``[summary]``: how long automatic summaries are and who writes them (see the README)."""

    budget_cjk: int = option(
        120,
        "length of an automatic summary of a Chinese (or Japanese) page, in characters"
        " (a Latin word counts as one)",
        _AT_LEAST_1,
    )
    budget_words: int = option(50, "the same for other pages, in words", _AT_LEAST_1)
    command: str = option(
        "",
        "an external summariser (e.g. an LLM command line): page text on stdin, summary on"
        " stdout; run by `digest fetch` and `digest inspect`",
    )
    timeout: float = option(
        60.0,
        "seconds the command may take; on any failure the extractive summary is kept and the"
        " failure reported",
    )


@dataclass(frozen=True)
class DraftSettings:
    """``[draft]``: what ``digest new`` writes (see the README)."""

    weekday: str = option(
        "friday",
        "the publishing day: `digest new` dates a draft the coming one (today, if it is one)"
        " that is later than the latest issue",
        must(f"be one of {', '.join(WEEKDAYS)}", lambda day: day in WEEKDAYS),
    )
    time: str = option(
        "08:30",
        "the draft's time of day",
        must("be HH:MM", lambda t: re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t) is not None),
    )
    title: str = option(
        "",
        "the draft's title, may use `{number}`; empty means `issue_heading`",
        lambda label, title: title and _heading(label, title),
    )
    section: str = option("", "the section for items nothing else places; empty means the first")
    max_tags: int = option(3, "tags suggested per item (the editor's and the feed's always stay)")
    rules: Mapping[str, str] = option(
        {},
        '`"host" = "section"` (or `"host/path"`), e.g. `"github.com" = "tools"`;'
        " subdomains match too",
    )


def _site_url(_: str, url: str) -> str | None:
    """``base_url``: where the site is published, a folder of an http(s) host."""
    fault = url_fault(url) if url else None
    parts = split_url(url)
    if fault is None and parts and (parts.query or parts.fragment or "#" in url or "?" in url):
        fault = "a site's address has no query or fragment"
    if not url or (fault is None and url.endswith("/")):
        return None
    why = f" ({fault})" if fault and (parts is None or parts.scheme in ("http", "https")) else ""
    return f"base_url '{url}' must be http(s)://host/…/{why}"


def _zone(_: str, name: str) -> str | None:
    """``timezone``: a zone the tz database knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown timezone '{name}'"
    return None


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def _language_tag(value: str, _: object) -> str:
    """``zh_CN`` as ``zh-CN``: a POSIX locale's spelling, which no browser or feed reader
    takes for a language (``<html lang="zh_CN">`` is no language, ``xml:lang`` invalid)."""
    return value.replace("_", "-")


def _language(label: str, value: str) -> str | None:
    """``language``: a BCP 47 tag's shape (``zh-CN``, ``zh-Hans-CN``, ``en``)."""
    if _LANGUAGE_TAG.fullmatch(value):
        return None
    return f"{label} must be a language tag such as zh-CN, zh-Hans-CN or en, not '{value}'"


def _heading(label: str, heading: str) -> str | None:
    """``issue_heading``: it names each issue by its number, on one line."""
    return (
        _one_line(label, heading)
        or _pattern("number")(label, heading)
        or (None if _NUMBER.search(heading) else f"{label} must contain '{{number}}'")
    )


def _sections(entries: list[Any], source: Source) -> tuple[SectionConfig, ...]:
    """``[[sections]]`` -> SectionConfig, each problem at the line of its entry's header."""
    names = tuple(f.name for f in fields(SectionConfig))
    headers = source.headers("sections")
    sections: list[SectionConfig] = []
    for i, entry in enumerate(entries):
        where = headers[i] if i < len(headers) else source.line_of("sections")
        if not isinstance(entry, dict):
            source.add(where, "each [[sections]] entry must be a table")
            continue
        for key in entry:
            if key not in names:
                source.add(where, unknown(key, names, "section key"))
        missing = [k for k in names if not isinstance(entry.get(k), str) or not entry[k]]
        if missing:
            source.add(where, f"section {i + 1} needs {', '.join(missing)}")
            continue
        if not SLUG_RE.match(entry["key"]):
            source.add(where, f"section key '{entry['key']}' must be a-z, 0-9 and '-'")
        if any(s.key == entry["key"] for s in sections):
            source.add(where, f"duplicate section key '{entry['key']}'")
        sections.append(SectionConfig(**{k: entry[k] for k in names}))
    if not sections:
        source.add(source.line_of("sections"), "at least one [[sections]] entry is needed")
    return tuple(sections)


def _tag_slugs(table: dict[str, Any], source: Source) -> dict[str, str]:
    """``[tag_slugs]``: a valid slug for each tag, no slug chosen twice."""
    slugs: dict[str, str] = {}
    for tag, slug in table.items():
        line = source.line_of(tag, "tag_slugs")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            source.add(line, f"tag_slugs: slug for '{tag}' must be a-z, 0-9 and '-'")
        elif len(slug) > SLUG_MAX:
            source.add(line, f"tag_slugs: slug for '{tag}' must be {SLUG_MAX} characters at most")
        elif slug in slugs.values():
            source.add(line, f"tag_slugs: slug '{slug}' is used twice")
        else:
            slugs[tag] = slug
    return slugs


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    """The whole of ``site.toml``; see the README for each option."""

    title: str = required("the site's name: header, `<title>`, feeds, emails", _one_line)
    base_url: str = required(
        "where `site/` is published, ending in `/`; its path is where pages live; a Chinese"
        " host or path is used as the ASCII address it names (`xn--…`, `%E5…`)",
        _site_url,
        parse=_uri,
    )
    language: str = option(
        "zh-CN",
        "`<html lang>`, feeds' language: a language tag (`zh_CN` is read as `zh-CN`)",
        _language,
        parse=_language_tag,
    )
    author: str = option("", "feeds' author")
    description: str = option("", "home page lead and meta description")
    timezone: str = option(
        "Asia/Shanghai", "dates written without an offset are in this zone", _zone
    )
    issue_heading: str = option(
        "第{number}期", "how an issue is named; must contain `{number}`", _heading
    )
    per_page: int = option(10, "entries per home page and per tag page", _AT_LEAST_1)
    feed_limit: int = option(20, "entries per feed of the whole site", _AT_LEAST_1)
    tag_feed_limit: int = option(
        10, "entries per tag's feed (its page lists them all)", _AT_LEAST_1
    )
    feed_entry_kb: int = option(
        100,
        "a feed entry whose body is over this many KB carries its opening blocks up to that"
        " size and a link to read the rest on its page",
        _AT_LEAST_1,
    )
    footer: str = option("", "Markdown shown at the foot of every page and email")
    sections: tuple[SectionConfig, ...] = required(
        "the sections of an issue, in order", parse=_sections
    )
    tag_slugs: Mapping[str, str] = option({}, "a chosen slug per tag name", parse=_tag_slugs)
    fetch: FetchSettings = option(FetchSettings(), "how politely and how far the scraper goes")
    email: EmailSettings = option(EmailSettings(), "how the email issue is addressed and sent")
    summary: SummarySettings = option(SummarySettings(), "how automatic summaries are written")
    draft: DraftSettings = option(DraftSettings(), "what `digest new` writes")
    path: Path = Path("content/site.toml")  # where it was read from; not an option

    @property
    def tz(self) -> ZoneInfo:
        """The zone that dates without an offset are read in."""
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, e.g. ``/digest/``; pages link relative to it."""
        return urlsplit(self.base_url).path

    def inside(self, url: str) -> str | None:
        """The path below ``base_url`` of a URL on this site (``unsubscribe/``; query and
        fragment dropped), or None for a URL elsewhere."""
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if (
            parts.scheme not in ("http", "https")
            or parts.netloc.lower() != base.netloc.lower()
            or not parts.path.startswith(base.path)
        ):
            return None
        return parts.path[len(base.path) :]

    def issue_name(self, number: int) -> str:
        """``TB一周萃选[第7期]`` for issue 7."""
        return self.issue_heading.format(number=number)

    def section(self, name: str) -> SectionConfig | None:
        """The section whose key or heading is ``name``."""
        for s in self.sections:
            if name in (s.key, s.heading):
                return s
        return None


def _draft_sections(site: Mapping[str, Any], source: Source) -> None:
    """``[draft]`` section and rules name sections the site has."""
    keys = [s.key for s in site.get("sections", ())]
    draft: DraftSettings = site["draft"]
    for host, key in {"": draft.section, **draft.rules}.items():
        if key and keys and key not in keys:
            what = f"[draft] rule for '{host}'" if host else "[draft] section"
            message = f"{what}: unknown section '{key}' (known: {', '.join(keys)})"
            source.add(source.line_of(host or "section", "draft"), message)


def _one_click(site: Mapping[str, Any], source: Source) -> None:
    """``[email] unsubscribe_one_click`` declares an https ``unsubscribe_url`` (RFC 8058)."""
    email: EmailSettings = site["email"]
    if email.unsubscribe_one_click and not email.unsubscribe_url.startswith("https://"):
        source.add(
            source.line_of("unsubscribe_one_click", "email"),
            "[email] unsubscribe_one_click needs an https:// unsubscribe_url to post to (RFC 8058)",
        )


CROSS_CHECKS = (_draft_sections, _one_click)
"""Checks of one option against another, run on the values once every option is read."""


def every_option(cls: type = SiteConfig, table: str = "") -> Iterator[tuple[str, Declared]]:
    """``(table, option)`` for each option of site.toml, a table's options in its place."""
    for declared in options(cls):
        if declared.table:
            yield from every_option(declared.table, declared.key)
        elif get_origin(declared.kind) is tuple:  # [[sections]]: a list of tables
            yield from every_option(get_args(declared.kind)[0], declared.key)
        else:
            yield table, declared
