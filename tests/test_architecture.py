"""The import graph runs one way: core at the bottom, then detectors, connectors and reports,
then the application; no cycles; no private name imported from another module; every
package installed.

Read from the source with `ast` (what an import statement names), not by importing.
"""

from __future__ import annotations

import ast
import configparser
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Folder on disk -> the package it is installed as (setup.cfg package_dir).
TREES = {
    "pdscan": "pdscan",
    "detectors": "pdscan.detectors",
    "connectors": "pdscan.connectors",
    "reports": "pdscan.reports",
}
# What each layer may import of pdscan; the application (everything else under pdscan.) may import all.
ALLOWED = {
    "pdscan.core": ("pdscan.core",),
    "pdscan.detectors": ("pdscan.core", "pdscan.detectors"),
    "pdscan.connectors": ("pdscan.core", "pdscan.connectors"),
    "pdscan.reports": ("pdscan.core", "pdscan.reports"),
}


def _modules() -> dict[str, Path]:
    out = {}
    for folder, package in TREES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not MODULES[module].name == "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in `module`."""
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    out.append((f"{target}.{alias.name}", None, node.lineno))
                else:
                    out.append((target, alias.name, node.lineno))
    return [item for item in out if item[0] == "pdscan" or item[0].startswith("pdscan.")]


def _layer(module: str) -> str | None:
    for layer in ALLOWED:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def test_every_package_is_installed():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    listed = set(cfg["options"]["packages"].split())
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert packages - listed == set(), "add these to setup.cfg [options] packages"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_what_is_below_them(layer):
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"
        for module in MODULES
        if _layer(module) == layer
        for target, _name, line in _imports(module)
        if not any(target == ok or target.startswith(ok + ".") for ok in ALLOWED[layer])
        and (target, _name) != ("pdscan", "__version__")
    ]
    assert wrong == []


def test_no_import_cycles():
    graph = defaultdict(set)
    for module in MODULES:
        for target, _name, _line in _imports(module):
            if target in MODULES and target != module:
                graph[module].add(target)
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    # A package's __init__ importing its own submodules is not a cycle of design.
    cycles = [c for c in cycles if not _package_self_import(c)]
    assert cycles == []


def _package_self_import(cycle: str) -> bool:
    names = cycle.split(" -> ")
    return any(MODULES[n].name == "__init__.py" and all(m.startswith(n) for m in names) for n in names)


def test_no_private_name_crosses_modules():
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} takes {name} from {target}"
        for module in MODULES
        for target, name, line in _imports(module)
        if target != module and (name or target.rsplit(".", 1)[-1]).startswith("_") and name != "__version__"
    ]
    assert wrong == []
