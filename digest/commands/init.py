"""``digest init``: a new digest project in a folder, from the starter files in the package.

The files are package data (``digest/starter/``); ``*.in`` files have ``$name`` fields
filled from :class:`Starter` (``string.Template``: the workflow's ``${{ … }}`` stays
untouched because it is not a ``.in`` file). Nothing is ever overwritten: each file is
created only if it does not exist (``open(…, "x")``).
"""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from digest.content.tags import slugify
from digest.errors import DigestError
from digest.text.urls import url_fault

# What init writes, project path -> starter path (dot files are stored without their dot:
# packaging tools skip dot files when they collect package data).
FILES = (
    ("content/site.toml", "content/site.toml.in"),
    ("content/issues/0001.md", "content/issues/0001.md.in"),
    ("content/inbox.md", "content/inbox.md"),
    ("content/sources.toml", "content/sources.toml"),
    (".gitignore", "gitignore"),
    (".github/workflows/publish.yml", "github/workflows/publish.yml"),
)

# The sample's sections; a heading of the editor's own gets a key from its pinyin and a
# plain link label.
KNOWN_SECTIONS = {
    "一周文章精粹": ("articles", "文章链接"),
    "一周资料分享": ("resources", "资料分享链接"),
    "一周工具推荐": ("tools", "工具链接"),
    "一周图书推荐": ("books", "图书链接"),
}
DEFAULT_SECTIONS = tuple(KNOWN_SECTIONS)
# What a fresh git repository holds, which does not make a folder "not empty".
IGNORED = frozenset({".git"})
_PATH_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass(frozen=True)
class Starter:
    """The answers ``digest init`` writes into ``content/site.toml`` and the first issue."""

    today: date
    title: str = "技术周刊"
    base_url: str = "https://example.github.io/weekly/"
    language: str = "zh-CN"
    author: str = ""
    email: str = ""  # the sender's address; empty: digest's default (newsletter@<host>)
    sections: tuple[str, ...] = field(default=DEFAULT_SECTIONS)


@dataclass(frozen=True)
class Initialized:
    """What ``digest init`` did: the files written, and those kept as they were."""

    folder: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]


def default_base_url(folder: Path) -> str:
    """A GitHub Pages address named after the folder (``weekly`` when its name would not
    do as a path): ``https://example.github.io/weekly/``, to be edited before publishing."""
    name = folder.resolve().name.lower()
    return f"https://example.github.io/{name if _PATH_NAME.fullmatch(name) else 'weekly'}/"


def problem(name: str, value: str) -> str | None:
    """Why an answer cannot go into site.toml (None when it can): asked again on a
    terminal, a usage error from a flag."""
    if name == "base_url":
        fault = url_fault(value)
        if fault or urlsplit(value).scheme not in ("http", "https"):
            return f"'{value}' is not an http(s) URL" + (f" ({fault})" if fault else "")
    elif name == "email" and value and "@" not in value:
        return f"'{value}' is not an email address"
    elif name == "sections" and not split_sections(value):
        return "at least one section is needed"
    elif not value.strip() and name in ("title", "language"):
        return f"the {name} cannot be empty"
    return None


def split_sections(text: str) -> tuple[str, ...]:
    """Section headings given as one line: ``一周文章精粹, 一周工具推荐`` (or ``，``/``、``)."""
    for comma in "，、":
        text = text.replace(comma, ",")
    return tuple(dict.fromkeys(h.strip() for h in text.split(",") if h.strip()))


def refuse(folder: Path, *, force: bool) -> None:
    """Stop unless ``folder`` can take a new project: a folder, empty but for ``.git``
    (or anything, with ``force``)."""
    if folder.is_symlink() and not folder.exists():
        raise DigestError(f"{folder}: a link to {os.readlink(folder)}, which is not there")
    if not folder.exists():
        return
    if not folder.is_dir():
        raise DigestError(f"{folder}: not a folder")
    present = sorted(p.name for p in folder.iterdir() if p.name not in IGNORED)
    if present and not force:
        shown = ", ".join(present[:5]) + (", …" if len(present) > 5 else "")
        raise DigestError(
            f"{folder}: not empty ({shown}); digest init starts a project in an empty folder"
            " (--force writes the files that are missing and keeps every file there)"
        )


def init(folder: Path, starter: Starter, *, force: bool = False) -> Initialized:
    """Write a new project into ``folder``: refuse one with files in it unless ``force``,
    and even then never overwrite a file."""
    refuse(folder, force=force)
    fields = _fields(starter)
    written, kept = [], []
    for target, source in FILES:
        text = _starter_text(source)
        if source.endswith(".in"):
            text = string.Template(text).substitute(fields)
        path = folder / target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # not FileExistsError of the file: nothing of it is there
            raise DigestError(f"{path.parent}: cannot make this folder ({exc.strerror})") from exc
        try:
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except FileExistsError:
            kept.append(target)
            continue
        except OSError as exc:
            raise DigestError(f"{path}: cannot write it ({exc.strerror})") from exc
        written.append(target)
    return Initialized(folder, tuple(written), tuple(kept))


def _starter_text(name: str) -> str:
    return (importlib.resources.files("digest") / "starter" / name).read_text(encoding="utf-8")


def _toml(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(value, ensure_ascii=False)


def _fields(starter: Starter) -> dict[str, str]:
    """The ``$name`` values of the ``.in`` files."""
    base_url = starter.base_url if starter.base_url.endswith("/") else starter.base_url + "/"
    headings = starter.sections or DEFAULT_SECTIONS
    sender = f"{starter.title} <{starter.email or 'weekly@example.com'}>"
    mailto = starter.email or "unsubscribe@example.com"
    unset = "" if starter.email else "# "  # no address given: digest's defaults, shown
    return {
        "title": _toml(starter.title),
        "base_url": _toml(base_url),
        "language": _toml(starter.language),
        "author": _toml(starter.author),
        "description": _toml("每周挑选值得一读的技术文章、资料、工具和图书，附上编者的点评。"),
        "issue_heading": _toml(f"{starter.title}[第{{number}}期]"),
        "footer": _toml("本站由 `digest` 生成。"),
        "sections": _sections_toml(headings),
        "from_line": f"{unset}from = {_toml(sender)}",
        "mailto_line": f"{unset}unsubscribe_mailto = {_toml(mailto)}",
        "unsubscribe_url": _toml(base_url + "unsubscribe/"),
        "date": starter.today.isoformat(),
        "first_heading": headings[0],
    }


def _sections_toml(headings: tuple[str, ...]) -> str:
    """``[[sections]]`` tables for the headings, with keys unique."""
    out, keys = [], set()
    for heading in headings:
        key, label = KNOWN_SECTIONS.get(heading, (slugify(heading), "链接"))
        base, n = key, 2
        while key in keys:  # 工具 and 工具！ both give gong-ju
            key, n = f"{base}-{n}", n + 1
        keys.add(key)
        out.append(
            f"[[sections]]\nkey = {_toml(key)}\nheading = {_toml(heading)}\n"
            f"link_label = {_toml(label)}\n"
        )
    return "\n".join(out)
