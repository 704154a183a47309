"""Search every source for the person: files and S3 objects through the connectors' readers and
the literal matcher; databases through parameterized WHERE clauses (dsar/sqlsearch.py).

The store's inventory decides the order (containers known to hold the person's kinds of data
first) and never excludes a container: a column finding is not proof of absence (a sparse column
below the verdict threshold leaves none), so every container is searched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa

from pdscan.connectors.base import Batch, Item
from pdscan.connectors.registry import ConnectorOptions, connector_for, redact, scheme
from pdscan.dsar.identifiers import KINDS, STRONG
from pdscan.dsar.matcher import Hit, Matcher
from pdscan.model import ItemError, ItemResult, SourceError

SQL_SCHEMES = {"sqlite", "postgresql", "postgres", "mysql", "mariadb"}
# reasons that leave data unread which could hold the person's: the answer is then incomplete
INCOMPLETE = {"unreadable", "permission_denied", "timeout", "read_error", "source_error", "decryption_refused",
              "too_large", "byte_limit", "truncated", "corrupt", "malformed_rows", "unsupported_encoding"}  # fmt: skip
PRIORITY = {"known": 0, "partial": 1, "unseen": 1, "clean": 2}


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
        return self.status != "searched" and self.reason in INCOMPLETE


@dataclass
class Answer:
    matches: list[RecordMatch] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # {source, status: searched|failed, error}
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return all(s["status"] == "searched" for s in self.sources) and not any(c.incomplete for c in self.coverage)


class Inventory:
    """What earlier scans in the store say: which containers and fields hold which entities."""

    def __init__(self, store=None, sources: list[str] = (), entities: set[str] = frozenset()):
        self.entities = entities
        self.known: dict[tuple[str, str], dict[str | None, str]] = {}  # (source, container) -> field -> entity
        self.items: dict[tuple[str, str], str] = {}  # (source, container) -> latest status
        if store is None or not sources:
            return
        from pdscan.store import findings, items, scans

        shown = [redact(s) for s in sources]
        done = sa.select(scans.c.id).where(scans.c.finished.is_not(None))
        fq = (
            sa.select(findings.c.source, findings.c.container, findings.c.field, findings.c.entity)
            .where(findings.c.source.in_(shown), findings.c.scan_id.in_(done))
            .distinct()
        )
        iq = (
            sa.select(items.c.source, items.c.container, items.c.status)
            .where(items.c.source.in_(shown), items.c.scan_id.in_(done))
            .order_by(items.c.scan_id)
        )
        with store.engine.connect() as db:
            for src, container, fld, entity in db.execute(fq):
                self.known.setdefault((src, container), {})[fld] = entity
            for src, container, status in db.execute(iq):
                self.items[(src, container)] = status

    def status(self, source: str, container: str) -> str:
        fields = self.known.get((source, container), {})
        if any(e in self.entities for e in fields.values()):
            return "known"
        seen = self.items.get((source, container))
        if seen is None:
            return "unseen"
        return "clean" if seen == "complete" else "partial"

    def entity_of(self, source: str, container: str, fld: str | None) -> str | None:
        return self.known.get((source, container), {}).get(fld)


Warn = Callable[[str], None]


class Searcher:
    def __init__(self, matcher: Matcher, options: ConnectorOptions, inventory: Inventory, warn: Warn):
        self.matcher = matcher
        self.options = options
        self.inventory = inventory
        self.warn = warn
        self.sql_stream = False  # databases: read every row instead of filtering in the database
        self.answer = Answer()

    def run(self, sources: list[str]) -> Answer:
        started = time.monotonic()
        for source in sources:
            if scheme(source) in SQL_SCHEMES:
                from pdscan.dsar.sqlsearch import search_database

                search_database(self, source)
            else:
                self._search_items(source)
        self.answer.seconds = time.monotonic() - started
        return self.answer

    def source_done(self, source: str, error: str | None) -> None:
        self.answer.sources.append(
            {"source": redact(source), "status": "failed" if error else "searched", "error": error}
        )
        if error:
            self.warn(f"error: {error}")

    def cover(self, result: ItemResult, method: str, matches: int) -> None:
        status = {"complete": "searched"}.get(result.status, result.status)
        inventory = self.inventory.status(result.source, result.container)
        self.answer.coverage.append(
            Coverage(
                result.source,
                result.container,
                status,
                method,
                inventory,
                result.reason,
                result.detail,
                result.records,
                matches,
            )  # fmt: skip
        )
        if status != "searched" and result.reason in INCOMPLETE:
            self.warn(f"{status} {result.container}: {result.reason} ({result.detail})")

    def listing(self, connector, method: str) -> tuple[list[Item], str | None]:
        """The source's containers (those it could not list are recorded) and why listing failed, if it did."""
        listed: list[ItemResult] = []
        items: list[Item] = []
        error = None
        try:
            items = list(connector.items(listed))
        except SourceError as exc:
            error = str(exc)
        for result in listed:
            self.cover(result, method, 0)
        return items, error

    def ordered(self, source: str, items: list[Item]) -> list[Item]:
        return sorted(items, key=lambda i: PRIORITY[self.inventory.status(redact(source), i.container)])

    # -- files and S3 -------------------------------------------------------------------------------
    def _search_items(self, source: str) -> None:
        connector = connector_for(source, self.options)
        items, error = self.listing(connector, "aho-corasick")
        if scheme(source) != "s3":  # S3 objects stay in listing order: they are fetched ahead in it
            items = self.ordered(source, items)
        for item in items:
            result = ItemResult(redact(source), item.container)
            if error:
                result.skip("source_error", "not searched: the source failed earlier in this run")
                self.cover(result, "aho-corasick", 0)
                continue
            found = []
            try:
                found = self._search_item(connector, item, result)
            except SourceError as exc:
                error = str(exc)
                (result.partial if result.records else result.skip)("source_error", error)
            except ItemError as exc:
                (result.partial if result.records else result.skip)(exc.reason, exc.detail)
            except Exception as exc:  # a reader bug must not end the search, nor quote the data
                (result.partial if result.records else result.skip)("read_error", f"{type(exc).__name__} while reading")
            self.answer.matches += found
            self.cover(result, "aho-corasick", len(found))
        self.source_done(source, error)

    def _search_item(self, connector, item: Item, result: ItemResult) -> list[RecordMatch]:
        found: list[RecordMatch] = []
        chunk: list[Batch] = []
        for batch in connector.read(item, result):
            if not batch.tabular:
                found += self._text_batch(item, result, batch)
                continue
            if chunk and any(b.field == batch.field for b in chunk):
                found += self._records(item, result, chunk)
                chunk = []
            chunk.append(batch)
        if chunk:
            found += self._records(item, result, chunk)
        return found

    def _location(self, item: Item, **where) -> dict:
        return {"container": item.container, **{k: v for k, v in where.items() if v is not None}, **dict(item.extra)}

    def _text_batch(self, item: Item, result: ItemResult, batch: Batch) -> list[RecordMatch]:
        out = []
        for i in sorted(self.matcher.candidates(batch.values)):
            line = batch.values[i].as_py()
            hits = self.matcher.record({None: line})
            if hits:
                number = int(batch.lines[i]) if batch.lines is not None else None
                out.append(
                    RecordMatch(result.source, item.container, self._location(item, line=number), {"line": line}, hits)
                )
        return out

    def _records(self, item: Item, result: ItemResult, chunk: list[Batch]) -> list[RecordMatch]:
        """Rows of one chunk (all fields of the same rows) that hold an identifier, assembled whole."""
        rows: set[int] = set()
        for batch in chunk:
            for i in self.matcher.candidates(batch.values):
                if self.matcher.worth(batch.values[i].as_py(), batch.field):  # before assembling the record
                    rows.add(int(batch.rows[i]) if batch.rows is not None else i)
        out = []
        for row in sorted(rows):
            record: dict[str, str] = {}
            line = None
            for batch in chunk:
                at = np.arange(len(batch.values)) if batch.rows is None else batch.rows
                lo, hi = np.searchsorted(at, row, "left"), np.searchsorted(at, row, "right")
                values = [v for v in batch.values[lo:hi].to_pylist() if v]
                if values:
                    record[batch.field] = " | ".join(values)
                    if batch.lines is not None and line is None:
                        line = int(batch.lines[lo])
            hits = self.matcher.record(record)
            if hits:
                where = self._location(item, row=row, line=line)
                out.append(RecordMatch(result.source, item.container, where, record, hits))
        return out
