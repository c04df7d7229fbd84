"""The package's layout: no import cycles, layers that do not reach up, small modules.

Imports are read from the source (``TYPE_CHECKING`` blocks and imports inside
functions included), so a cycle that only the type checker sees still counts.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "devart_oracle"
MAX_LINES = 400
LONGER = {"devart_oracle.pool._core": 450}  # the pool's state machine


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(path: pathlib.Path) -> bool:
    return path.name == "__init__.py"


def _imports(path: pathlib.Path) -> set[str]:
    """The project modules ``path`` imports, resolved to module names."""
    name = _module_name(path)
    package = name if _is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in GRAPH[node]:
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _is_parent(a: str, b: str) -> bool:
    return b.startswith(a + ".")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_module_that_imports_it_back(name: str) -> None:
    cycle = _cycle_from(name)
    # a package re-exporting its own submodules is not a cycle of concepts
    if cycle is not None and all(_is_parent(a, b) or _is_parent(b, a) for a, b in zip(cycle, cycle[1:])):
        cycle = None
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("devart_oracle.testing.wire", "devart_oracle.testing.sql"),
    ("devart_oracle.testing.sql", "devart_oracle.testing.wire"),
])
def test_the_server_layers_know_nothing_of_each_other(layer: str, forbidden: str) -> None:
    for name, imports in GRAPH.items():
        if name == layer or name.startswith(layer + "."):
            reached = sorted(m for m in imports if m == forbidden or m.startswith(forbidden + "."))
            assert not reached, f"{name} imports {reached}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= LONGER.get(name, MAX_LINES), f"{name} has {lines} lines"
