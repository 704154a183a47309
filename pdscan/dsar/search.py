"""Search every source for the person: files and S3 objects through the connectors' readers and
the literal matcher; databases through parameterized WHERE clauses (dsar/sqlsearch.py).

The store's inventory decides the order (containers known to hold the person's kinds of data
first) and never excludes a container: a column finding is not proof of absence (a sparse column
below the verdict threshold leaves none), so every container is searched. A record is one row of
one table, one CSV/Parquet row, one NDJSON line, one JSON array element or one text line: never a
merge across tables or files. Any container not fully searched makes the answer incomplete.

A second pass follows the keys of the matching records (foreign keys from a database's schema,
join keys named in the config for every source) to the person's linked records: their orders,
payment methods, tickets, which hold none of the identifiers themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.connectors.base import Batch, Item
from pdscan.connectors.registry import ConnectorOptions, connector_for
from pdscan.core.errors import SourceError, stopped_by
from pdscan.core.model import ItemResult
from pdscan.detectors.columns import hinted_entity
from pdscan.dsar import sqlsearch
from pdscan.dsar.matcher import Matcher, leaf
from pdscan.dsar.records import COMPLETE_REASONS, Answer, Coverage, Link, RecordMatch
from pdscan.engine import root_of

__all__ = ["COMPLETE_REASONS", "PRIORITY", "Answer", "Coverage", "Inventory", "Link", "RecordMatch", "Searcher"]

PRIORITY = {"known": 0, "partial": 1, "unseen": 1, "clean": 2}


class Inventory:
    """What earlier scans in the store say: which containers and fields hold which entities."""

    def __init__(
        self, store=None, sources: list[str] = (), entities: set[str] = frozenset(), names: dict | None = None
    ):
        self.entities = entities
        # (source, container) -> field -> entities found there by earlier scans
        self.known: dict[tuple[str, str], dict[str | None, set[str]]] = {}
        self.items: dict[tuple[str, str], str] = {}  # (source, container) -> latest status
        if store is None or not sources:
            return
        from pdscan.store import queries

        shown = [root_of(s, names) for s in sources]  # as the scans that made the store named them
        self.known = queries.known_fields(store, shown)
        self.items = queries.item_statuses(store, shown)

    def status(self, source: str, container: str) -> str:
        fields = self.known.get((source, container), {})
        if any(self.entities & found for found in fields.values()):
            return "known"
        seen = self.items.get((source, container))
        if seen is None:
            return "unseen"
        return "clean" if seen == "complete" else "partial"

    def entities_of(self, source: str, container: str, fld: str | None) -> set[str]:
        return set(self.known.get((source, container), {}).get(fld, ()))

    def entity_of(self, source: str, container: str, fld: str | None) -> str | None:
        """One entity for the field: the one its name suggests when scans found it, else the first."""
        found = self.entities_of(source, container, fld)
        if not found:
            return None
        hinted = hinted_entity(fld) if fld else None
        return hinted if hinted in found else min(found)


Warn = Callable[[str], None]


class Searcher:
    def __init__(self, matcher: Matcher, options: ConnectorOptions, inventory: Inventory, warn: Warn):
        self.matcher = matcher
        self.options = options
        self.inventory = inventory
        self.warn = warn
        self.names: dict[str, str] = {}  # source as given -> its configured name (pdscan.engine.root_of)
        self.sql_stream = False  # databases: read every row instead of filtering in the database
        self.join_keys: list[tuple[str, ...]] = []  # field names holding one key ("cust_no", "customer_id")
        self.databases: dict = {}  # source -> sqlsearch.Database, kept for the second pass
        self.answer = Answer()
        self._seen: set = set()

    def run(self, sources: list[str]) -> Answer:
        started = time.monotonic()
        try:
            for source in sources:
                connector = connector_for(source, self.options)
                if connector.can_search:  # the source filters its own records (a database's WHERE)
                    sqlsearch.search_database(self, source, connector)
                else:
                    self._search_items(source, connector)
            self._seen = {_identity(m) for m in self.answer.matches}
            links = self.links()
            if links:
                self._second_pass(sources, links)
        finally:
            for db in self.databases.values():
                db.close()
            self.databases = {}
        self.answer.seconds = time.monotonic() - started
        return self.answer

    # -- linked records ------------------------------------------------------------------------------
    def links(self) -> list[Link]:
        """The keys of the direct matches: foreign keys in their database, join keys everywhere."""
        found: dict[Link, None] = {}
        for m in self.answer.matches:
            if m.strength != "strong":  # a name alone may be a namesake's: their orders are not followed
                continue
            db = self.databases.get(m.source)
            for link in db.foreign_links(m) if db else ():
                found[link] = None
            for fld, value in m.record.items():
                group = next((g for g in self.join_keys if leaf(fld) in g), None)
                if group is None:
                    continue
                for part in value.split(" | "):
                    if part.strip():
                        where = f"{m.container}.{fld}" if m.source in self.databases else f"{m.container}:{fld}"
                        found[Link(f"{where}={part.strip()}", (part.strip(),), (group,))] = None
        return list(found)

    def _second_pass(self, sources: list[str], links: list[Link]) -> None:
        files = [link for link in links if link.source is None]
        for source in sources:
            shown = root_of(source, self.names)
            if shown in self.databases:
                sqlsearch.search_linked(self, shown, links)
            elif files and not any(s["source"] == shown and s["status"] == "failed" for s in self.answer.sources):
                self._linked_items(source, files)

    def linked(self, m: RecordMatch) -> None:
        """A record reached through a key of a matching one, unless it is itself a match."""
        if _identity(m) not in self._seen:
            self._seen.add(_identity(m))
            self.answer.matches.append(m)

    def downgrade(self, source: str, container: str, reason: str, detail: str) -> None:
        """The second pass could not search a container: the answer is incomplete there."""
        for c in self.answer.coverage:
            if c.source == source and c.container == container and c.status == "searched":
                c.status, c.reason, c.detail = "partial", reason, detail
                self.warn(f"partial {container}: {reason} ({detail})")

    def _linked_items(self, source: str, links: list[Link]) -> None:
        connector = connector_for(source, self.options)
        try:
            items = list(connector.items([]))
        except SourceError:
            return  # recorded in the first pass
        for item in items:
            result = ItemResult(root_of(source, self.names), item.container)
            try:
                for chunk in _chunks(connector.read(item, result)):
                    if isinstance(chunk, list):  # rows; join keys are not looked for in free text
                        self._linked_rows(item, result, chunk, links)
            except Exception as exc:  # mapped as the scan engine maps it (pdscan.core.errors.stopped_by)
                _scope, reason, detail = stopped_by(exc)
                self.downgrade(result.source, item.container, reason, f"linked records not searched: {detail}")

    def _linked_rows(self, item: Item, result: ItemResult, chunk: list[Batch], links: list[Link]) -> None:
        names = {n for link in links for names in link.columns for n in names}
        keys = {v for link in links for v in link.values}
        rows: set[int] = set()
        for batch in chunk:
            if leaf(batch.field) not in names:
                continue
            stripped = pc.utf8_trim_whitespace(batch.values)
            hit = pc.fill_null(pc.is_in(stripped, pa.array(sorted(keys))), False).to_numpy(zero_copy_only=False)
            for i in np.flatnonzero(hit):
                rows.add(int(batch.rows[i]) if batch.rows is not None else int(i))
        for row in sorted(rows):
            record, line, key = _assemble(chunk, row)
            for link in links:
                fields = link.holds(record)
                if fields:
                    where = self._location(item, table=chunk[0].table, row=row, row_key=key, line=line)
                    where.update(chunk[0].place)  # a document's table
                    path = f"{link.via} -> {item.container}:{','.join(fields)}"
                    self.linked(RecordMatch(result.source, item.container, where, record, [], link=path))
                    break

    def source_done(self, source: str, error: str | None) -> None:
        self.answer.sources.append(
            {"source": root_of(source, self.names), "status": "failed" if error else "searched", "error": error}
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
        if status != "searched" and result.reason not in COMPLETE_REASONS:
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
        return sorted(items, key=lambda i: PRIORITY[self.inventory.status(root_of(source, self.names), i.container)])

    # -- files and S3 -------------------------------------------------------------------------------
    def _search_items(self, source: str, connector) -> None:
        items, error = self.listing(connector, "aho-corasick")
        if not connector.listing_order:  # S3 objects stay in listing order: they are fetched ahead in it
            items = self.ordered(source, items)
        for item in items:
            result = ItemResult(root_of(source, self.names), item.container)
            if error:
                result.skip("source_error", "not searched: the source failed earlier in this run")
                self.cover(result, "aho-corasick", 0)
                continue
            found = []
            try:
                found = self._search_item(connector, item, result)
            except Exception as exc:  # mapped as the scan engine maps it (pdscan.core.errors.stopped_by)
                scope, reason, detail = stopped_by(exc)
                error = detail if scope == "source" else error
                (result.partial if result.records else result.skip)(reason, detail)
            self.answer.matches += found
            self.cover(result, "aho-corasick", len(found))
        self.source_done(source, error)

    def _search_item(self, connector, item: Item, result: ItemResult) -> list[RecordMatch]:
        found: list[RecordMatch] = []
        for chunk in _chunks(connector.read(item, result)):
            if isinstance(chunk, list):
                found += self._records(item, result, chunk)
            else:
                found += self._text_batch(item, result, chunk)
        return found

    def _location(self, item: Item, **where) -> dict:
        return {"container": item.container, **{k: v for k, v in where.items() if v is not None}, **dict(item.extra)}

    def _text_batch(self, item: Item, result: ItemResult, batch: Batch) -> list[RecordMatch]:
        out = []
        for i in sorted(self.matcher.candidates(batch.values)):
            line = batch.values[i].as_py()
            hits = self.matcher.record({None: line})
            if hits:
                where = self._location(item, line=batch.line_of(i), **dict(batch.place))
                where.update(batch.places[i] if batch.places is not None else ())  # page, slide, paragraph
                out.append(RecordMatch(result.source, item.container, where, {"line": line}, hits))
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
            record, line, key = _assemble(chunk, row)
            hits = self.matcher.record(record)
            if hits:
                where = self._location(item, table=chunk[0].table, row=row, row_key=key, line=line)
                where.update(chunk[0].place)  # a document's table
                out.append(RecordMatch(result.source, item.container, where, record, hits))
        return out


def _chunks(batches: Iterator[Batch]) -> Iterator[Batch | list[Batch]]:
    """Text batches as they come; tabular ones grouped into chunks holding all fields of the same
    rows of one table. A record is one row of one table: never merged across tables (their row
    indexes restart) nor across reads of the same rows (a field comes again)."""
    chunk: list[Batch] = []
    for batch in batches:
        if not batch.tabular:
            yield batch
            continue
        if chunk and (batch.table != chunk[0].table or any(b.field == batch.field for b in chunk)):
            yield chunk
            chunk = []
        chunk.append(batch)
    if chunk:
        yield chunk


def _assemble(chunk: list[Batch], row: int) -> tuple[dict[str, str], int | None, object]:
    """One row of a chunk (all fields of the same rows of one table) as a record; its line and key."""
    record: dict[str, str] = {}
    line = key = None
    for batch in chunk:
        at = np.arange(len(batch.values)) if batch.rows is None else batch.rows
        lo, hi = np.searchsorted(at, row, "left"), np.searchsorted(at, row, "right")
        values = [v for v in batch.values[lo:hi].to_pylist() if v]
        if values:
            record[batch.field] = " | ".join(values)
            if batch.lines is not None and line is None:
                line = int(batch.lines[lo])
            if batch.row_keys is not None and key is None:
                key = batch.row_keys[lo]
    return record, line, key


def _identity(m: RecordMatch) -> tuple:
    where = m.location
    return (m.source, m.container, where.get("table"), str(where.get("row_key")), where.get("row"), where.get("line"))
