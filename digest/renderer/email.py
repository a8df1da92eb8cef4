"""The email issue: HTML for mail clients, a plain-text part, and a ready ``.eml``.

The HTML comes from ``templates/email/`` (a single centred table, at most 600 px), not the
web templates. The issue's rendered body is adapted for mail: every link and image made
absolute, UTM parameters added when configured, images given ``width``/``height``/``alt``,
heading permalinks dropped, figures made plain blocks. Then every CSS rule is inlined
with css-inline, except one small ``<style>`` kept for dark mode and narrow screens.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import css_inline
import lxml.html
import mdurl
from jinja2 import Environment
from lxml.html import HtmlElement
from markupsafe import Markup

from digest.config import SiteConfig
from digest.errors import DigestError
from digest.model import Issue
from digest.renderer.documents import Doc, own_title
from digest.renderer.env import absolutize_once
from digest.renderer.markdown import DARK_STYLE, LIGHT_STYLE
from digest.renderer.palette import code_css
from digest.renderer.plaintext import html_to_text
from digest.text.urls import split_url

MAX_WIDTH = 600
CONTENT_WIDTH = 560  # MAX_WIDTH minus the padding of the content cell
NEAR_CLIP = 12 * 1024  # `digest email` and `digest check` warn this close to the clipping
INLINER = css_inline.CSSInliner()  # the defaults of css_inline.inline(), built once


@dataclass(frozen=True)
class Scheme:
    """What the code palette of one colour scheme of the email is made for: the text
    colour and the code blocks' background (templates/email/ takes both from here)."""

    text: str
    code_background: str

    def code_css(self, style: str, *, important: bool = False) -> str:
        """Pygments ``style`` for this scheme, every token readable (WCAG AA)."""
        return code_css(style, self.code_background, self.text, important=important)


LIGHT = Scheme(text="#1f2328", code_background="#f6f8fa")
DARK = Scheme(text="#e6e3dd", code_background="#2a2e35")


@dataclass(frozen=True)
class EmailIssue:
    """One issue as email: subject, preheader, HTML and plain text."""

    number: int
    subject: str
    preheader: str
    html: str
    text: str


def render_email(
    doc: Doc,
    site: SiteConfig,
    env: Environment,
    sizes: Mapping[str, tuple[int, int]],
    tree: HtmlElement | None = None,
) -> EmailIssue:
    """The email for the issue in ``doc``. ``sizes`` maps absolute image URLs to pixels;
    ``tree`` is the body as :func:`adapt_body` made it, when the caller has it already
    (its links are given back unchanged, so that the WeChat article can use it next)."""
    issue = doc.entry
    assert isinstance(issue, Issue)
    absolutize = env.filters["absolutize"]
    utm = _utm(site, issue.number)
    if tree is None:
        tree = adapt_doc(doc, env, sizes)
    links = [(a, a.get("href")) for a in tree.iter("a") if "href" in a.attrib]
    for anchor, href in links:
        anchor.set("href", utm(href))
    body = body_html(tree)
    plain = html_to_text(tree)
    for anchor, href in links:
        anchor.set("href", href)
    subject = email_subject(site.email.subject, doc.heading, own_title(issue, site), issue.number)
    preheader = issue.summary or doc.description
    context = {
        "doc": doc,
        "issue": issue,
        "subject": subject,
        "preheader": preheader,
        "body": Markup(body),
        "view_url": utm(site.base_url + doc.url),
        "unsubscribe": site.email.unsubscribe_url
        or (f"mailto:{site.email.unsubscribe_mailto}" if site.email.unsubscribe_mailto else ""),
        "footer_html": Markup(absolutize(str(env.globals["footer"]), "")),
        "css": Markup(env.get_template("email/email.css").render(light=LIGHT, dark=DARK)),
        "code_css": Markup(LIGHT.code_css(LIGHT_STYLE)),
        "dark": DARK,
        "dark_code_css": Markup(_used(DARK.code_css(DARK_STYLE, important=True), tree)),
    }
    html = env.get_template("email/issue.html").render(context)
    html = INLINER.inline(html)
    refuse_oversized(len(html.encode()), site, doc.source, issue.number)
    text_intro = [subject, "=" * 20, "", f"在浏览器中阅读：{context['view_url']}", ""]
    text = "\n".join(text_intro) + "\n" + plain
    if context["unsubscribe"]:
        text += f"\n退订：{context['unsubscribe']}\n"
    return EmailIssue(issue.number, subject, preheader, html, text)


_SEPARATORS = " \t:：|｜·•-–—,，、/"


def email_subject(pattern: str, heading: str, title: str, number: int) -> str:
    """``[email] subject`` filled in for an issue. Without a title of its own (``title``
    is "") the pattern's ``{title}`` goes with the separators that joined it to the rest,
    so that ``{heading}：{title}`` never says the heading twice."""
    if title:
        return pattern.format(heading=heading, title=title, number=number)
    before, _, after = pattern.format(heading=heading, title="\0", number=number).partition("\0")
    subject = before + after.lstrip(_SEPARATORS) if after.strip() else before.rstrip(_SEPARATORS)
    return subject.replace("\0", "").strip() or heading


