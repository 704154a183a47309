"""The store opened: a scan's writes, and the reads other code asks of it (from `queries`).

SQLite by default (`pdscan.db` in the working directory, created with mode 0600); any SQLAlchemy
URL with `--store` (PostgreSQL for a team). Opening it brings its schema to the latest version
(pdscan.store.migrations).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from pdscan.connectors.sql.session import with_driver
from pdscan.core.errors import StoreError, UrlError
from pdscan.core.model import Finding, ItemResult
from pdscan.store import diff as diffs
from pdscan.store import labels as labelling
from pdscan.store import queries
from pdscan.store.migrations import migrate
from pdscan.store.rows import finding_row, item_row, now
from pdscan.store.schema import findings, items, scans

DEFAULT_STORE = "pdscan.db"


def _private_sqlite_file(url: sa.URL) -> None:
    """A SQLite store's file is created 0600; an existing one open to others is refused (Exposed).

    Findings are sensitive metadata (where whose data is, masked samples, fingerprints). SQLite
    gives its journal and WAL files the database file's mode. A server URL has no file to check.
    """
    from pdscan.core.privatefile import create_private, refuse_exposed

    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return
    if not create_private(path):
        refuse_exposed(path)


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or f"sqlite:///{DEFAULT_STORE}"
        if "://" not in self.url:
            self.url = f"sqlite:///{self.url}"
        try:
            url = with_driver(self.url)
        except UrlError as exc:
            raise StoreError(f"cannot open the store ({type(exc).__name__})") from None
        try:
            _private_sqlite_file(url)
        except OSError as exc:
            raise StoreError(f"cannot create the store ({exc.strerror})") from None
        try:
            self.engine = sa.create_engine(url, future=True)
            migrate(self.engine)
        except (sa.exc.SQLAlchemyError, UrlError, ImportError) as exc:
            raise StoreError(f"cannot open the store ({type(exc).__name__})") from None

    # -- writing a scan --------------------------------------------------------------------------
    def begin(self, sources: list[str], policy: str, key_id: str, settings: str | None = None) -> int:
        with self.engine.begin() as db:
            row = db.execute(
                scans.insert().values(
                    started=now(), sources=json.dumps(sources), policy=policy, key_id=key_id, settings=settings
                )
            )
            return int(row.inserted_primary_key[0])

    def add_findings(self, scan_id: int, found: Iterable[Finding], carried_from: int | None = None) -> None:
        rows = [finding_row(scan_id, f, carried_from) for f in found]
        if rows:
            with self.engine.begin() as db:
                db.execute(findings.insert(), rows)

    def add_items(self, scan_id: int, results: Iterable[ItemResult]) -> None:
        """Each item's coverage, version and origin of carried findings, in one transaction."""
        rows = [item_row(scan_id, r) for r in results]
        if rows:
            with self.engine.begin() as db:
                db.execute(items.insert(), rows)

    def finish(self, scan_id: int, summary: dict[str, Any], interrupted: bool = False) -> None:
        with self.engine.begin() as db:
            db.execute(
                scans.update()
                .where(scans.c.id == scan_id)
                .values(finished=now(), summary=json.dumps(summary), interrupted=interrupted)
            )

    def record_gone(self, scan_id: int, roots: list[str]) -> int:
        return diffs.record_gone(self.engine, scan_id, roots)

    # -- reading (pdscan.store.queries) ----------------------------------------------------------
    def interrupted(self, scan_id: int) -> bool:
        return queries.interrupted(self, scan_id)

    def previous_item(self, source: str, container: str, before: int) -> dict | None:
        return queries.previous_item(self, source, container, before)

    def previous_items(self, source: str, containers: list[str], before: int) -> dict[str, dict]:
        return queries.previous_items(self, source, containers, before)

    def findings_in(self, scan_id: int, source: str, containers: list[str]) -> dict[str, list[Finding]]:
        return queries.findings_in(self, scan_id, source, containers)

    def findings_of(self, scan_id: int, source: str | None = None, container: str | None = None) -> list[Finding]:
        return queries.findings_of(self, scan_id, source, container)

    def items_of(self, scan_id: int) -> list[dict]:
        return queries.items_of(self, scan_id)

    def scan_list(self) -> list[dict]:
        return queries.scan_list(self)

    def last_scans(self, n: int = 2) -> list[int]:
        return queries.last_scans(self, n)

    def gone_in(self, scan_id: int) -> list[dict]:
        return queries.gone_in(self, scan_id)

    def find_by_identity(self, key: str, scan_id: int | None = None) -> Finding | None:
        return queries.find_by_identity(self, key, scan_id)

    def diff(self, old: int, new: int) -> diffs.Diff:
        return diffs.diff(self, old, new)

    # -- reviewer labels (pdscan.store.labels) ---------------------------------------------------
    def label(self, label: str, note: str | None = None, *, finding: Finding | None = None, **where) -> int:
        """A label on one finding (its identity, lapsing when its samples change) or on every finding
        of a location and rule: (source, container prefix, field, entity), each optional. Its id."""
        return labelling.add_label(self.engine, label, note, finding, where)

    def labels(self, include_removed: bool = False) -> list[dict]:
        return queries.label_rows(self, include_removed)

    def remove_label(self, label_id: int) -> bool:
        """Withdraw a label (kept, marked removed, for the audit trail); False when there is none."""
        return labelling.remove_label(self.engine, label_id)

    def label_set(self) -> labelling.LabelSet:
        return labelling.LabelSet(self.labels())
