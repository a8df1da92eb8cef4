"""The label lines that close an article's text: the page's links, not the article.

News and blog templates end the story with short lines that label a few links: "Tags: …",
"Filed under: …", "Related Roundup: …", "Buyer's Guide: …", or head a list of other posts
("Related Posts", "You might also like", a plugin's "No related posts."). Inside the container they
survive the pruning, since nothing names them as furniture. They are cut here from the end
of the text only, while the last line is one: in the middle of a story, "Related: …" is
the story's.

A "Related" heading ("Related Posts", "Related Content", "You may also like") goes with
every line after it when each of them is short (:data:`LISTED_MAX`): the other posts'
headlines as plain lines, a newsletter box, where its links were not a link list to skip.
A paragraph of prose after the heading means the heading was a box's inside the story,
and the story goes on (dev half, each fold: dragnet 0.9422 to 0.9430 and 0.9214 to 0.9219,
scrapinghub's B 0.9740 to 0.9758, cleaneval's B 0.9209 to 0.9210, no set lower).

Tried on the dev half and left out (benchmarks/extraction.py, each rule alone): cutting
from a "Previous/Next …" link to the end (scrapinghub +0.0007, l3s +0.0001, but dragnet's
second fold -0.0001, where the shorter text made the ensemble give up trafilatura's title
and date lines), from a "More … Stories" heading to the end (one page gained), and a last
"Follow … on Twitter" line (dragnet and scrapinghub keep an author's, -0.0001).
"""

from __future__ import annotations

import re

# A label over links and what follows it on its line, as short as a few links' text.
_LABEL = re.compile(
    r"(tags?|topics?|categor(y|ies)|filed under|posted in|related( \w+)?|see also|"
    r"buyer'?s guide)\s*:\s*\S.{0,60}|"
    r"(related (posts?|stories|articles|links|content)|no related posts|"
    r"you (may|might) also like)\s*[:.]?",
    re.I,
)


# A heading over a list of other posts ("Related Posts", "You might also like:").
_RELATED = re.compile(
    r"\W*(related (posts?|articles?|stories|story|links|content|reading|coverage|entries)|"
    r"(you )?(may|might) also (like|enjoy|be interested in))\s*[:.]?\W*",
    re.I,
)
LISTED_MAX = 150  # characters: a line under a "Related" heading as long as a headline


def trim_tail(lines: list[str]) -> list[str]:
    """``lines`` without the label lines at their end, and without the last "Related"
    heading and what follows it when every line after it is short (see the module
    docstring)."""
    for i in range(len(lines) - 1, -1, -1):
        if _RELATED.fullmatch(lines[i]):
            if all(len(line) < LISTED_MAX for line in lines[i + 1 :]):
                lines = lines[:i]
            break
    end = len(lines)
    while end and _LABEL.fullmatch(lines[end - 1]):
        end -= 1
    return lines[:end]
