"""Column classification: what a column's name says, and when its matches make a verdict.

Rules are data: the entity specs (pdscan.core.entities) give the column hints (normalized
column-name tokens -> entity), the value shapes of hinted columns and how strong each entity's
evidence is; read at use, so a plugin's entity counts once `entities.refresh()` has run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from pdscan.core import entities
from pdscan.detectors.names import is_known_name

# The tables these rules read, by their old names: module attributes computed when asked.
_TABLES = {
    "HINTS": entities.column_hints,  # normalized (lower-case, `_`/`-`/spaces/dots removed) column-name tokens -> entity
    "STRONG": entities.strong_in_columns,
    "WEAK": entities.weak_in_columns,
    "NOT_IN_ID_COLUMNS": entities.not_in_id_columns,
    "CPNI_HINTS": lambda: _cpni_hints()[0],
}


def __getattr__(name: str):
    if name in _TABLES:
        return _TABLES[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Column names that hint at something which is not a person: NER's PERSON there is noise.
NOT_PERSON: frozenset[str] = frozenset(
    ["city", "town", "state", "county", "country", "region", "plan", "status", "product", "sku",
     "category", "type", "description", "method", "path", "host", "hostname", "domain"]
)  # fmt: skip

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


# The rules below are pure functions of a field name, asked for every batch of every file: a scan
# of many small files sees the same few names thousands of times, so each answer is kept per process.
_NAMES = 4096


def tokens(field: str | None) -> list[str]:
    """`$.user.ccNumber` -> ['user', 'cc', 'number']: the words of the last path parts."""
    return list(_tokens(field))


# Words by which a column says it holds free text: no hint of what the text holds. As a value's
# context they would raise every number of a `message` or `text` column to a phone ("text me",
# "message me" are phone context in a sentence, not in a column's name).
FREE_TEXT: frozenset[str] = frozenset(
    ["text", "texts", "message", "messages", "msg", "body", "content", "comment", "comments", "note", "notes",
     "description", "remarks", "log", "line", "raw", "payload", "summary", "details"]
)  # fmt: skip


def context_words(field: str | None) -> list[str]:
    """The column name's words a value's context gets: `tokens` without the free-text words."""
    return [t for t in _tokens(field) if t not in FREE_TEXT]


@lru_cache(maxsize=_NAMES)
def _tokens(field: str | None) -> tuple[str, ...]:
    if not field:
        return ()
    return tuple(t.lower() for part in re.split(r"[^A-Za-z0-9]+", field) for t in _CAMEL.findall(part))


def _last_words(field: str) -> tuple[str, ...]:
    """The words of a path's last segment: `$.user.ccNumber` -> ('cc', 'number')."""
    return _tokens(re.split(r"[.\[\]$]+", field.strip("$.[]*"))[-1])


@lru_cache(maxsize=_NAMES)
def hinted_entity(field: str | None) -> str | None:
    """The entity a column name points at: its last path segment, whole or by its words."""
    if not field:
        return None
    words = _last_words(field)
    joined = "".join(words)
    hints = entities.column_hints()
    if joined in hints:
        return hints[joined]
    # the longest run of adjacent words that is a hint: customer_email_address -> emailaddress
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            candidate = "".join(words[i : i + size])
            if candidate in hints and (size > 1 or len(candidate) > 2 or len(words) == 1):
                return hints[candidate]
    return None


@lru_cache(maxsize=_NAMES)
def excludes_person(field: str | None) -> bool:
    """The column is named for a place, status or product: PERSON found there is NER noise."""
    hint = hinted_entity(field)
    if hint and hint != "PERSON":
        return True
    return any(t in NOT_PERSON for t in _tokens(field))


