"""``site.toml`` -> :class:`SiteConfig`, walking the schema and reporting every problem.

Each key is looked up in its table's schema (unknown keys are errors), its value checked
against the option's type and then its check; a wrong value is reported at its line and
replaced by the default, so that one run finds every problem before :class:`ContentError`
lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import is_dataclass
from pathlib import Path
from typing import Any, get_origin

from digest.config import source as site_toml
from digest.config.options import Declared, options, unknown
from digest.config.schema import CROSS_CHECKS, SiteConfig
from digest.config.source import Source

_REJECTED = object()  # a value that was reported; the option keeps its default
_TYPE_NAMES = {str: "string", int: "whole number", float: "number"}


def load_config(path: Path) -> SiteConfig:
    """Read and validate ``site.toml``; raise ContentError listing every problem."""
    raw, source = site_toml.read(path)
    values = _table(SiteConfig, raw, "", source)
    for check in CROSS_CHECKS:
        check(values, source)
    source.problems.raise_if_any()
    return SiteConfig(**values, path=path)


def _table(cls: type, raw: Mapping[str, Any], table: str, source: Source) -> dict[str, Any]:
    """The field values of ``cls`` from ``raw``, the TOML table ``[table]`` (the top level
    when ``table`` is empty): the values given and valid, the defaults of the others."""
    declared = {d.key: d for d in options(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in declared:
            what = f"[{table}] key" if table else "site.toml key"
            source.add(source.line_of(key, table), unknown(key, tuple(declared), what))
            continue
        checked = _value(declared[key], value, table, source)
        if checked is not _REJECTED:
            values[declared[key].name] = checked
    for d in declared.values():
        if d.name in values:
            continue
        if not d.required:
            values[d.name] = d.default()
        elif d.key not in raw:
            source.add(None, f"missing required key '{d.key}'")
    return values


def _value(declared: Declared, value: Any, table: str, source: Source) -> Any:
    """``value`` of the right type, parsed and checked, or ``_REJECTED`` once reported."""
    label = f"[{table}] {declared.key}" if table else f"'{declared.key}'"
    wrong = _wrong_type(declared.kind, value, label, f"{table}.{declared.key}" if table else "")
    if not wrong:
        if declared.table:
            value = declared.table(**_table(declared.table, value, declared.key, source))
        elif declared.option.parse:
            value = declared.option.parse(value, source)
        check = declared.option.check
        wrong = check(label, value) if check else None
    if wrong:
        source.add(source.line_of(declared.key, table), wrong)
        return _REJECTED
    return value


def _wrong_type(kind: Any, value: Any, label: str, dotted: str) -> str | None:
    """What is wrong with the type of ``value`` for an option of type ``kind``, or None.

    In a table (``dotted`` is then ``table.key``) numbers must not be negative, and a
    mapping is a table of strings.
    """
    if get_origin(kind) is Mapping and dotted:
        strings = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return None if strings else f"[{dotted}] values must be strings"
    if get_origin(kind) is Mapping or is_dataclass(kind):
        return None if isinstance(value, dict) else f"{label} must be a table"
    if get_origin(kind) is tuple:
        return None if isinstance(value, list) else f"{label} must be a list"
    if kind is str:
        return None if isinstance(value, str) else f"{label} must be a string"
    if kind is bool:
        return None if isinstance(value, bool) else f"{label} must be true or false"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    ok = number and (kind is float or isinstance(value, int)) and (not dotted or value >= 0)
    bound = " of at least 0" if dotted else ""
    return None if ok else f"{label} must be a {_TYPE_NAMES[kind]}{bound}"
