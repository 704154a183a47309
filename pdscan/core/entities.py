"""The entity registry: everything pdscan knows about an entity, in one `EntitySpec` each.

The specs come from plugins (`pdscan_entities`), pdscan's own first (one module per entity in
pdscan.detectors.entities); every per-entity table elsewhere (maskers, normalizers, column
hints, numeric entities, test values, DSAR identifier kinds, the PFI list, the default policy
mapping, column evidence, number and span rules, the DSAR's withheld entities) is derived from
them here, cached until `refresh()`. The ground floor imports none of the packages built on it:
recognizers and gates are named as "module:attribute" references, resolved where they are used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from pdscan.core.errors import PluginError
from pdscan.core.plugins import collect

# The parts a spec must have, each present or named in `absent` with the reason it is not.
PARTS = ("recognizers", "gates", "column_hints", "test_values")
COLUMN_EVIDENCE = ("strong", "plain", "weak")  # EntitySpec.column_evidence


@dataclass(frozen=True)
class EntitySpec:
    """One entity: its name, policy category and how it is recognized, masked and matched."""

    name: str  # Presidio's entity name: "US_SSN"
    category: str  # the default policy category id: "ssn_ein"
    description: str  # one line: how pdscan finds it
    masker: Callable[[str], str]  # a sample a reviewer may see
    normalizer: Callable[[str], str]  # the canonical form two spellings share (fingerprints)
    # Presidio recognizers that report it: classes or factories, or "module:Class" references
    # ("presidio_analyzer.predefined_recognizers:IpRecognizer": Presidio's own, loaded with its registry)
    recognizers: tuple = ()
    # pdscan.detectors.prefilter Gates that let its candidates through, or "module:ATTR" references to tuples of them
    gates: tuple = ()
    replaces: tuple[str, ...] = ()  # names of Presidio's predefined recognizers its recognizers supersede
    column_hints: tuple[str, ...] = ()  # normalized column names that say the column holds it ("ssn", "taxid")
    column_shape: tuple[str, float] | None = None  # RE2 shape and score of a cell a hinted column classifies
    numeric: bool = False  # a number: digit-run rules and number filters apply
    test_values: tuple[str, ...] = ()  # well-known test and documentation values, normalized
    dsar_kind: str | None = None  # the DSAR identifier kind (pdscan.dsar.identifiers) that matches it
    # How a column's matches of it make a column finding (pdscan.detectors.columns.column_verdict):
    # "strong": a validated format, one sure hit is data; "weak": found by NER or by a shape that no
    # checksum, registry or parser confirms, so the verdict needs a share of the sampled values;
    # "plain": a few repeated hits
    column_evidence: str = "plain"
    # False: a number in a column named for identifiers (`order_id`, `uuid`) is not it unless the
    # value or the column's name says so (a Luhn digit holds for one 16-digit id in ten)
    in_id_columns: bool = True
    # Its shape is an order or job number's too: a number right after a business identifier's label
    # (`PO 45-5164379`, `export job 2024...`) is that identifier (pdscan.detectors.filters)
    ambiguous_number: bool = False
    word_spans: bool = False  # NER finds it as words: punctuation at a span's edges is not part of it
    # Its span is a whole structure (a URL, a user agent): a shorter span inside it is part of it,
    # not a finding of its own (pdscan.detectors.pipeline)
    container: bool = False
    carries: tuple[str, ...] = ()  # a container's entities that are findings of their own inside it (an email in a URL)
    # A DSAR answer never shows it, nor its last digits: it says that one is stored (a card security
    # code, 11 CCR 7024(d); pdscan.dsar.disclosure)
    withheld: bool = False
    absent: dict[str, str] = field(default_factory=dict)  # part -> why this entity has none
    extra: dict = field(default_factory=dict)  # what one part of pdscan alone reads


def problems(spec: EntitySpec, categories: set[str] | None = None, strict: bool = True) -> list[str]:
    """What `spec` lacks. Always: a name, a category (one of `categories`, when given), a
    description, a masker and a normalizer. `strict` (pdscan's own entities): also each of `PARTS`
    present, or declared absent with a reason (and not both). A plugin's entity may leave out
    gates and hints: its recognizers get gates made from their patterns (pdscan.detectors.recognizers)."""
    out = []
    for attr in ("name", "category", "description"):
        if not isinstance(getattr(spec, attr), str) or not getattr(spec, attr).strip():
            out.append(f"{attr} is missing")
    for attr in ("masker", "normalizer"):
        if not callable(getattr(spec, attr)):
            out.append(f"{attr} is not a function")
    if spec.column_evidence not in COLUMN_EVIDENCE:
        out.append(f"column_evidence '{spec.column_evidence}' is not one of {', '.join(COLUMN_EVIDENCE)}")
    if categories is not None and spec.category not in categories:
        out.append(f"category '{spec.category}' is not in the policy")
    unknown = set(spec.absent) - set(PARTS)
    if unknown:
        out.append(f"absent names unknown parts: {', '.join(sorted(unknown))}")
    if not strict:
        return out
    for part in PARTS:
        if part == "test_values" and not spec.numeric:
            continue
        have, why = bool(getattr(spec, part)), spec.absent.get(part, "")
        if not have and not why.strip():
            out.append(f"no {part} (give some, or say why in absent['{part}'])")
        if have and part in spec.absent:
            out.append(f"{part} given and declared absent")
    return out


def resolve(ref):
    """A "module:attribute" reference's object; anything else as it is."""
    if not isinstance(ref, str):
        return ref
    module, _, attr = ref.partition(":")
    if not attr:
        raise PluginError(f"{ref!r}: a reference is 'module:attribute'")
    return getattr(importlib.import_module(module), attr)


@lru_cache(maxsize=1)
def _registry() -> dict[str, EntitySpec]:
    out: dict[str, EntitySpec] = {}
    for spec in collect("pdscan_entities"):
        if not isinstance(spec, EntitySpec):
            raise PluginError(f"pdscan_entities returned {type(spec).__name__}, not an EntitySpec")
        if spec.name in out:
            raise PluginError(f"entity {spec.name} is declared twice (two pdscan_entities hooks name it)")
        wrong = problems(spec, strict=False)
        if wrong:
            raise PluginError(f"entity {spec.name}: {'; '.join(wrong)}")
        out[spec.name] = spec
    return out


def specs() -> tuple[EntitySpec, ...]:
    """Every entity, pdscan's own first, then what plugins add."""
    return tuple(_registry().values())


def spec(name: str) -> EntitySpec:
    try:
        return _registry()[name]
    except KeyError:
        raise PluginError(f"unknown entity {name}: no pdscan_entities hook declares it") from None


def known(name: str) -> bool:
    return name in _registry()


def names() -> list[str]:
    return list(_registry())


@lru_cache(maxsize=1)
def maskers() -> dict[str, Callable[[str], str]]:
    return {s.name: s.masker for s in specs()}


@lru_cache(maxsize=1)
def normalizers() -> dict[str, Callable[[str], str]]:
    return {s.name: s.normalizer for s in specs()}


@lru_cache(maxsize=1)
def numeric_entities() -> frozenset[str]:
    return frozenset(s.name for s in specs() if s.numeric)


@lru_cache(maxsize=1)
def test_values() -> dict[str, frozenset[str]]:
    return {s.name: frozenset(s.test_values) for s in specs() if s.test_values}


@lru_cache(maxsize=1)
def column_hints() -> dict[str, str]:
    """Normalized column name -> the entity it says; a name two entities claim is an error."""
    out: dict[str, str] = {}
    for s in specs():
        for hint in s.column_hints:
            if out.get(hint, s.name) != s.name:
                raise PluginError(f"column hint '{hint}' is claimed by {out[hint]} and {s.name}")
            out[hint] = s.name
    return out


@lru_cache(maxsize=1)
def column_shapes() -> dict[str, tuple[str, float]]:
    return {s.name: s.column_shape for s in specs() if s.column_shape}


@lru_cache(maxsize=1)
def dsar_kinds() -> dict[str, str]:
    """DSAR identifier kind -> the entity it matches."""
    return {s.dsar_kind: s.name for s in specs() if s.dsar_kind}


def _having(attr: str, value=True) -> frozenset[str]:
    return frozenset(s.name for s in specs() if getattr(s, attr) == value)


@lru_cache(maxsize=1)
def strong_in_columns() -> frozenset[str]:
    """Entities whose column verdict one sure hit makes (column_evidence "strong")."""
    return _having("column_evidence", "strong")


@lru_cache(maxsize=1)
def weak_in_columns() -> frozenset[str]:
    """Entities whose column verdict needs a share of the values (column_evidence "weak")."""
    return _having("column_evidence", "weak")


@lru_cache(maxsize=1)
def not_in_id_columns() -> frozenset[str]:
    return _having("in_id_columns", False)


@lru_cache(maxsize=1)
def ambiguous_numbers() -> frozenset[str]:
    return _having("ambiguous_number")


@lru_cache(maxsize=1)
def word_entities() -> frozenset[str]:
    return _having("word_spans")


@lru_cache(maxsize=1)
def containers() -> frozenset[str]:
    return _having("container")


@lru_cache(maxsize=1)
def carried() -> frozenset[tuple[str, str]]:
    """(container, entity): an entity that is a finding of its own inside that container's span."""
    return frozenset((s.name, inner) for s in specs() for inner in s.carries)


@lru_cache(maxsize=1)
def withheld() -> tuple[str, ...]:
    """The entities a DSAR answer never shows, in registry order."""
    return tuple(s.name for s in specs() if s.withheld)


def in_category(category: str) -> tuple[str, ...]:
    """The entities whose default policy category is `category`, in registry order."""
    return tuple(s.name for s in specs() if s.category == category)


def default_categories() -> dict[str, str]:
    """Entity -> its default policy category id."""
    return {s.name: s.category for s in specs()}


def replaced() -> set[str]:
    """Presidio's predefined recognizers that an entity's own recognizers supersede."""
    return {name for s in specs() for name in s.replaces}


_ON_REFRESH: list[Callable[[], None]] = []


def on_refresh(clear: Callable[[], None]) -> Callable[[], None]:
    """Have `refresh()` call `clear` too: a cache elsewhere of answers that read these tables
    (pdscan.detectors.columns keeps one per column name)."""
    _ON_REFRESH.append(clear)
    return clear


def refresh() -> None:
    """Forget the registry, its derived tables and the caches that read them (`on_refresh`): the
    next call asks the plugins again (after a plugin is registered or unregistered in this process)."""
    for cached in (
        _registry,
        maskers,
        normalizers,
        numeric_entities,
        test_values,
        column_hints,
        column_shapes,
        dsar_kinds,
        strong_in_columns,
        weak_in_columns,
        not_in_id_columns,
        ambiguous_numbers,
        word_entities,
        containers,
        carried,
        withheld,
    ):
        cached.cache_clear()
    for clear in _ON_REFRESH:
        clear()
