"""The shape of the package, counted with ``ast``: short functions, short signatures, the
formatter on, and no state kept between builds outside ``digest/build/`` (import-linter
checks who imports whom; see pyproject.toml)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "digest"
MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
CONTAINERS = {"dict", "list", "set", "OrderedDict", "defaultdict", "Counter", "deque"}
CACHES = {"lru_cache", "cache"}


def modules() -> list[tuple[Path, ast.Module, list[str]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found.append((path.relative_to(PACKAGE.parent), ast.parse(text), text.splitlines()))
    return found


def functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_functions_are_short_and_take_few_parameters() -> None:
    long, over_60, wide = [], [], []
    for path, tree, _ in modules():
        for fn in functions(tree):
            lines = (fn.end_lineno or fn.lineno) - fn.lineno + 1
            args = fn.args
            count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
            count += bool(args.vararg) + bool(args.kwarg)
            count -= bool(args.args) and args.args[0].arg in ("self", "cls")
            name = f"{path}:{fn.lineno} {fn.name}"
            if lines > 80:
                long.append(f"{name} ({lines} lines)")
            if lines > 60:
                over_60.append(name)
            if count > 6:
                wide.append(f"{name} ({count} parameters)")
    assert not long, long
    assert len(over_60) <= 5, over_60
    assert not wide, wide


def test_the_formatter_is_seldom_turned_off() -> None:
    skips = sum(text.count("# fmt: skip") for _, _, lines in modules() for text in lines)
    assert skips <= 15


def _mutable(value: ast.expr | None) -> bool:
    if isinstance(value, MUTABLE):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in CONTAINERS
    return False


def test_no_module_keeps_state_between_builds_outside_build() -> None:
    """Outside ``digest/build/``: no module-level container that starts empty or is made
    by a call (a constant table is written out in full and never changed), no ``global``
    statement, and every ``lru_cache`` says on its line why it may stay (a pure function)."""
    found = []
    for path, tree, lines in modules():
        if path.parts[1] == "build":
            continue
        containers = {  # classes of this module that are containers themselves
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            and any(re.match(r"(dict|list|set|OrderedDict)\b", ast.unparse(b)) for b in node.bases)
        }
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            empty = isinstance(value, ast.Dict | ast.List | ast.Set) and not (
                getattr(value, "keys", None) or getattr(value, "elts", None)
            )
            call = isinstance(value, ast.Call) and (
                _mutable(value) or ast.unparse(value.func) in containers
            )
            if empty or call:
                found.append(f"{path}:{node.lineno}: module-level container")
        for each in ast.walk(tree):
            if isinstance(each, ast.Global):
                found.append(f"{path}:{each.lineno}: global {', '.join(each.names)}")
        for fn in functions(tree):
            for decorator in fn.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
                line = lines[decorator.lineno - 1]
                if name in CACHES and not re.search(r"#\s*\S", line):
                    found.append(f"{path}:{decorator.lineno}: {name} without a comment")
    assert not found, found


def test_the_structure_checks_can_fail(tmp_path: Path) -> None:
    """What the checks above look for, found in code written to break them."""
    bad = ast.parse(
        "import functools\n_SEEN = {}\n_MORE: dict[str, int] = dict()\n"
        "@functools.lru_cache\ndef f(a, b, c, d, e, f, g):\n    global _SEEN\n"
    )
    assignments = [n for n in bad.body if isinstance(n, ast.Assign | ast.AnnAssign)]
    assert all(
        (isinstance(n.value, ast.Dict) and not n.value.keys) or _mutable(n.value)
        for n in assignments
    )
    (fn,) = functions(bad)
    assert len(fn.args.args) == 7
    assert any(isinstance(n, ast.Global) for n in ast.walk(bad))
