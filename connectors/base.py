"""The connector contract: what every connector yields (batches of string values with their
coordinates) and declares (`Connector`: schemes, options, listing, reading, splitting, versions,
portability, closing, and DSAR's search pushdown)."""

from __future__ import annotations

import abc
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field, is_dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
import pyarrow as pa

from pdscan.connectors.options import SharedOptions
from pdscan.connectors.streams import Bomb, GuardedStream, Inflating, Unpacked, decode_utf8, to_strings
from pdscan.core.model import ItemResult

__all__ = [
    "Batch", "Bomb", "Connector", "ConnectorRef", "GuardedStream", "Inflating", "Item", "Record", "SearchQuery",
    "Unpacked", "decode_utf8", "missing_capabilities", "to_strings",
]  # fmt: skip


@dataclass
class Batch:
    """Values of one field (or lines of text) with where each one sits.

    `lines` are 1-based line numbers, `rows` 0-based record indexes, `offsets` the
    character offset of a value inside its line (non-zero only for cut-up giant lines),
    `row_keys` a record's key where the source has one (a table's primary-key values), `table`
    the table of a container holding several (a SQLite file in a folder, a spreadsheet's sheet): row
    indexes and records are per table; `place` where in a document the values sit (page, slide,
    message part), added to each finding's location; `places` the same for each value on its own;
    `fields` a field per value instead of `field` (then a `lines` entry of 0: a value with no line),
    for text whose values are of several fields, as an e-mail's headers and body lines.
    """

    values: pa.Array
    field: str | None = None
    tabular: bool = False
    lines: np.ndarray | None = None
    rows: np.ndarray | None = None
    offsets: np.ndarray | None = None
    row_keys: list | None = None
    table: str | None = None
    # where in a document the batch's values sit, added to every finding's location:
    # (("page", 3),), (("slide", 2), ("shape", "Title 1")), (("message", "<id@host>"), ("part", "1.2"))
    place: tuple[tuple[str, Any], ...] = ()
    # each value's own coordinate where the source has one (a spreadsheet cell, "B7"): location `cell`
    cells: list | None = None
    # a place per value, after `place` (the paragraphs of a document in one batch: one detector call)
    places: list[tuple[tuple[str, Any], ...]] | None = None
    # a field per value (non-tabular batches only: the headers and lines of many e-mail messages in one batch)
    fields: list[str | None] | None = None

    def field_of(self, i: int) -> str | None:
        """The field of value `i`, for its location."""
        return self.fields[i] if self.fields is not None else self.field

    def line_of(self, i: int) -> int | None:
        """The line of value `i` (None: it has none)."""
        if self.lines is None:
            return None
        line = int(self.lines[i])
        return None if line == 0 and self.fields is not None else line  # (a header among joined lines)


@dataclass
class Item:
    """One container to scan: a file, an object, a table."""

    source: str
    container: str
    size: int | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    handle: Any = field(default=None, repr=False)


@dataclass
class Record:
    """A record a source's own search found (DSAR pushdown): its fields as text, where it is."""

    fields: dict[str, str]
    row_key: Any = None  # its key (primary-key values, a row id), None when it has none
    key_columns: list[str] = field(default_factory=list)  # the columns that key is made of


class SearchQuery(Protocol):
    """What DSAR asks a searchable source (`Connector.search`): conditions to filter by, in the
    source, and the candidate values to keep when the source reads every record instead."""

    def where(self, table: Any, dialect: str) -> list:
        """Conditions over `table` (the source's description of an item), any of which a record may meet."""
        ...

    def candidates(self, values: pa.Array) -> set[int]:
        """Indexes of the values that may hold what is searched for."""
        ...


