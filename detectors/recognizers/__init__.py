"""pdscan's own Presidio recognizers, one module per recognizer (or close family).

A module defines its recognizer classes (PatternRecognizer / EntityRecognizer subclasses,
instantiable without arguments), ``RECOGNIZERS`` (their order in the analyzer's registry) and
``GATES``: ``pdscan.detectors.prefilter.Gate`` RE2 patterns, a loose superset of what the
recognizers accept, so that only matching values ever reach them. Which entity a recognizer
reports, which gates let its candidates through and which of Presidio's predefined recognizers
it supersedes is said by the entity's spec (pdscan.detectors.entities): this package no longer
discovers anything.

The analyzer takes every plugin's recognizers (`pdscan_recognizers`, pdscan's own first) from
`instances()`; pdscan.detectors.gates makes gates for those of new entities.
"""

from __future__ import annotations

from functools import lru_cache

from pdscan.core import entities
from pdscan.core.errors import PluginError
from pdscan.core.plugins import collect


@lru_cache(maxsize=1)
def instances() -> tuple:
    """Every plugin's recognizers, pdscan's first; one that reports an entity no spec declares is an error."""
    found = tuple(collect("pdscan_recognizers"))
    for recognizer in found:
        for entity in getattr(recognizer, "supported_entities", None) or ():
            if not entities.known(entity):
                raise PluginError(
                    f"recognizer {getattr(recognizer, 'name', type(recognizer).__name__)} reports {entity}, "
                    "which no pdscan_entities hook declares: add an EntitySpec for it"
                )
    return found


entities.on_refresh(instances.cache_clear)  # a plugin registered or unregistered since


def replaced() -> set[str]:
    """Presidio's predefined recognizers that pdscan's supersede (the entity specs say which)."""
    return entities.replaced()
