"""The entity registry: everything pdscan knows about an entity, in one `EntitySpec` each.

The specs come from plugins (`pdscan_entities`), pdscan's own first; every per-entity
table elsewhere (maskers, normalizers, column hints, numeric entities, test values,
DSAR identifier kinds, the PFI list, the default policy mapping) is derived from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntitySpec:
    """One entity: its name, policy category and how it is recognized, masked and matched."""

    name: str  # Presidio's entity name: "US_SSN"
    category: str  # the default policy category id: "ssn_ein"
    description: str  # one line for the README and `--entities` help
    masker: Callable[[str], str]  # a sample a reviewer may see
    normalizer: Callable[[str], str]  # the canonical form two spellings share
    recognizers: tuple[Callable[[], object], ...] = ()  # factories of Presidio recognizers
    column_hints: tuple[str, ...] = ()  # column-name patterns that suggest the entity
    numeric: bool = False  # a number: digit-run rules and number filters apply
    test_values: tuple[str, ...] = ()  # well-known test and documentation values
    dsar_kind: str | None = None  # the DSAR identifier kind that matches it, if any
    extra: dict = field(default_factory=dict)  # what one part of pdscan alone reads
