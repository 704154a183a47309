"""pdscan's own Presidio recognizers, one module per recognizer (or close family).

Every module here is picked up automatically. A module defines:

- ``RECOGNIZERS``: Presidio recognizer classes (PatternRecognizer / EntityRecognizer
  subclasses, instantiable without arguments) added to the analyzer's registry;
- ``GATES``: ``pdscan.detectors.prefilter.Gate`` RE2 patterns, a loose superset of what
  the recognizers accept, so that only matching values ever reach them;
- optionally ``REPLACES``: names of Presidio's predefined recognizers this module
  supersedes (they are removed from the registry).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def modules() -> tuple[ModuleType, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return tuple(found)


def gates() -> list:
    return [gate for module in modules() for gate in getattr(module, "GATES", ())]


def recognizer_classes() -> list[type]:
    return [cls for module in modules() for cls in getattr(module, "RECOGNIZERS", ())]


def replaced() -> set[str]:
    return {name for module in modules() for name in getattr(module, "REPLACES", ())}


def entities() -> list[str]:
    out: list[str] = []
    for cls in recognizer_classes():
        for entity in getattr(cls, "ENTITIES", None) or [getattr(cls, "ENTITY", None)]:
            if entity and entity not in out:
                out.append(entity)
    return out
