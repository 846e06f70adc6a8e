"""Layers point downwards only: a lower layer never imports a higher one.

Walks every module's imports with ``ast`` so the rule holds for lazy imports inside functions
too. ``model``, ``kit``, ``policy`` and ``graph`` must also stay free of I/O libraries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "homestack"
LAYERS = ["model", "kit", "catalog", "policy", "graph", "state", "providers", "engine",
          "outputs", "cli"]
PURE = {"model", "kit", "policy", "graph"}
IO_MODULES = {"subprocess", "socket", "http", "urllib", "requests", "httpx", "sqlite3",
              "psycopg", "lightkube", "rich", "shutil", "time"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _modules() -> list[tuple[str, Path]]:
    return [
        (path.relative_to(PACKAGE).parts[0], path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] in LAYERS
    ]


@pytest.mark.parametrize(("layer", "path"), _modules(), ids=lambda v: str(v))
def test_no_upward_import(layer: str, path: Path) -> None:
    rank = LAYERS.index(layer)
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] != "homestack" or len(parts) < 2 or parts[1] not in LAYERS:
            continue
        assert LAYERS.index(parts[1]) <= rank, (
            f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}: "
            f"layer {layer} may not import {parts[1]}"
        )


@pytest.mark.parametrize(("layer", "path"), [m for m in _modules() if m[0] in PURE],
                         ids=lambda v: str(v))
def test_pure_layers_do_no_io(layer: str, path: Path) -> None:
    for line, module in _imports(path):
        assert module.split(".")[0] not in IO_MODULES, (
            f"{path.relative_to(PACKAGE.parent)}:{line} imports {module} in pure layer {layer}"
        )


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from homestack.cli import app\n")
    assert _imports(bad) == [(2, "homestack.cli")]