# The last word of a column of identifiers: `id`, `order_id`, `orderId`, `uuid`, `ref`.
ID_WORDS: frozenset[str] = frozenset(["id", "ids", "uuid", "guid", "uid", "ref", "refs", "reference"])
# What an id names when the two are written as one word (`userid`, `orderid`; not `valid`, `android`).
ID_OWNERS: frozenset[str] = frozenset(
    ["user", "order", "customer", "cust", "client", "device", "session", "transaction", "txn", "trans", "item",
     "product", "invoice", "ticket", "request", "req", "event", "member", "employee", "emp", "tenant", "org",
     "app", "message", "msg", "trace", "record", "row", "object", "entity", "parent", "external", "ext", "cart",
     "payment", "shipment", "merchant", "store", "vendor", "partner", "contract", "policy", "claim", "case"]
)  # fmt: skip
# What the numbers of such a column are not unless its name says so (`card_id`, `account_id`):
# the specs with in_id_columns=False (a Luhn digit holds for one 16-digit id in ten, and an account
# number has no checksum at all), entities.not_in_id_columns().


@lru_cache(maxsize=_NAMES)
def names_identifiers(field: str | None) -> bool:
    """The column is named for identifiers (`order_id`, `uuid`, `ref`, `userid`) and not for a card
    or an account (`card_id`, `account_id` are what their name says)."""
    if not field or hinted_entity(field) in entities.not_in_id_columns():
        return False
    words = _last_words(field)
    if not words:
        return False
    last = words[-1]
    return last in ID_WORDS or last.endswith("id") and last[:-2] in ID_OWNERS


# Entities that only a column name can reveal have a value shape that qualifies a cell: the specs'
# column_shape, entities.column_shapes().
NAME_SCORE = 0.75
MIN_NAME_SHARE = 0.5  # an unhinted column is names when this share of its values are known names
MIN_NAME_VALUES = 3


@dataclass(frozen=True)
class HintHit:
    index: int
    entity: str
    score: float
    text: str  # the whole cell


def hint_hits(
    field: str | None, values: pa.Array, enabled: set[str], parts: Sequence[int] | None = None
) -> list[HintHit]:
    """Cells that the column name (or the name list, for name columns) classifies.

    `parts`: where each column's values start when `values` holds several columns of one name
    (small files detected together): whether a column is a column of names is judged per column.
    """
    hint = hinted_entity(field)
    out: list[HintHit] = []
    shapes = entities.column_shapes()
    if hint in shapes and hint in enabled:
        pattern, score = shapes[hint]
        mask = pc.match_substring_regex(values, pattern).fill_null(False).to_numpy(zero_copy_only=False)
        picked = mask.nonzero()[0]
        for i, text in zip(picked, values.take(pa.array(picked)).to_pylist()):  # only the matching cells
            s = score
            if hint == "PERSON" and any(is_known_name(t) for t in text.replace(",", " ").split()):
                s = NAME_SCORE
            out.append(HintHit(int(i), hint, s, text))
        return out
    if "PERSON" in enabled and not excludes_person(field) and hint is None:
        out = _name_column(values, parts or (0,))
    return out


def judged_whole(field: str | None, enabled: set[str]) -> bool:
    """Whether a cell's hits in this column can depend on the column's other cells (a column of
    bare names): elsewhere they depend on the cell's text and the column's name alone."""
    return field is not None and "PERSON" in enabled and hinted_entity(field) is None and not excludes_person(field)


def _name_column(values: pa.Array, parts: Sequence[int]) -> list[HintHit]:
    """An unnamed column of single names ("Smith", "Garcia"): most values are known names."""
    pattern, _ = entities.column_shapes()["PERSON"]
    mask = pc.match_substring_regex(values, pattern).fill_null(False).to_numpy(zero_copy_only=False)
    filled = pc.greater(pc.utf8_length(values), 0).fill_null(False).to_numpy(zero_copy_only=False)
    bounds = [*parts, len(values)]
    out: list[HintHit] = []
    for start, end in zip(bounds, bounds[1:]):
        candidates = mask[start:end].nonzero()[0] + start
        if len(candidates) < MIN_NAME_VALUES:
            continue
        texts = values.take(pa.array(candidates)).to_pylist()
        known = [
            (int(i), text)
            for i, text in zip(candidates, texts)
            if all(is_known_name(t) for t in text.replace(",", " ").split())
        ]
        if len(known) < MIN_NAME_VALUES or len(known) < MIN_NAME_SHARE * int(filled[start:end].sum()):
            continue
        out += [HintHit(i, "PERSON", NAME_SCORE, text) for i, text in known]
    return out


