"""What changed between two scans (new and resolved findings), and which containers a scan found gone."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from pdscan.core.model import Finding
from pdscan.store import queries
from pdscan.store.identity import finding_identity
from pdscan.store.labels import LabelSet
from pdscan.store.schema import gone, items, scans


@dataclass
class Diff:
    old: int
    new: int
    added: list[Finding]
    resolved: list[Finding]
    compared: int  # containers scanned in both runs
    deleted: int = 0  # containers gone (deleted) since the old scan: their findings are resolved
    hidden: int = 0  # new or resolved findings left out: labelled false positives


def diff(store, old: int, new: int) -> Diff:
    """New and resolved findings between two scans.

    New: in the new scan and not in the old one (a new file's findings are new). Resolved: in
    the old scan, and gone from a container the new scan read again, or the container itself is
    gone (the new scan, or one between, listed its source whole with the same settings and it
    was not there: deleted). A container the new scan skipped resolves nothing (its findings
    are carried, stale), nor one out of the new scan's scope, nor one an interrupted scan was
    reading when it stopped. When the old scan was interrupted, only the containers it reached
    can hold new findings: it says nothing of the rest. Findings labelled false positives are
    left out (counted in `hidden`).
    """
    old_items, new_items = queries.items_of(store, old), queries.items_of(store, new)
    read_again = {
        (i["source"], i["container"]) for i in new_items if i["status"] != "skipped" and i["reason"] != "interrupted"
    } & {(i["source"], i["container"]) for i in old_items}
    deleted = queries.gone_between(store, old, new)
    deleted -= {(i["source"], i["container"]) for i in new_items}  # back again since
    labels = LabelSet(queries.label_rows(store))
    before = {finding_identity(f): f for f in queries.findings_of(store, old)}
    after = {finding_identity(f): f for f in queries.findings_of(store, new)}
    added = [f for key, f in after.items() if key not in before]
    if queries.interrupted(store, old):
        reached = {(i["source"], i["container"]) for i in old_items if i["reason"] != "interrupted"}
        added = [f for f in added if (f.source, f.location.container) in reached]
    resolved = [
        f
        for key, f in before.items()
        if key not in after and (f.source, f.location.container) in (read_again | deleted)
    ]
    shown_added = [f for f in added if labels.of(f) != "false_positive"]
    shown_resolved = [f for f in resolved if labels.of(f) != "false_positive"]
    hidden = len(added) - len(shown_added) + len(resolved) - len(shown_resolved)
    return Diff(old, new, shown_added, shown_resolved, len(read_again), len(deleted), hidden)


def record_gone(engine: sa.Engine, scan_id: int, roots: list[str]) -> int:
    """Containers of `roots` (sources this scan listed whole) that the latest earlier scan of them
    with the same key and settings listed, and this one did not: deleted (or moved) since."""
    if not roots:
        return 0
    this = sa.select(scans.c.key_id, scans.c.settings).where(scans.c.id == scan_id).subquery()
    rows = []
    with engine.connect() as db:
        now_listed = {
            (r.source, r.container)
            for r in db.execute(sa.select(items.c.source, items.c.container).where(items.c.scan_id == scan_id))
        }
        for root in dict.fromkeys(roots):
            last = db.execute(
                sa.select(sa.func.max(scans.c.id))
                .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
                .join(items, items.c.scan_id == scans.c.id)
                .where(items.c.source == root, scans.c.id < scan_id, scans.c.finished.is_not(None))
                .where(queries.whole(scans.c.interrupted))
            ).scalar()
            if last is None:
                continue
            before = db.execute(sa.select(items.c.container).where(items.c.scan_id == last, items.c.source == root))
            rows += [
                {"scan_id": scan_id, "source": root, "container": r.container, "last_scan": last}
                for r in before
                if (root, r.container) not in now_listed
            ]
    if rows:
        with engine.begin() as db:
            db.execute(gone.insert(), rows)
    return len(rows)
