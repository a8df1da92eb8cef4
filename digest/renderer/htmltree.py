"""A small, fast stand-in for BeautifulSoup, for the email and WeChat renderers.

Those renderers were written with ``BeautifulSoup(html, "lxml")`` and ``str(tag)``, and
BeautifulSoup was most of their cost. :func:`parse` builds the same tree from the same
lxml parser events, with plain objects, and ``str(tag)`` writes it out byte for byte as
BeautifulSoup's default ("minimal") formatter does; :class:`Tag` offers the few methods
the renderers use, under BeautifulSoup's names and with its meaning (``select`` finds
tags by name as a CSS selector does: not inside a ``<template>``). HTML only: no XML, no
namespaces, no other formatter. BeautifulSoup's conventions are kept:

* a string of nothing but ASCII whitespace, outside ``<pre>`` and ``<textarea>``, becomes
  ``"\\n"`` if it held one, else ``" "`` (an empty comment too);
* ``class`` and the other space-separated attributes hold their words one space apart;
* strings know their kind: text, text inside ``<script>``, ``<style>``, ``<template>``,
  ``<rt>`` or ``<rp>`` (which :meth:`Tag.get_text` leaves out), comments, doctypes and
  processing instructions; all of them are ``str``;
* on output attributes are sorted; ``&``, ``<`` and ``>`` are escaped, except in text
  directly inside ``<script>`` and ``<style>``; a value is quoted with ``"``, or with
  ``'`` if it holds ``"`` and no ``'``; void elements end in ``/>``; ``<meta charset>``
  says ``utf-8``; comments and the like are written as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import overload
from weakref import ref

from lxml import etree

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "menuitem",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "command",
        "frame",
        "image",
        "isindex",
        "nextid",
        "spacer",
    ]
)
_RAW_TEXT = frozenset(["script", "style"])  # text directly inside is written unescaped
_KEEP_SPACE = frozenset(["pre", "textarea"])
_CONTAINERS = frozenset(["script", "style", "template", "rt", "rp"])
_SPECIAL = _KEEP_SPACE | _CONTAINERS
_LISTS = frozenset(["class", "accesskey", "dropzone"])  # space-separated on every tag
_LISTS_BY_TAG = {
    tag: _LISTS | frozenset(names)
    for tag, names in {
        "a": ["rel", "rev"],
        "link": ["rel", "rev"],
        "td": ["headers"],
        "th": ["headers"],
        "form": ["accept-charset"],
        "object": ["archive"],
        "area": ["rel"],
        "icon": ["sizes"],
        "iframe": ["sandbox"],
        "output": ["for"],
    }.items()
}
_ASCII_SPACES = " \n\t\f\r"
_CHARSET = re.compile(r"((^|;)\s*charset=)([^;]*)", re.M)


class Contained(str):
    """Text inside ``<script>``, ``<style>``, ``<template>``, ``<rt>`` or ``<rp>``."""


class Comment(str):
    """A comment's text: ``<!--`` and ``-->`` around it when written."""


class Doctype(str):
    """A doctype: ``html``, written ``<!DOCTYPE html>`` and a newline."""


class ProcessingInstruction(str):
    """A processing instruction: ``php echo 1 ?``, written ``<?php echo 1 ?>``."""


