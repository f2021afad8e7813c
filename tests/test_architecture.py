"""The package's shape: its modules import one another in one direction only."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from support.paths import REPO

PACKAGE = REPO / "generator"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """Every module of the package ``path`` imports: at module level, in functions and for
    type checking alike (a cycle there is a cycle in the design)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    packages = {m for m in modules if (PACKAGE.parent / m.replace(".", "/") / "__init__.py").is_file()}
    return {m for m in found if m in modules and m != name and m not in packages}


def test_no_module_of_the_package_imports_one_that_imports_it_back() -> None:
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: _imports(name, path, set(paths)) for name, path in paths.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None
    assert len(order) == len(paths)
