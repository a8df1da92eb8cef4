"""A WordPress post body as the blog showed it: shortcodes and paragraphs made HTML.

WordPress stores the classic editor's text as typed: paragraphs separated by blank lines
(``wpautop`` adds the ``<p>`` tags when a page is shown) and shortcodes such as
``[code lang="go"]…[/code]`` (SyntaxHighlighter and its kin, whose code is not escaped)
or ``[caption]<img …> text[/caption]``. Block-editor content (``<!-- wp:paragraph -->``)
is HTML already and only loses its block comments. What WordPress embeds (a URL alone in
a paragraph, an embed block, ``[embed]``: a video, a tweet) and a player of a file
(``[audio]``, ``[video]``) become a link to it. Any
other shortcode is left as text and named, so the report can say where to look.
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(
    r"\[(?P<tag>code|sourcecode|source|cc|php|bash|go|python|js|javascript)"
    r"(?P<attrs>(?:\s[^\]]*)?)\](?P<code>.*?)\[/(?P=tag)\]",
    re.S | re.I,
)
_LANG_ATTR = re.compile(r"""\b(?:lang|language)\s*=\s*["']?([\w+#.-]+)""", re.I)
_CAPTION = re.compile(r"\[caption(?P<attrs>[^\]]*)\](?P<body>.*?)\[/caption\]", re.S | re.I)
_IMG_OR_LINKED_IMG = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# What WordPress shows as an embedded player or post (oEmbed): a block's URL, a URL alone
# in its paragraph in the classic editor, an [embed] shortcode. Here it is a link to it.
_EMBED_BLOCK = re.compile(
    r'(<div class="wp-block-embed__wrapper">)\s*(https?://[^\s<"]+)\s*(</div>)'
)
_EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\]\s*(https?://[^\s\[<\"]+)\s*\[/embed\]", re.I)
# [audio src="…mp3"], [audio …mp3], [video mp4="…"]: a player of that file, a link here.
_MEDIA_SHORTCODE = re.compile(
    r"\[(?P<tag>audio|video)\b[^\]]*?(?P<url>https?://[^\s\]\"']+)[^\]]*\](?:\s*\[/(?P=tag)\])?",
    re.I,
)
_URL_ALONE = re.compile(r'https?://[^\s<>"]+')
_OTHER_SHORTCODE = re.compile(r"\[(?P<tag>[a-z][\w-]*)(?:\s[^\]]*)?\]")
_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|pre|ul|ol|li|h[1-6]|blockquote|table|figure|hr|dl|section|iframe|"
    r"video|audio|address|form|!--)\b",
    re.I,
)
# Shortcodes a WordPress blog may use whose meaning we cannot carry over.
_KNOWN_LOST = frozenset(
    {"gallery", "embed", "video", "audio", "playlist", "contact-form-7", "more", "toc"}
)


def _code(match: re.Match[str]) -> str:
    lang = _LANG_ATTR.search(match["attrs"])
    name = lang.group(1).lower() if lang else match["tag"].lower()
    if name in ("code", "sourcecode", "source", "cc"):
        name = ""
    code = html.escape(match["code"].strip("\n"), quote=False)
    cls = f' class="language-{name}"' if name else ""
    return f"<pre><code{cls}>{code}</code></pre>"


def _caption(match: re.Match[str]) -> str:
    found = _IMG_OR_LINKED_IMG.match(match["body"])
    if not found:
        return match["body"]
    return f"<figure>{found.group(1)}<figcaption>{found.group(2).strip()}</figcaption></figure>"


def _link(url: str) -> str:
    url = html.unescape(url)  # typed (&) or escaped (&amp;): the same URL
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'


def _autop(text: str) -> str:
    """``wpautop`` for what it matters here: each blank-line-separated chunk that does not
    start with a block element becomes a paragraph."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _URL_ALONE.fullmatch(chunk.strip()):  # WordPress embeds it: a link here
            chunk = _link(chunk.strip())
        out.append(chunk if _BLOCK_START.match(chunk) else f"<p>{chunk.strip()}</p>")
    return "\n\n".join(out)


def post_html(body: str) -> tuple[str, tuple[str, ...]]:
    """The body of a WordPress post as HTML, and the shortcodes left in it as text."""
    body = _CODE.sub(_code, body)
    body = _CAPTION.sub(_caption, body)
    body = _EMBED_SHORTCODE.sub(lambda m: _link(m[1]), body)
    body = _MEDIA_SHORTCODE.sub(lambda m: _link(m["url"]), body)
    body = _EMBED_BLOCK.sub(lambda m: m[1] + _link(m[2]) + m[3], body)
    blocks = "<!-- wp:" in body
    body = _BLOCK_COMMENT.sub("", body)
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:  # a <pre> keeps its blank lines
        kept.append(match.group())
        return f"\n\n<pre>\x00{len(kept) - 1}\x00</pre>\n\n"

    body = _PRE.sub(protect, body)
    if not blocks:
        body = _autop(body)
    body = re.sub(r"<pre>\x00(\d+)\x00</pre>", lambda m: kept[int(m.group(1))], body)
    outside_code = _PRE.sub("", body)
    left = sorted({m["tag"].lower() for m in _OTHER_SHORTCODE.finditer(outside_code)} & _KNOWN_LOST)
    notes = tuple(f"the shortcode [{tag}] was left as text" for tag in left)
    return body, notes
