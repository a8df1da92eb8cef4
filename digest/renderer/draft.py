"""The next issue's draft written out as Markdown, through ``templates/draft/issue.md``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from digest.config import SiteConfig
from digest.model.draft import Draft
from digest.model.notes import NOTE, PLACEHOLDERS
from digest.renderer.env import make_env


def render_draft(draft: Draft, site: SiteConfig, templates: Path) -> str:
    """The draft as Markdown, through ``templates/draft/issue.md``."""
    env = make_env(templates, site)
    env.filters.update(md_text=md_text, md_title=md_title, md_url=md_url, yaml_quote=yaml_quote)
    return env.get_template("draft/issue.md").render(
        draft=draft, note=NOTE, placeholder=PLACEHOLDERS
    )


def md_text(text: str) -> str:
    """Scraped text as one Markdown paragraph that renders as exactly that text.

    HTML is neutralised with entities (Markdown has no backslash escape for ``<``), Markdown
    punctuation with backslashes, and a start that would read as a heading, list, quote or
    the item's tag line is defused.
    """
    text = " ".join(text.split())
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    text = re.sub(r"^([#+-])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(
        r"^(标签|tags)(\s*)([:：])",
        lambda m: f"{m[1]}{m[2]}&#{ord(m[3])};",
        text,
        flags=re.IGNORECASE,
    )


def md_title(title: str) -> str:
    """A title for ``### [title](url)``: one line, and no ``](`` to end the link text early.

    No escaping beyond that: item titles are shown as text by the page templates, which
    escape them, not rendered as Markdown.
    """
    return " ".join(title.split()).replace("](", "] (")


def md_url(url: str) -> str:
    """A URL that cannot end the ``(…)`` of a Markdown link early."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)
