"""The plugin manager: pdscan's built-ins first, then what the `pdscan` entry points add."""

from __future__ import annotations

import importlib
from functools import lru_cache
from importlib import metadata

import pluggy

from pdscan.core import hookspecs
from pdscan.core.errors import PluginError

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
        pm.register(importlib.import_module(name), name)
    try:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    except Exception as exc:  # a third party's package: say which one, not a traceback
        raise PluginError(f"the pdscan plugin {_failing_entry_point()} cannot be loaded: {type(exc).__name__}") from exc
    return pm


def _failing_entry_point() -> str:
    """The first entry point of the `pdscan` group that does not load, as `name = value`."""
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception:
            return f"'{ep.name} = {ep.value}'"
    return "(an entry point)"


def collect(hook: str) -> list:
    """Every plugin's answer to `hook`, flattened; built-ins first."""
    results = getattr(manager().hook, hook)()
    out: list = []
    for answer in reversed(results):  # pluggy calls the last registered first
        out.extend(answer or ())
    return out
