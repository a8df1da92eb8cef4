"""The next issue's draft written out as Markdown, through ``templates/draft/issue.md``."""

from __future__ import annotations

import re
from pathlib import Path

from digest.config import SiteConfig
from digest.model.draft import Draft
from digest.model.notes import NOTE, PLACEHOLDERS
from digest.renderer.env import make_env
from digest.text.mdsyntax import md_title, md_url, yaml_quote


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