class Tag:
    """An element: its name, attributes (as written, space-separated lists normalised)
    and contents, elements and strings in order."""

    # The parent is held weakly: a tree without cycles is freed as soon as it is dropped,
    # without waiting for the garbage collector (which then has much less to look at).
    __slots__ = ("__weakref__", "_parent", "attrs", "contents", "name")

    def __init__(
        self, name: str, attrs: dict[str, str] | None = None, parent: Tag | None = None
    ) -> None:
        self.name = name
        self.attrs = attrs if attrs is not None else {}
        self.contents: list[Tag | str] = []
        self._parent = None if parent is None else ref(parent)

    @property
    def parent(self) -> Tag | None:
        """The tag this one is in (``None`` for the document, or once taken out)."""
        return None if self._parent is None else self._parent()

    @parent.setter
    def parent(self, tag: Tag | None) -> None:
        self._parent = None if tag is None else ref(tag)

    def __str__(self) -> str:
        out: list[str] = []
        _write(self, out)
        return "".join(out)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def __setitem__(self, name: str, value: str) -> None:
        self.attrs[name] = value

    def __delitem__(self, name: str) -> None:
        self.attrs.pop(name, None)  # as BeautifulSoup: no error if it is not there

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    def get(self, name: str, default: str | None = None) -> str | None:
        """The attribute ``name``, or ``default``."""
        return self.attrs.get(name, default)

    def has_class(self, name: str) -> bool:
        """Whether ``name`` is one of the tag's classes."""
        return name in self.attrs.get("class", "").split()

    @property
    def ancestors(self) -> Iterator[Tag]:
        """The tags this one is in, innermost first."""
        tag = self.parent
        while tag is not None:
            yield tag
            tag = tag.parent

    def descendants(self) -> Iterator[Tag]:
        """Every tag below this one, in document order."""
        return (node for node in self._below() if isinstance(node, Tag))

    def select(self, name: str) -> list[Tag]:
        """The tags named ``name`` below this one that a CSS selector finds (soupsieve's,
        behind BeautifulSoup's ``select``): not those in a ``<template>``, whose contents
        are not part of the document."""
        return [tag for tag in self._tags(templates=False) if tag.name == name]

    def _tags(self, *, templates: bool = True) -> list[Tag]:
        """Every tag below this one, in document order; what is inside a ``<template>``
        only with ``templates``. (What :meth:`_below` gives, tags only, as a list: the
        renderers walk each tree several times, and this is three times faster.)"""
        found: list[Tag] = []
        stack = [c for c in reversed(self.contents) if type(c) is Tag]
        while stack:
            tag = stack.pop()
            found.append(tag)
            if tag.contents and (templates or tag.name != "template"):
                stack += [c for c in reversed(tag.contents) if type(c) is Tag]
        return found

    def _below(self, *, templates: bool = True) -> Iterator[Tag | str]:
        """Every tag and string below this one, in document order; what is inside a
        ``<template>`` only with ``templates``."""
        # With a stack of its own, not by recursion: pages can nest deeper than Python's
        # recursion limit, and BeautifulSoup read and wrote those.
        stack = [iter(self.contents)]
        while stack:
            for node in stack[-1]:
                yield node
                if isinstance(node, Tag) and (templates or node.name != "template"):
                    stack.append(iter(node.contents))
                    break
            else:
                stack.pop()

    def find_all(self, *names: str, recursive: bool = True) -> list[Tag]:
        """The tags below this one named one of ``names`` (any name if none given), in
        document order; with ``recursive=False`` only its children."""
        tags = self._tags() if recursive else [c for c in self.contents if isinstance(c, Tag)]
        return [tag for tag in tags if not names or tag.name in names]

    def find(self, name: str) -> Tag | None:
        """The first tag below this one named ``name``."""
        return next((tag for tag in self.descendants() if tag.name == name), None)

    def get_text(self) -> str:
        """All text below this tag, as BeautifulSoup gives it for any tag but the five
        whose text is :class:`Contained`: no comments and the like, no contained text."""
        return "".join([node for node in self._below() if type(node) is str])

    def decompose(self) -> None:
        """Take this tag, and everything in it, out of the tree."""
        self._replace_with([])

    def unwrap(self) -> None:
        """Replace this tag by its contents."""
        for child in self.contents:
            if isinstance(child, Tag):
                child._parent = self._parent
        self._replace_with(self.contents)

    def append(self, node: Tag | str) -> None:
        """Add ``node`` at the end of this tag's contents."""
        if isinstance(node, Tag):
            node.parent = self
        self.contents.append(node)

    def insert_after(self, node: Tag | str) -> None:
        """Put ``node`` right after this tag."""
        parent = self.parent
        assert parent is not None
        if isinstance(node, Tag):
            node.parent = parent
        parent.contents.insert(self._index(parent) + 1, node)

    def _replace_with(self, nodes: list[Tag | str]) -> None:
        parent = self.parent
        assert parent is not None
        at = self._index(parent)
        parent.contents[at : at + 1] = nodes
        self.parent = None

    def _index(self, parent: Tag) -> int:
        return next(i for i, child in enumerate(parent.contents) if child is self)


def parse(html: str) -> Tag:
    """The document as ``BeautifulSoup(html, "lxml")`` reads it, under a tag named
    ``[document]`` that :func:`inner_html` writes out as ``str(soup)``."""
    parser = etree.HTMLParser(target=_Builder(), recover=True)
    parser.feed(html.removeprefix("\ufeff"))  # BeautifulSoup drops a byte-order mark
    document: Tag = parser.close()
    return document


