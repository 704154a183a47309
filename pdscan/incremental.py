"""Incremental scans: which items are unchanged since an earlier scan, so their findings are carried
forward instead of read again. Only a record made with the same key and settings counts.

The application's logic over the store's read queries (pdscan.store.queries) and the connectors'
declared versions (pdscan.connectors.base.Connector.version).
"""

from __future__ import annotations

from pdscan.core.model import Finding
from pdscan.store import queries
from pdscan.store.queries import previous_item, previous_items


def content_version(connector, item, previous: dict | None) -> tuple[dict | None, bool]:
    """(this item's version, unchanged since `previous`), as the connector declares it
    (pdscan.connectors.base.Connector.version): files compare size and mtime, then a hash; objects
    their ETag; tables what the database tells cheaply; (None, False): always scanned again."""
    return connector.version(item, previous)


class ChangeTracker:
    """Decides per item whether a re-scan is needed; unchanged items carry their findings forward."""

    def __init__(self, store, scan_id: int, rescan: bool = False):
        self.store = store
        self.scan_id = scan_id
        self.rescan = rescan
        self.carried = 0
        self._previous: dict[tuple[str, str], dict | None] = {}  # looked up ahead (`expect`)
        self._findings: dict[tuple[str, str], list[Finding]] = {}

    def expect(self, containers: dict[str, list[str]]) -> None:
        """The items `check` is about to be asked about (source -> containers): their earlier records,
        and the findings of those that may be carried, looked up together. Replaces the last lookup."""
        self._previous, self._findings = {}, {}
        for source, names in containers.items():
            found = previous_items(self.store, source, names, self.scan_id)
            self._previous.update({(source, c): found.get(c) for c in names})
            if self.rescan:
                continue
            by_scan: dict[int, list[str]] = {}
            for c, row in found.items():
                if row["status"] == "complete":
                    by_scan.setdefault(row["scan_id"], []).append(c)
            for scan_id, cs in by_scan.items():
                carried = queries.findings_in(self.store, scan_id, source, cs)
                self._findings.update({(source, c): f for c, f in carried.items()})

    def _previous_item(self, source: str, container: str) -> dict | None:
        key = (source, container)
        if key in self._previous:
            return self._previous.pop(key)  # each looked-up record used once (a path given twice asks again)
        return previous_item(self.store, source, container, self.scan_id)

    def check(self, connector, item, source: str) -> tuple[dict | None, list[Finding] | None, int | None, str | None]:
        """(version, carried findings or None to scan, the scan they come from, what that scan sampled)."""
        previous = self._previous_item(source, item.container)
        usable = previous if previous and previous["status"] == "complete" else None
        try:
            version, same = content_version(connector, item, usable["version"] if usable else None)
        except OSError:
            return None, None, None, None
        if self.rescan or not usable or not same:
            return version, None, None, None
        origin = usable["carried_from"] or usable["scan_id"]
        carried = self._findings.pop((source, item.container), None)
        if carried is None:
            carried = queries.findings_of(self.store, usable["scan_id"], source, item.container)
        for f in carried:
            f.carried_from = origin
        self.carried += 1
        return version, carried, origin, usable["sampled"]

    def skipped(self, source: str, container: str) -> list[Finding]:
        """An item this run could not read keeps the findings an earlier run made in it."""
        previous = previous_item(self.store, source, container, self.scan_id)
        if not previous:
            return []
        origin = previous["carried_from"] or previous["scan_id"]
        carried = queries.findings_of(self.store, previous["scan_id"], source, container)
        for f in carried:
            f.carried_from = origin
        return carried
