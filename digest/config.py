"""``content/site.toml`` -> a frozen, typed :class:`SiteConfig`.

Every option is declared once, in :data:`_OPTIONS`, with its type and default; unknown keys
are errors, and every problem in the file is reported in one run.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import ContentError, Location, Problem, Problems

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SectionConfig:
    """One section of every issue: ``key`` in the Markdown, ``heading`` on the page."""

    key: str
    heading: str
    link_label: str


@dataclass(frozen=True)
class FetchSettings:
    """``[fetch]``: how politely and how far the scraper goes (see the README)."""

    concurrency: int = 32
    per_host: int = 2
    host_delay: float = 0.1
    timeout: float = 30.0
    retries: int = 2
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    recheck_days: float = 30.0
    cache: str = ".cache/digest.sqlite"


@dataclass(frozen=True)
class EmailSettings:
    """``[email]``: how the email issue is addressed and sent (see the README)."""

    sender: str = ""  # "From"; written `from` in site.toml
    reply_to: str = ""
    subject: str = "{heading}：{title}"
    unsubscribe_url: str = ""
    unsubscribe_mailto: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""  # may use {number}
    recipients: str = "subscribers.txt"  # one address a line; keep it out of content/
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_security: str = "starttls"  # starttls, ssl or none
    password_env: str = "DIGEST_SMTP_PASSWORD"  # the password itself never goes in a file
    rate_per_minute: int = 60
    retries: int = 3
    send_log: str = ".digest/send-log.sqlite"


@dataclass(frozen=True)
class SummarySettings:
    """``[summary]``: how long automatic summaries are and who writes them (see the README)."""

    budget_cjk: int = 120  # characters, for Chinese and Japanese pages
    budget_words: int = 50  # words, for the others
    command: str = ""  # an external summariser: page text on stdin, summary on stdout
    timeout: float = 60.0


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DraftSettings:
    """``[draft]``: what ``digest new`` writes (see the README)."""

    weekday: str = "friday"  # the publishing day; a draft is dated the next one
    time: str = "08:30"
    title: str = ""  # may use {number}; empty means issue_heading
    section: str = ""  # where an item goes when nothing else decides; empty: the first
    max_tags: int = 3  # suggested tags per item
    rules: Mapping[str, str] = field(default_factory=dict)  # host (or host/path) -> section


@dataclass(frozen=True)
class SiteConfig:
    """The whole of ``site.toml``; see the README for each option."""

    title: str
    base_url: str
    language: str
    author: str
    description: str
    timezone: str
    issue_heading: str
    per_page: int
    feed_limit: int
    footer: str
    sections: tuple[SectionConfig, ...]
    tag_slugs: Mapping[str, str] = field(default_factory=dict)
    fetch: FetchSettings = FetchSettings()
    email: EmailSettings = EmailSettings()
    summary: SummarySettings = SummarySettings()
    draft: DraftSettings = DraftSettings()
    path: Path = Path("content/site.toml")

    @property
    def tz(self) -> ZoneInfo:
        """The zone that dates without an offset are read in."""
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, e.g. ``/digest/``; pages link relative to it."""
        return urlsplit(self.base_url).path

    def issue_name(self, number: int) -> str:
        """``TB一周萃选[第7期]`` for issue 7."""
        return self.issue_heading.format(number=number)

    def section(self, name: str) -> SectionConfig | None:
        """The section whose key or heading is ``name``."""
        for s in self.sections:
            if name in (s.key, s.heading):
                return s
        return None


# option -> (type, default); a default of None means the option is required.
_OPTIONS: dict[str, tuple[type, Any]] = {
    "title": (str, None),
    "base_url": (str, None),
    "language": (str, "zh-CN"),
    "author": (str, ""),
    "description": (str, ""),
    "timezone": (str, "Asia/Shanghai"),
    "issue_heading": (str, "第{number}期"),
    "per_page": (int, 10),
    "feed_limit": (int, 20),
    "footer": (str, ""),
    "sections": (list, None),
    "tag_slugs": (dict, {}),
    "fetch": (dict, {}),
    "email": (dict, {}),
    "summary": (dict, {}),
    "draft": (dict, {}),
}
_SECTION_KEYS = ("key", "heading", "link_label")


