"""The file format contract, and the registry the `pdscan_formats` hook fills.

A `Format` says how sure it is that some bytes are its own (`sniff`, from the first bytes and the
name: content first, the name only a hint) and reads a stream as batches with their locations
(lines, rows, fields). The file and S3 connectors take the best-sniffing registered format
(pdscan.connectors.formats.sniff.detect).
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import ClassVar

from pdscan.connectors.base import Batch
from pdscan.connectors.limits import Limits
from pdscan.core.model import ItemResult
from pdscan.core.plugins import collect, manager

CERTAIN = 1.0  # a sniff this sure (a magic number) wins over anything a name says


class Format(abc.ABC):
    """One file format: `name` (text, csv, tsv, json, ndjson, parquet, or a plugin's own)."""

    name: ClassVar[str]
    # reads from a random-access file (Parquet's footer): a plain stream is spooled to one first
    seekable: ClassVar[bool] = False

    @abc.abstractmethod
    def sniff(self, head: bytes, name: str) -> float:
        """How likely (0 to 1) the content starting with `head`, named `name`, is in this format."""

    @abc.abstractmethod
    def read(self, source, result: ItemResult, limits: Limits) -> Iterator[Batch]:
        """Batches of `source` (a binary stream; for a `seekable` format a path or random-access file)."""

    def size_of(self, source) -> int:
        """Bytes of a `seekable` source (what the item's coverage counts as read)."""
        return 0


def formats() -> list[Format]:
    """Every registered format, built-ins first. Asked once per set of plugins implementing the hook
    (a plugin registered at run time is seen), not once per file."""
    key = tuple(id(impl.plugin) for impl in manager().hook.pdscan_formats.get_hookimpls())
    if _CACHE.get("key") != key:
        _CACHE["formats"] = [cls() if isinstance(cls, type) else cls for cls in collect("pdscan_formats")]
        _CACHE["key"] = key
    return _CACHE["formats"]


_CACHE: dict = {}


def best(head: bytes, name: str) -> tuple[Format | None, float]:
    """The format sniffing most confidently (the first registered of equals), and its confidence."""
    found, score = None, 0.0
    for fmt in formats():
        confidence = float(fmt.sniff(head, name) or 0.0)
        if confidence > score:
            found, score = fmt, confidence
    return found, score


def by_name(name: str) -> Format:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    raise KeyError(name)
