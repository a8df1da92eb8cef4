"""Every text colour of the email reaches WCAG AA (4.5:1) on its background, light and dark.

Computed from the built emails as a mail client reads them: the inlined ``style``
attributes give the light scheme; for the dark one, the rules of the ``@media
(prefers-color-scheme: dark)`` block of the email's ``<style>`` apply on top, those marked
``!important`` beating the inline styles (which is how they reach the inlined colours of
the code's tokens). The WCAG formula is written out again here rather than imported, so a
mistake in digest/renderer/palette.py is not shared by its test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString
from pygments.token import STANDARD_TYPES

from digest.renderer.email import DARK, LIGHT
from digest.renderer.markdown import DARK_STYLE, LIGHT_STYLE

AA = 4.5
ISSUES = [1, 2, 3, 4]
HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d + d for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula() -> None:
    assert ratio("#000", "#fff") == pytest.approx(21)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just short of AA
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@dataclass(frozen=True)
class Rule:
    selector: str
    specificity: tuple[int, int, int]
    order: int
    declarations: dict[str, tuple[str, bool]]  # property -> (value, important)


def declarations(text: str) -> dict[str, tuple[str, bool]]:
    found = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon:
            important = "!important" in value
            found[name.strip().lower()] = (value.replace("!important", "").strip(), important)
    return found


def specificity(selector: str) -> tuple[int, int, int]:
    ids = len(re.findall(r"#[\w-]+", selector))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]*\]|:(?!:)[\w-]+", selector))
    types = len(re.findall(r"(?:^|[\s>+~])[a-zA-Z][\w-]*", selector))
    return ids, classes, types


def dark_rules(soup: BeautifulSoup) -> list[Rule]:
    """The rules inside ``@media (prefers-color-scheme: dark)``, in order."""
    css = "".join(style.get_text() for style in soup.find_all("style"))
    start = css.index("{", css.index("prefers-color-scheme: dark")) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    rules: list[Rule] = []
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", css[start : end - 1]):
        for selector in m[1].split(","):
            selector = selector.strip()
            rules.append(Rule(selector, specificity(selector), len(rules), declarations(m[2])))
    return rules


class Cascade:
    """Computed ``color`` and background of elements, inline styles plus (``dark``) the
    dark-mode rules."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def value(self, element: Tag, names: tuple[str, ...]) -> str | None:
        matching = [r for r in self.rules if element.css.match(r.selector)]
        ranked = sorted(matching, key=lambda r: (r.specificity, r.order), reverse=True)
        inline = declarations(str(element.get("style", "")))
        declared = [r.declarations[n] for r in ranked for n in names if n in r.declarations]
        candidates = [
            *[d for d in declared if d[1]],  # !important beats inline styles
            *[inline[n] for n in names if n in inline],
            *declared,
        ]
        return candidates[0][0] if candidates else None

    def colour(self, element: Tag) -> str:
        for node in [element, *element.parents]:
            if isinstance(node, Tag) and (value := self.value(node, ("color",))):
                assert HEX.fullmatch(value), f"a colour the test cannot read: {value!r}"
                return value
        return "#000000"  # what a mail client shows text in when nothing says otherwise

    def background(self, element: Tag) -> str:
        for node in [element, *element.parents]:
            if isinstance(node, Tag):
                value = self.value(node, ("background-color", "background")) or ""
                if found := HEX.search(value):
                    return found[0]
                assert value in ("", "transparent", "none"), f"unreadable background {value!r}"
        return "#ffffff"


def hidden(element: Tag) -> bool:
    return any(
        "display:none" in str(node.get("style", "")).replace(" ", "")
        for node in [element, *element.parents]
        if isinstance(node, Tag)
    )


def own_text(element: Tag) -> str:
    return "".join(
        str(child)
        for child in element.children
        if isinstance(child, NavigableString) and not isinstance(child, Comment)
    ).strip()


def shortfalls(soup: BeautifulSoup, cascade: Cascade) -> list[str]:
    assert soup.body is not None
    found = []
    for element in soup.body.find_all(True):
        text = own_text(element)
        if not text or hidden(element):
            continue
        fg, bg = cascade.colour(element), cascade.background(element)
        if ratio(fg, bg) < AA:
            where = ".".join([element.name, *(element.get("class") or [])])
            found.append(f"<{where}> {text[:16]!r}: {fg} on {bg}, {ratio(fg, bg):.2f}:1")
    return found


@pytest.mark.parametrize("n", ISSUES)
def test_every_text_colour_of_the_email_reaches_aa_light_and_dark(
    sample_site: Path, n: int
) -> None:
    soup = BeautifulSoup((sample_site / "email" / f"{n}.html").read_text("utf-8"), "lxml")
    rules = dark_rules(soup)
    assert rules, "the email has dark-mode rules"
    assert soup.select(".highlight span[class]"), "the issue shows highlighted code"
    assert shortfalls(soup, Cascade([])) == [], "light"
    assert shortfalls(soup, Cascade(rules)) == [], "dark"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_class_of_the_code_palettes_reaches_aa(scheme: str) -> None:
    """Every Pygments token class, not only those the sample's code uses, as the email
    (and the WeChat article, light) colours it, on the code background it is shown on."""
    if scheme == "light":
        css, background = LIGHT.code_css(LIGHT_STYLE), LIGHT.code_background
    else:
        css, background = DARK.code_css(DARK_STYLE, important=True), DARK.code_background
    classes = {name for name in STANDARD_TYPES.values() if name}
    seen = set()
    for selector, body in re.findall(r"\.highlight \.([\w-]+) \{([^}]*)\}", css):
        seen.add(selector)
        values = declarations(body)
        ground = values.get("background-color", (background, False))[0]
        if "color" in values:
            assert ratio(values["color"][0], ground) >= AA, (selector, values)
    if scheme == "dark":  # each must beat the light colour inlined on the token
        assert seen == classes
        assert "!important" in css and css.count("color:") == css.count("!important")


@pytest.mark.parametrize("n", ISSUES)
def test_code_wraps_at_spaces_not_inside_words(sample_site: Path, n: int) -> None:
    soup = BeautifulSoup((sample_site / "email" / f"{n}.html").read_text("utf-8"), "lxml")
    blocks = soup.find_all("pre")
    assert blocks
    for pre in blocks:
        style = str(pre.get("style", "")).replace(" ", "")
        assert "white-space:pre-wrap" in style
        assert "word-break:break-all" not in style
    for code in soup.find_all("code"):
        assert "break-all" not in str(code.get("style", "")), code
