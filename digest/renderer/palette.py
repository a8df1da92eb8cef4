"""Code colours a reader can read: a Pygments style made to reach WCAG AA on a background.

Pygments' styles are drawn for their own backgrounds, and few reach 4.5:1 on every token
even there; the email and the WeChat article show code on backgrounds of their own, and
the email's dark mode on a dark one (the default style's keywords reached 2.65:1 there).
So each colour of a style that falls short of :data:`AA` against the background it is
shown on is mixed toward black (on a light background) or white (on a dark one), a step at
a time, until it reaches it: the hues stay those of the style.
"""

from __future__ import annotations

from functools import lru_cache

from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES

AA = 4.5  # WCAG 2 level AA for normal text


def _rgb(colour: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` as three integers."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """The relative luminance of a ``#hex`` colour (WCAG 2)."""
    linear = [c / 255 for c in _rgb(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in linear]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two ``#hex`` colours, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: str, background: str, minimum: float = AA) -> str:
    """``colour`` (``#rrggbb``), or the nearest mix of it toward black or white (whichever
    is farther from ``background``) that reaches ``minimum`` against ``background``."""
    target = 0 if luminance(background) > 0.18 else 255  # 0.18: black and white tie there
    rgb = _rgb(colour)
    for step in range(101):
        mixed = tuple(round(c + (target - c) * step / 100) for c in rgb)
        candidate = "#{:02x}{:02x}{:02x}".format(*mixed)
        if contrast(candidate, background) >= minimum:
            return candidate
    raise AssertionError(f"no mix of {colour} reaches {minimum}:1 on {background}")


@lru_cache(maxsize=8)  # a pure function of constant styles and colours
def code_css(style: str, background: str, text: str, *, important: bool = False) -> str:
    """CSS for Pygments' token classes below ``.highlight`` in ``style``, every colour
    readable on ``background``. With ``important`` (for a dark mode that must beat the
    light colours inlined on each token) every class gets a colour, ``text`` for the
    tokens the style leaves uncoloured, and each colour is ``!important``."""
    styles = get_style_by_name(style)
    suffix = " !important" if important else ""
    rules = []
    for token, name in sorted(STANDARD_TYPES.items(), key=lambda pair: pair[1]):
        if not name:
            continue  # plain text: the block's own colour
        spec = styles.style_for_token(token)
        ground = f"#{spec['bgcolor']}" if spec["bgcolor"] else background
        declared = f"#{spec['color']}" if spec["color"] else (text if important else "")
        declarations = []
        if declared:
            declarations.append(f"color: {readable(declared, ground)}{suffix}")
        if spec["bgcolor"]:
            declarations.append(f"background-color: {ground}{suffix}")
        if spec["bold"] and not important:  # the light rules, inlined, already hold these
            declarations.append("font-weight: bold")
        if spec["italic"] and not important:
            declarations.append("font-style: italic")
        if declarations:
            rules.append(f".highlight .{name} {{ {'; '.join(declarations)} }}")
    return "\n".join(rules) + "\n"