def load_config(path: Path) -> SiteConfig:
    """Read and validate ``site.toml``; raise ContentError listing every problem."""
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except OSError as exc:
        message = f"cannot read site config: {exc.strerror}"
        raise ContentError([Problem(Location(path), message)]) from exc
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(Location(path), "site config is not UTF-8 text")]) from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        at = Location(path, int(m.group(1)) if m else None)
        raise ContentError([Problem(at, f"invalid TOML: {exc}")]) from exc
    lines = text.splitlines()

    def line_of(key: str, table: str | None = None) -> int | None:
        """The line defining ``key``, looked for below ``[table]`` when one is given."""
        pattern = re.compile(rf"^\s*(\[+\s*)?\"?{re.escape(key)}\"?\s*[=\].]")
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*[\].]")
            start = next((i for i, line in enumerate(lines) if header.match(line)), 0)
        for i, line in enumerate(lines[start:], start=start + 1):
            if pattern.match(line):
                return i
        return None

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _OPTIONS:
            problems.add(path, line_of(key), _unknown(key, _OPTIONS, "site.toml key"))
            continue
        kind, _ = _OPTIONS[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.add(path, line_of(key), f"'{key}' must be a {_TYPE_NAMES[kind]}")
            continue
        values[key] = value
    for key, (_, default) in _OPTIONS.items():
        if key not in values and key not in raw:
            if default is None:
                problems.add(path, None, f"missing required key '{key}'")
            else:
                values[key] = default

    base_url = values.get("base_url", "")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or not base_url.endswith("/"):
            problems.add(
                path, line_of("base_url"), f"base_url '{base_url}' must be http(s)://host/…/"
            )
    try:
        ZoneInfo(values.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(path, line_of("timezone"), f"unknown timezone '{values['timezone']}'")
    for key in ("per_page", "feed_limit"):
        if key in values and values[key] < 1:
            problems.add(path, line_of(key), f"'{key}' must be at least 1")
    heading = values.get("issue_heading", "")
    if "{number}" not in heading:
        problems.add(path, line_of("issue_heading"), "issue_heading must contain '{number}'")

    sections: list[SectionConfig] = []
    headers = [i for i, line in enumerate(lines, 1) if re.match(r"^\s*\[\[\s*sections\s*]]", line)]
    for i, entry in enumerate(values.get("sections", [])):
        where = headers[i] if i < len(headers) else line_of("sections")
        if not isinstance(entry, dict):
            problems.add(path, where, "each [[sections]] entry must be a table")
            continue
        for key in entry:
            if key not in _SECTION_KEYS:
                problems.add(path, where, _unknown(key, _SECTION_KEYS, "section key"))
        missing = [k for k in _SECTION_KEYS if not isinstance(entry.get(k), str) or not entry[k]]
        if missing:
            problems.add(path, where, f"section {i + 1} needs {', '.join(missing)}")
            continue
        if not SLUG_RE.match(entry["key"]):
            problems.add(path, where, f"section key '{entry['key']}' must be a-z, 0-9 and '-'")
        if any(s.key == entry["key"] for s in sections):
            problems.add(path, where, f"duplicate section key '{entry['key']}'")
        sections.append(SectionConfig(entry["key"], entry["heading"], entry["link_label"]))
    if "sections" in values and not sections:
        problems.add(path, line_of("sections"), "at least one [[sections]] entry is needed")

    tag_slugs: dict[str, str] = {}
    for tag, slug in values.get("tag_slugs", {}).items():
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.add(
                path, line_of(tag), f"tag_slugs: slug for '{tag}' must be a-z, 0-9 and '-'"
            )
        elif slug in tag_slugs.values():
            problems.add(path, line_of(tag), f"tag_slugs: slug '{slug}' is used twice")
        else:
            tag_slugs[tag] = slug

    fetch = _table(FetchSettings, "fetch", values.get("fetch", {}), path, line_of, problems)
    email = _table(EmailSettings, "email", values.get("email", {}), path, line_of, problems)
    if email.smtp_security not in ("starttls", "ssl", "none"):
        problems.add(
            path,
            line_of("smtp_security", "email"),
            "[email] smtp_security must be starttls, ssl or none",
        )
    if email.sender and "@" not in email.sender:
        problems.add(
            path, line_of("from", "email"), f"[email] from '{email.sender}' has no address"
        )

    summary = _table(SummarySettings, "summary", values.get("summary", {}), path, line_of, problems)
    for key in ("budget_cjk", "budget_words"):
        if getattr(summary, key) < 1:
            problems.add(path, line_of(key, "summary"), f"[summary] {key} must be at least 1")
    draft = _table(DraftSettings, "draft", values.get("draft", {}), path, line_of, problems)
    if draft.weekday not in WEEKDAYS:
        problems.add(
            path,
            line_of("weekday", "draft"),
            f"[draft] weekday must be one of {', '.join(WEEKDAYS)}",
        )
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", draft.time):
        problems.add(path, line_of("time", "draft"), "[draft] time must be HH:MM")
    if draft.title and "{number}" not in draft.title:
        problems.add(path, line_of("title", "draft"), "[draft] title must contain '{number}'")
    keys = [s.key for s in sections]
    for host, key in {"": draft.section, **draft.rules}.items():
        if key and sections and key not in keys:
            what = f"[draft] rule for '{host}'" if host else "[draft] section"
            problems.add(
                path,
                line_of(host or "section", "draft"),
                f"{what}: unknown section '{key}' (known: {', '.join(keys)})",
            )

    problems.raise_if_any()
    values["fetch"] = fetch
    values["email"] = email
    values["summary"] = summary
    values["draft"] = draft
    values["sections"] = tuple(sections)
    values["tag_slugs"] = tag_slugs
    return SiteConfig(**values, path=path)


_TYPE_NAMES = {str: "string", int: "whole number", list: "list", dict: "table", float: "number"}


T = TypeVar("T", FetchSettings, EmailSettings, SummarySettings, DraftSettings)
_RENAMED = {"from": "sender"}  # site.toml spelling -> field name


def _table(
    kind: type[T],
    name: str,
    raw: dict[str, Any],
    path: Path,
    line_of: Callable[[str, str | None], int | None],
    problems: Problems,
) -> T:
    """A ``[name]`` table -> ``kind``: known keys only, values of the default's type."""
    defaults = kind()
    known = [k for k in kind.__dataclass_fields__ if k not in _RENAMED.values()]
    known += [k for k, field_name in _RENAMED.items() if field_name in kind.__dataclass_fields__]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        field_name = _RENAMED.get(key, key)
        if key not in known:
            problems.add(path, line_of(key, name), _unknown(key, tuple(known), f"[{name}] key"))
            continue
        expected = type(getattr(defaults, field_name))
        if expected is dict:  # a table of strings, e.g. [draft.rules]
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                problems.add(path, line_of(key, name), f"[{name}.{key}] values must be strings")
            else:
                values[field_name] = value
            continue
        ok = (
            isinstance(value, str)
            if expected is str
            else (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and value >= 0
                and (expected is float or isinstance(value, int))
            )
        )
        if not ok:
            bound = "" if expected is str else " of at least 0"
            message = f"[{name}] {key} must be a {_TYPE_NAMES[expected]}{bound}"
            problems.add(path, line_of(key, name), message)
            continue
        values[field_name] = value
    return kind(**values)


def _unknown(key: str, known: Mapping[str, object] | tuple[str, ...], what: str) -> str:
    """``unknown site.toml key 'titel' (did you mean 'title'?)``."""
    names = list(known)
    close = difflib.get_close_matches(key, names, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(names)}"
    return f"unknown {what} '{key}' ({hint})"
