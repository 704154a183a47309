"""pdscan's own detection, registered through the plugin hooks as a third party's is.

`pdscan_entities`: the built-in entities (pdscan.detectors.entities, one module each).
`pdscan_recognizers`: the built-in Presidio recognizers those entities name, in the order the
analyzer has always registered them (by module, then as each module lists them in RECOGNIZERS);
Presidio's own predefined recognizers an entity names (IpRecognizer ...) come with Presidio's
registry and are not returned again.
"""

from __future__ import annotations

import importlib

from pdscan.core.entities import EntitySpec, resolve
from pdscan.core.hookspecs import hookimpl
from pdscan.detectors.entities import MODULES

PRESIDIO = "presidio_analyzer."  # references to Presidio's predefined recognizers start so


def builtin_specs() -> list[EntitySpec]:
    return [importlib.import_module(f"pdscan.detectors.entities.{name}").SPEC for name in MODULES]


def builtin_recognizer_classes() -> list[type]:
    refs = {ref for spec in builtin_specs() for ref in spec.recognizers if not ref.startswith(PRESIDIO)}
    classes = [resolve(ref) for ref in refs]

    def order(cls: type) -> tuple[str, int]:
        listed = getattr(importlib.import_module(cls.__module__), "RECOGNIZERS", [])
        return cls.__module__, listed.index(cls) if cls in listed else len(listed)

    return sorted(classes, key=order)


@hookimpl
def pdscan_entities():
    return builtin_specs()


@hookimpl
def pdscan_recognizers():
    return [cls() for cls in builtin_recognizer_classes()]
