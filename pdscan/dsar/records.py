"""What a DSAR search finds: matching records, how far each container was searched, the answer,
and the key values followed to linked records in the second pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pdscan.dsar.identifiers import KINDS, STRONG
from pdscan.dsar.matcher import Hit, leaf

COMPLETE_REASONS = {
    "own_store"
}  # reasons that leave nothing unread which could hold the person's: pdscan's own findings store


@dataclass
class RecordMatch:
    """One record (a row, a line) holding at least one of the person's identifiers."""

    source: str
    container: str
    location: dict
    record: dict[str, str]
    hits: list[Hit]
    key_columns: list[str] = field(default_factory=list)
    # a linked record (found in the second pass through a key of a matching one): the path that
    # reached it, "contacts.cust_no=1010 -> payment_methods.customer_id"; None for a direct match
    link: str | None = None

    @property
    def strength(self) -> str:
        if self.link is not None and not self.hits:
            return "linked"
        return "strong" if any(h.kind in STRONG for h in self.hits) else "weak"

    @property
    def matched(self) -> list[str]:
        return [k for k in KINDS if any(h.kind == k for h in self.hits)]


@dataclass
class Coverage:
    source: str
    container: str
    status: str  # searched | partial | skipped
    method: str  # sql-where | aho-corasick
    inventory: str  # known | partial | unseen | clean
    reason: str | None = None
    detail: str | None = None
    records: int = 0
    matches: int = 0

    @property
    def incomplete(self) -> bool:
        """Not fully searched: the container may hold the person's data that is not in the answer."""
        return self.status != "searched" and self.reason not in COMPLETE_REASONS


@dataclass(frozen=True)
class Link:
    """Key values of a matching record, to look for in other containers in the second pass.

    The n-th value must be in a column (or field) named one of `columns[n]` (lower case); a
    foreign key applies in its database's `target` table only, a join key everywhere."""

    via: str  # "sales.contacts.cust_no=1010"
    values: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]
    source: str | None = None
    target: str | None = None  # a container

    def applies(self, source: str, container: str) -> bool:
        return self.source in (None, source) and self.target in (None, container)

    def holds(self, record: dict[str, str]) -> list[str]:
        """The fields of `record` holding every key value (empty when it does not)."""
        found = []
        for names, value in zip(self.columns, self.values, strict=True):
            fld = next((f for f, v in record.items() if leaf(f) in names and _same(v, value)), None)
            if fld is None:
                return []
            found.append(fld)
        return found


def _same(value: str, key: str) -> bool:
    value = value.strip()
    if value == key:
        return True
    try:  # a key read back as 1010, 1010.0 or "1010"
        return Decimal(value) == Decimal(key)
    except (InvalidOperation, ValueError):
        return False


@dataclass
class Answer:
    matches: list[RecordMatch] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # {source, status: searched|failed, error}
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return all(s["status"] == "searched" for s in self.sources) and not any(c.incomplete for c in self.coverage)