def refuse_oversized(size: int, site: SiteConfig, source: Path, number: int) -> None:
    """Raise when issue ``number``'s email, ``size`` bytes of HTML, is over ``[email]
    max_kb``: no mail client shows such a message whole, and it would be copied into
    the .eml (twice its size) and sent to every recipient."""
    limit = site.email.max_kb
    if limit and size > limit * 1024:
        raise DigestError(
            f"{source}: the email of issue {number} is {kilobytes(size)} of HTML, over the"
            f" limit of {limit} KB ([email] max_kb); shorten the issue or raise the limit"
        )


def clipped(
    size: int, site: SiteConfig, source: Path, number: int, *, near: bool = False
) -> str | None:
    """A warning when issue ``number``'s email, ``size`` bytes of HTML, is over ``[email]
    clip_kb``, where Gmail shows only its start and hides the rest behind a link (with
    ``near``, also when it is within :data:`NEAR_CLIP` of it)."""
    limit = site.email.clip_kb
    if not limit or size <= limit * 1024 - (NEAR_CLIP if near else 0):
        return None
    what = f"{source}: the email of issue {number} is {kilobytes(size)} of HTML"
    if size > limit * 1024:
        return f"{what}; Gmail clips emails over {limit} KB ([email] clip_kb)"
    return f"{what}, close to Gmail's clipping at {limit} KB ([email] clip_kb)"


def kilobytes(size: int) -> str:
    """``98 KB``, ``15.2 MB`` (of 1,024)."""
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def preview_copy(mail: EmailIssue, site: SiteConfig, env: Environment) -> str:
    """The email's HTML as ``site/email/N.html`` has it: with a note above the email (after
    the hidden preheader), for the editor who opens the file from disk, that its images
    load from the site (the ``.eml`` and the messages sent have ``mail.html`` itself)."""
    start = mail.html.index("<table", mail.html.index("<body"))
    return f"{mail.html[:start]}{preview_note(site, env, mail.number)}{mail.html[start:]}"


def preview_note(site: SiteConfig, env: Environment, number: int) -> str:
    """The note :func:`preview_copy` adds to issue ``number``'s email."""
    note = env.get_template("email/preview.html").render(site=site, number=number)
    return note.strip() + "\n"


def sent_size(preview: int, site: SiteConfig, env: Environment, number: int) -> int:
    """The bytes of issue ``number``'s email as sent, from ``preview``, the size of
    ``site/email/N.html`` (the email and :func:`preview_note`)."""
    return preview - len(preview_note(site, env, number).encode())


def _used(css: str, tree: HtmlElement) -> str:
    """The rules of ``css`` (one a line, ``.highlight .<class> {…}``) for the classes of
    the code in ``tree``: the dark palette travels in every email's ``<style>``."""
    classes = {name for span in tree.iter("span") for name in (span.get("class") or "").split()}
    return "".join(line + "\n" for line in css.splitlines() if line.split(" ", 2)[1][1:] in classes)


def adapt_doc(doc: Doc, env: Environment, sizes: Mapping[str, tuple[int, int]]) -> HtmlElement:
    """``doc``'s body made absolute (once: not through the ``absolutize`` cache, see
    :func:`absolutize_once`) and adapted by :func:`adapt_body`."""
    return adapt_body(absolutize_once(env)(doc.body, doc.url), sizes)


def adapt_body(html: str, sizes: Mapping[str, tuple[int, int]]) -> HtmlElement:
    """The web body made fit for mail clients and editors (see the module docstring), as
    the ``<body>`` of an lxml tree: the email and the WeChat article each change its links
    their own way, then write it out with :func:`body_html`."""
    body = lxml.html.document_fromstring(html).body
    for anchor in body.find_class("anchor"):
        if anchor.tag == "a":
            anchor.drop_tree()  # the text after it stays
    for tag in body.iter("figure", "figcaption", "img"):
        if tag.tag == "figure":
            tag.tag = "div"
            tag.set("class", "figure")
        elif tag.tag == "figcaption":
            tag.tag = "p"
            tag.set("class", "caption")
        else:
            _adapt_image(tag, sizes)
    return body


def body_html(body: HtmlElement) -> str:
    """What is inside ``body``, written out by lxml."""
    html: str = lxml.html.tostring(body, encoding="unicode", with_tail=False)
    # Between the start tag, whatever its attributes, and the end tag.
    return html[html.index(">") + 1 : -len("</body>")]


def _adapt_image(img: HtmlElement, sizes: Mapping[str, tuple[int, int]]) -> None:
    """Give ``img`` the width and height it is shown at, an ``alt``, and mail-safe style."""
    # the body's Markdown writes 我的 图.png escaped, an item's figure as written: keys are
    # escaped (``_sizes``), and escaping again leaves an escape as it is
    width, height = sizes.get(mdurl.encode(img.get("src", "")), (CONTENT_WIDTH, 0))
    if width > CONTENT_WIDTH:
        width, height = CONTENT_WIDTH, round(height * CONTENT_WIDTH / width)
    img.set("width", str(width))
    if height:
        img.set("height", str(height))
    img.set("alt", img.get("alt") or "")
    # A percentage width lets the table cell shrink on phones (a bare max-width would
    # still push the cell to the image's pixel width); the cap keeps small images small.
    img.set(
        "style", f"display:block;width:100%;max-width:{width}px;height:auto;border:0;margin:0 auto;"
    )
    for attr in ("loading", "decoding"):
        img.attrib.pop(attr, None)