class _Builder:
    """The lxml parser target: BeautifulSoup's tree building, minus what we never use.
    (Called for every tag and string, so written for speed.)"""

    def __init__(self) -> None:
        self._open = [Tag("[document]")]
        self._keep_space: list[Tag] = []  # open <pre> and <textarea>
        self._containers: list[Tag] = []  # open tags whose text is Contained
        self._text: list[str] = []  # the string being read, in pieces
        self.data = self._text.append  # lxml calls it for every piece of text

    def start(self, name: str, attrib: Mapping[str, str]) -> None:
        if self._text:
            self._flush()
        parent = self._open[-1]
        if attrib:
            attrs = dict(attrib)
            lists = _LISTS_BY_TAG.get(name.lower(), _LISTS)
            if not lists.isdisjoint(attrs):
                for key in lists.intersection(attrs):
                    attrs[key] = " ".join(attrs[key].split())
            tag = Tag(name, attrs, parent)
        else:
            tag = Tag(name, {}, parent)
        parent.contents.append(tag)
        self._open.append(tag)
        if name in _SPECIAL:
            if name in _KEEP_SPACE:
                self._keep_space.append(tag)
            if name in _CONTAINERS:
                self._containers.append(tag)

    def end(self, name: str) -> None:
        if self._text:
            self._flush()
        tag = self._open[-1]
        if tag.name == name and name not in _SPECIAL:
            self._open.pop()  # the usual case: libxml2 ends the innermost tag
            return
        if all(tag.name != name for tag in self._open[1:]):
            return
        while len(self._open) > 1:
            tag = self._open.pop()
            if self._keep_space and tag is self._keep_space[-1]:
                self._keep_space.pop()
            if self._containers and tag is self._containers[-1]:
                self._containers.pop()
            if tag.name == name:
                return

    def comment(self, text: str) -> None:
        self._add(Comment, text)

    def doctype(self, name: str | None, public_id: str | None, system_id: str | None) -> None:
        value = name or ""
        if public_id is not None:
            value += f' PUBLIC "{public_id}"'
            if system_id is not None:
                value += f' "{system_id}"'
        elif system_id is not None:
            value += f' SYSTEM "{system_id}"'
        self._add(Doctype, value)

    def pi(self, target: str, data: str | None) -> None:
        self._add(ProcessingInstruction, f"{target} {data or ''}")

    def close(self) -> Tag:
        if self._text:
            self._flush()
        document = self._open[0]
        # lxml's parser and its target form a cycle: the tree is kept out of it, so that
        # it is freed as soon as it is dropped, without the garbage collector.
        self._open = []
        return document

    def _add(self, kind: type[str], text: str) -> None:
        if self._text:
            self._flush()
        self._open[-1].contents.append(kind(self._collapse(text)))

    def _flush(self) -> None:
        """End the text read since the last tag or comment."""
        text = self._text[0] if len(self._text) == 1 else "".join(self._text)
        self._text.clear()
        if not self._keep_space and (not text or text[0] in _ASCII_SPACES):
            text = self._collapse(text)
        self._open[-1].contents.append(Contained(text) if self._containers else text)

    def _collapse(self, text: str) -> str:
        """Text of ASCII whitespace alone, outside <pre> and <textarea>, as "\\n" or " "."""
        if self._keep_space or text.strip(_ASCII_SPACES):
            return text
        return "\n" if "\n" in text else " "


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (BeautifulSoup's minimal formatter)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inner_html(tag: Tag) -> str:
    """The contents of ``tag`` written out; for the ``[document]``, ``str(soup)``."""
    out: list[str] = []
    for child in tag.contents:
        _write_child(child, tag.name, out)
    return "".join(out)


def _write(tag: Tag, out: list[str]) -> None:
    # With a stack of its own, not by recursion (see Tag._below).
    if not _start(tag, out):
        return
    stack = [(tag, iter(tag.contents))]
    while stack:
        tag, children = stack[-1]
        raw = tag.name in _RAW_TEXT
        for child in children:
            if type(child) is str:  # the most common cases first
                out.append(child if raw else escape(child))
            elif type(child) is Tag:
                if _start(child, out):
                    stack.append((child, iter(child.contents)))
                    break
            else:
                _write_child(child, tag.name, out)
        else:
            out.append(f"</{tag.name}>")
            stack.pop()


def _start(tag: Tag, out: list[str]) -> bool:
    """Write the start tag; whether an end tag is to follow (not for an empty void one)."""
    name, attrs = tag.name, tag.attrs
    if not attrs:
        start = "<" + name
    elif len(attrs) == 1 and name != "meta":  # the usual case, without sorting
        ((key, value),) = attrs.items()
        start = f"<{name} {key}={_quote(value)}"
    else:
        if name == "meta":
            attrs = _meta_charset(attrs)
        start = "<" + name + "".join([f" {k}={_quote(v)}" for k, v in sorted(attrs.items())])
    if not tag.contents and name in _VOID:
        out.append(start + "/>")
        return False
    out.append(start + ">")
    return True


def _write_child(node: Tag | str, parent: str, out: list[str]) -> None:
    if isinstance(node, Tag):
        _write(node, out)
    elif isinstance(node, Comment):
        out.append(f"<!--{node}-->")
    elif isinstance(node, Doctype):
        out.append(f"<!DOCTYPE {node}>\n")
    elif isinstance(node, ProcessingInstruction):
        out.append(f"<?{node}>")
    else:
        out.append(node if parent in _RAW_TEXT else escape(node))


def _quote(value: str) -> str:
    value = escape(value)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def _meta_charset(attrs: dict[str, str]) -> dict[str, str]:
    """A ``<meta>`` that declares the encoding declares the one written, UTF-8."""
    if "charset" in attrs:
        return {**attrs, "charset": "utf-8"}
    if "content" in attrs and attrs.get("http-equiv", "").lower() == "content-type":
        return {**attrs, "content": _CHARSET.sub(r"\g<1>utf-8", attrs["content"])}
    return attrs