class Connector(abc.ABC):
    """List the containers of a source, then read one container as batches.

    Every capability the engine, the store and DSAR use is declared here, with a default: a
    connector overrides what it has. `schemes` are the URL schemes it reads (`paths`: plain paths
    too, the file connector); `Options` its options dataclass (pdscan.connectors.options).
    """

    schemes: ClassVar[tuple[str, ...]] = ()
    paths: ClassVar[bool] = False
    Options: ClassVar[type[SharedOptions]] = SharedOptions
    portable: ClassVar[bool] = False  # an item can be read by another process (a worker) from its Item
    shares_batches: ClassVar[bool] = False  # small items are read in bundles (pdscan.unitscan.Bundle)
    listing_order: ClassVar[bool] = False  # items are fetched ahead as listed: read them in that order
    can_search: bool = False  # DSAR: `search` finds a person's records in the source itself

    source: str
    options: SharedOptions

    def __init__(self, source: str, options=None):
        self.source = source
        self.options = self.Options.of(options)

    # -- what the registry asks before connecting -------------------------------------------------
    @classmethod
    def load(cls) -> type[Connector]:
        """The class itself (a `ConnectorRef` imports its class here)."""
        return cls

    @classmethod
    def handles(cls, scheme: str) -> bool:
        """Reads sources of this URL scheme (pdscan.connectors.registry.scheme)."""
        return scheme in cls.schemes

    @classmethod
    def check(cls, source: str, options) -> str | None:
        """A usage problem with the source, to report before scanning starts, else None."""
        return None

    @classmethod
    def connect(cls, source: str, options) -> Connector:
        return cls(source, cls.Options.of(options))

    # -- listing and reading ------------------------------------------------------------------------
    @property
    def lists_root(self) -> bool:
        """`items` lists the source's whole root: what an earlier scan saw there and is not listed is gone."""
        return True

    @abc.abstractmethod
    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        """Containers to scan; those that cannot even be listed go to `results` as skipped."""

    @abc.abstractmethod
    def read(self, item: Item, result: ItemResult) -> Iterator[Batch]:
        """Batches of the item; problems are recorded on `result` or raised as ItemError."""

    def prefetch(self, items: list[Item]) -> None:
        """Items about to be read in this order (a bundle): a connector may fetch them ahead."""
        return None

    def splittable(self, item: Item) -> bool:
        """The item may be cut into parts read side by side (`split`, `read_part`)."""
        return False

    def split(self, item: Item, part_bytes: int, min_bytes: int) -> list:
        """Parts of about `part_bytes` (pdscan.connectors.chunks.Part); empty: read in one piece."""
        return []

    def read_part(self, item: Item, part, result: ItemResult) -> Iterator[Batch]:
        """Batches of one part of a split item."""
        raise NotImplementedError(f"{type(self).__name__} does not split items")

    def version(self, item: Item, previous: dict | None) -> tuple[dict | None, bool]:
        """(the item's version, unchanged since `previous`); (None, False): always read again."""
        return None, False

    def close(self) -> None:
        """Let go of sessions and connections (the scan is over, or the source failed)."""
        return None

    # -- DSAR search pushdown -------------------------------------------------------------------------
    def search(self, item: Item, query: SearchQuery, result: ItemResult, stream: bool = False) -> Iterator[Record]:
        """The records of `item` that may meet `query` (a superset: DSAR confirms each), found by the
        source (`stream`: every record read, candidates picked by `query.candidates`). Only when
        `can_search`; problems are raised as ItemError or SourceError."""
        raise NotImplementedError(f"{type(self).__name__} cannot search")

    def described(self, item: Item) -> Any:
        """The source's description of an item `search` went through (a database table), else None."""
        return None


class ConnectorRef:
    """A connector class named by module, imported on first use: its schemes and options are known
    before, so a missing library (boto3) never breaks a scan that does not use it."""

    def __init__(self, target: str, schemes: tuple[str, ...], options: type[SharedOptions], paths: bool = False):
        self.target = target  # "package.module:Class"
        self.schemes = tuple(schemes)
        self.Options = options
        self.paths = paths

    def load(self) -> type[Connector]:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)

    def handles(self, scheme: str) -> bool:
        return scheme in self.schemes

    def __repr__(self) -> str:
        return f"ConnectorRef({self.target!r})"


# what a connector declares, for tests/connectors/test_contract.py and plugin authors
CAPABILITIES = (
    "schemes", "paths", "Options", "portable", "shares_batches", "listing_order", "can_search", "load", "handles", "check",
    "connect", "lists_root", "items", "read", "prefetch", "splittable", "split", "read_part", "version",
    "close", "search", "described",
)  # fmt: skip


def missing_capabilities(cls) -> list[str]:
    """What `cls` fails to declare of the connector contract (empty: it is a complete connector)."""
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        return ["Connector base class"]
    missing = [name for name in CAPABILITIES if not hasattr(cls, name)]
    missing += sorted(getattr(cls, "__abstractmethods__", ()))
    if not (cls.schemes or cls.paths):
        missing.append("schemes (or paths)")
    if not (isinstance(cls.Options, type) and issubclass(cls.Options, SharedOptions) and is_dataclass(cls.Options)):
        missing.append("Options (a SharedOptions dataclass)")
    return missing