def _utm(site: SiteConfig, number: int) -> Callable[[str], str]:
    """What adds the configured UTM parameters for issue ``number`` to a URL (http(s)
    links only, existing ones kept)."""
    email = site.email
    params = {
        "utm_source": email.utm_source,
        "utm_medium": email.utm_medium,
        "utm_campaign": email.utm_campaign.format(number=number),
    }
    params = {k: v for k, v in params.items() if v}
    alone = urlencode(params)  # the query of a URL that had none

    def add(url: str) -> str:
        parts = split_url(url)  # None for http://[::1 in the editor's text: left as written
        if parts is None or not params or parts.scheme not in ("http", "https"):
            return url
        if not parts.query:
            return urlunsplit(parts._replace(query=alone))
        query = parse_qsl(parts.query, keep_blank_values=True)
        present = {k for k, _ in query}
        query += [(k, v) for k, v in params.items() if k not in present]
        return urlunsplit(parts._replace(query=urlencode(query)))

    return add


class _Headers(HeaderRegistry):
    """The standard header classes, each made once (``HeaderRegistry`` makes a new class
    every time it is asked for one: a good part of the cost of building a message)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        if name not in self._made:
            self._made[name] = super().__getitem__(name)
        return self._made[name]


_POLICY = SMTP.clone(header_factory=_Headers())
_POLICY_UTF8 = _POLICY.clone(utf8=True)


def build_eml(mail: EmailIssue, site: SiteConfig, issue: Issue, *, to: str | None = None) -> bytes:
    """A ``multipart/alternative`` message. Without ``to`` it is the template handed to a
    sending service: same bytes on every build (date, Message-ID and boundary derive
    from the issue, not the clock)."""
    host = urlsplit(site.base_url).hostname or "localhost"
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = mail.subject
    msg["From"] = from_header(site)
    msg["To"] = to or "undisclosed-recipients:;"
    if site.email.reply_to:
        msg["Reply-To"] = site.email.reply_to
    msg["Date"] = format_datetime(issue.date)
    who = hashlib.sha256((to or "").encode()).hexdigest()[:12]
    msg["Message-ID"] = f"<issue-{issue.number}.{who}@{host}>"
    unsubscribe = []
    if site.email.unsubscribe_mailto:
        unsubscribe.append(f"<mailto:{site.email.unsubscribe_mailto}?subject=unsubscribe>")
    if site.email.unsubscribe_url:
        unsubscribe.append(f"<{site.email.unsubscribe_url}>")
    if unsubscribe:
        msg["List-Unsubscribe"] = ", ".join(unsubscribe)
    if site.email.unsubscribe_url and site.email.unsubscribe_one_click:
        # Only when declared: a client that posts to a URL that cannot take the POST (a
        # static page answers 405) tells the reader they have left when they have not.
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # The headers come from the email package (encoded words, folding); the body, two
    # base64 parts, is written here: the package's generator, which writes line by line,
    # took a tenth of a cold build for the same parts.
    digest = hashlib.sha256(mail.html.encode() + mail.text.encode()).hexdigest()[:24]
    boundary = f"=_digest_{digest}"
    # the headers, then the blank line that ends them; in UTF-8 for a recipient whose
    # name is not ASCII (such a message is sent with SMTPUTF8, RFC 6532)
    head = msg.as_bytes(policy=_POLICY_UTF8 if to and not to.isascii() else _POLICY)
    assert head.endswith(b"\r\n\r\n")
    parts = [
        head[:-2],
        f'MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary="{boundary}"'
        "\r\n\r\n".encode(),
    ]
    for subtype, text in (("plain", mail.text), ("html", mail.html)):
        parts += [
            f'--{boundary}\r\nContent-Type: text/{subtype}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n".encode(),
            # MIME text is canonical with CRLF line ends before it is encoded
            base64.encodebytes(b"\r\n".join(text.encode().splitlines()) + b"\r\n").replace(
                b"\n", b"\r\n"
            ),
        ]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def from_header(site: SiteConfig) -> str:
    """``[email] from``, or the site's title at ``newsletter@<site host>``."""
    host = urlsplit(site.base_url).hostname or "localhost"
    return site.email.sender or formataddr((site.title, f"newsletter@{host}"))


def address_of(value: str) -> str:
    """The bare address in ``Name <addr>`` (or the value itself)."""
    return parseaddr(value)[1]


def leave_address(site: SiteConfig) -> str:
    """Where a reader writes to leave: ``unsubscribe_mailto``, else ``reply_to``, else the
    sender's address."""
    email = site.email
    return email.unsubscribe_mailto or address_of(email.reply_to) or address_of(from_header(site))