# When a column's matches make a column finding. The specs' column_evidence says how strong an
# entity's matches are: "strong", validated formats, one hit is data (entities.strong_in_columns());
# "weak", found by NER or by a shape that no checksum, registry or parser confirms: in a large
# column a few of them are what the shape also finds by chance (a name NER reads into an address,
# a designer named in a product description), so their verdict needs a share of the sampled values
# (entities.weak_in_columns()).
MIN_MATCHES = 3
MIN_SHARE = 0.05  # of the sampled values, for a verdict on weak evidence
MIN_DISTINCT = 2  # distinct values, for a verdict on weak evidence
# A column is decided as an entity its name points at, or that this share of its values hold
# (as pdscan.columnstate's early verdict); it then gets a weak entity only at this share too.
DECIDED_SHARE = 0.3


@dataclass(frozen=True)
class Evidence:
    """What a column's matches of one entity amount to."""

    matches: int  # cells with a match
    sampled: int  # non-empty cells checked
    mean_score: float
    distinct: int | None = None  # distinct values found; None: not counted


def column_verdict(entity: str, matches: int, sampled: int, mean_score: float, field: str | None,
                   distinct: int | None = None) -> bool:  # fmt: skip
    """One stray hit does not label a column; a few repeated hits do, however sparse, when their
    format is validated; weak evidence needs a share of the values, and two distinct ones."""
    if matches == 0:
        return False
    if hinted_entity(field) == entity:
        return True
    if sampled <= MIN_MATCHES and matches == sampled:
        return True
    if entity in entities.weak_in_columns():
        return (
            matches >= MIN_MATCHES and matches >= MIN_SHARE * sampled and (distinct is None or distinct >= MIN_DISTINCT)
        )
    if matches >= MIN_MATCHES:
        return True
    return entity in entities.strong_in_columns() and mean_score >= 0.95


def column_verdicts(field: str | None, found: dict[str, Evidence]) -> set[str]:
    """The entities one column is reported as. A column decided as one entity (by its name or its
    share) does not also get a weak one from a few of its values (PERSON from NER on 2% of an
    address column)."""
    kept = {
        e for e, ev in found.items() if column_verdict(e, ev.matches, ev.sampled, ev.mean_score, field, ev.distinct)
    }
    hint = hinted_entity(field)
    decided = {e for e in kept if e == hint or _share(found[e]) >= DECIDED_SHARE}
    if not decided:
        return kept
    weak = entities.weak_in_columns()
    return {e for e in kept if e in decided or e not in weak}


def _share(ev: Evidence) -> float:
    return ev.matches / ev.sampled if ev.sampled else 1.0


# CPNI: call-detail columns, reported when the same table also holds phone numbers (CPNI's spec names them).
@lru_cache(maxsize=1)
def _cpni_hints() -> tuple[frozenset[str], frozenset[str]]:
    """CPNI_HINTS as the spec writes them, and lower-cased."""
    hints = frozenset(entities.spec("CPNI").extra["call_detail_columns"])
    return hints, frozenset(h.lower() for h in hints)


@lru_cache(maxsize=_NAMES)
def is_cpni_field(field: str | None) -> bool:
    cpni = _cpni_hints()[1]
    words = _tokens(field)
    joined = "".join(words)
    return joined in cpni or any("".join(words[i : i + 2]) in cpni for i in range(len(words) - 1))


# The answers above that read the specs' tables are forgotten with them.
for _cached in (hinted_entity, excludes_person, names_identifiers, is_cpni_field, _cpni_hints):
    entities.on_refresh(_cached.cache_clear)
del _cached
