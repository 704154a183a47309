"""The plugin manager: pdscan's built-ins first, then what the `pdscan` entry points add."""

from __future__ import annotations

import importlib
from functools import lru_cache

import pluggy

from pdscan.core import hookspecs

ENTRY_POINT_GROUP = "pdscan"

# pdscan's own hook implementations, registered the way a third party's are (by module name,
# so the ground floor imports none of the packages built on it).
BUILTINS = (
    "pdscan.detectors.plugin",
    "pdscan.connectors.plugin",
    "pdscan.reports.plugin",
)


@lru_cache(maxsize=1)
def manager() -> pluggy.PluginManager:
    """The one plugin manager of this process, loaded on first use."""
    pm = pluggy.PluginManager("pdscan")
    pm.add_hookspecs(hookspecs)
    for name in BUILTINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # that part has no hooks (yet)
        pm.register(module, name)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


def collect(hook: str) -> list:
    """Every plugin's answer to `hook`, flattened; built-ins first."""
    results = getattr(manager().hook, hook)()
    out: list = []
    for answer in reversed(results):  # pluggy calls the last registered first
        out.extend(answer or ())
    return out
