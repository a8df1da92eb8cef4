"""Trafilatura's regular-expression tests in XPath, guarded by their attribute
(scraper/xpath_guard.py): the same elements, fewer calls into Python."""

from __future__ import annotations

import sys
from types import ModuleType

import lxml.html
from lxml import etree

from digest.scraper.xpath_guard import REGEXP_NS, guard_package, guarded

PAGE = """<html><body>
<div class="site-nav">Sections</div><div id="nav-top">Top</div><div>Story</div>
<div class="story">More story</div><div style="display:none">Hidden</div>
</body></html>"""


def test_a_test_that_cannot_match_nothing_is_asked_only_where_the_attribute_is() -> None:
    path = ".//div[re:test(@class, 'nav|menu') or re:test(@id|@class, '^nav', 'i')]"
    assert guarded(path) == (
        ".//div[((@class) and re:test(@class, 'nav|menu')) or "
        "((@id|@class) and re:test(@id|@class, '^nav', 'i'))]"
    )


def test_a_pattern_that_matches_an_empty_string_is_left_alone() -> None:
    path = ".//div[re:test(@class, '^$') or re:test(@id, 'x?')]"
    assert guarded(path) == path


def test_the_guarded_expressions_select_the_same_elements() -> None:
    root = lxml.html.document_fromstring(PAGE)
    for path in (
        ".//div[re:test(@class, 'nav|menu')]",
        ".//div[re:test(@id|@class, '^nav', 'i')]",
        ".//div[not(re:test(@class, 'story'))]",
        ".//div[re:test(@style, 'display:\\s*none')]",
    ):
        old = etree.XPath(path, namespaces={"re": REGEXP_NS})
        new = etree.XPath(guarded(path), namespaces={"re": REGEXP_NS})
        assert [e.text for e in new(root)] == [e.text for e in old(root)], path


def test_a_package_s_expressions_are_swapped_once_where_each_module_holds_them() -> None:
    shared = [etree.XPath(".//div[re:test(@class, 'nav')]", namespaces={"re": REGEXP_NS})]
    alone = etree.XPath(".//p[re:test(@id, 'x')]", namespaces={"re": REGEXP_NS})
    plain = etree.XPath(".//div")
    first, second = ModuleType("fakepkg"), ModuleType("fakepkg.sub")
    vars(first).update(SHARED=shared, ALONE=alone, PLAIN=plain)
    vars(second).update(SHARED=shared, ALONE=alone)
    sys.modules.update({"fakepkg": first, "fakepkg.sub": second})
    try:
        guard_package("fakepkg")
        guard_package("fakepkg")  # a second call changes nothing
    finally:
        del sys.modules["fakepkg"], sys.modules["fakepkg.sub"]
    assert shared[0].path == ".//div[((@class) and re:test(@class, 'nav'))]"
    assert vars(first)["ALONE"] is vars(second)["ALONE"]
    assert vars(first)["ALONE"].path == ".//p[((@id) and re:test(@id, 'x'))]"
    assert vars(first)["PLAIN"] is plain
