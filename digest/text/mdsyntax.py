"""Writing Markdown and front matter that read back as what was meant: link titles and
URLs that cannot end a link early, and YAML strings that need no thought about quoting.
Shared by the writers of Markdown: ``digest new``'s draft and ``digest import``."""

from __future__ import annotations

import json


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
