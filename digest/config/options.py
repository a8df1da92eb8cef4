"""How an option of ``site.toml`` is declared: once, as a field of a frozen dataclass.

The field's name and annotation are the option's name and type, and :func:`option` (or
:func:`required`) adds its default, its check and its one-line doc, so the schema in
:mod:`digest.config.schema` reads like the README's reference table and nothing is said twice.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast, get_type_hints

if TYPE_CHECKING:
    from digest.config.source import Source

T = TypeVar("T")

Check = Callable[[str, Any], str | None]
"""(the option as messages name it, e.g. ``[summary] budget_cjk``, a value of its type) ->
what is wrong with the value, or None."""

Parse = Callable[[Any, "Source"], Any]
"""(a value of the TOML type, the file) -> the option's value, reporting each problem of a
part (a ``[[sections]]`` entry, a tag) at that part's own line."""


@dataclass(frozen=True)
class Option:
    """What a dataclass field says about its option, beyond its name, type and default."""

    doc: str
    check: Check | None = None
    parse: Parse | None = None
    key: str = ""  # the spelling in site.toml when it is not the field's name


def option(
    default: T, doc: str, check: Check | None = None, *, parse: Parse | None = None, key: str = ""
) -> T:
    """Declare an option with a default: ``per_page: int = option(10, "entries per page")``."""
    meta = {"option": Option(doc, check, parse, key)}
    if isinstance(default, dict):  # each instance gets its own copy of a mutable default
        return cast(T, field(default_factory=lambda: dict(default), metadata=meta))
    return field(default=default, metadata=meta)


def required(doc: str, check: Check | None = None, *, parse: Parse | None = None) -> Any:
    """Declare an option site.toml must set: ``title: str = required("the site's name")``."""
    return field(metadata={"option": Option(doc, check, parse)})


def must(wording: str, holds: Callable[[Any], bool]) -> Check:
    """A check: the value ``holds``, or the message ``<option> must <wording>``."""

    def check(label: str, value: Any) -> str | None:
        return None if holds(value) else f"{label} must {wording}"

    return check


@dataclass(frozen=True)
class Declared:
    """One option of a table as the loader walks it."""

    key: str  # as written in site.toml
    name: str  # the dataclass field
    kind: Any  # the field's type: str, int, float, Mapping[str, str], a table's dataclass...
    field: Field[Any]
    option: Option

    @property
    def table(self) -> type | None:
        """The dataclass of a table option (``fetch``, ``email``...); None for the others."""
        return self.kind if isinstance(self.kind, type) and is_dataclass(self.kind) else None

    @property
    def required(self) -> bool:
        """Whether site.toml must set it (its field has no default)."""
        return self.field.default is MISSING and self.field.default_factory is MISSING

    def default(self) -> Any:
        """The value when site.toml leaves the option out."""
        if self.field.default_factory is not MISSING:
            return self.field.default_factory()
        return self.field.default


@functools.cache  # a pure function of a class that never changes
def options(cls: type) -> tuple[Declared, ...]:
    """The options declared by ``cls``'s fields, in order; other fields are not options."""
    hints = get_type_hints(cls)
    return tuple(
        Declared(opt.key or f.name, f.name, hints[f.name], f, opt)
        for f in fields(cls)
        if isinstance(opt := f.metadata.get("option"), Option)
    )


def unknown(key: str, known: Mapping[str, object] | tuple[str, ...], what: str) -> str:
    """``unknown site.toml key 'titel' (did you mean 'title'?)``."""
    names = list(known)
    close = difflib.get_close_matches(key, names, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(names)}"
    return f"unknown {what} '{key}' ({hint})"
