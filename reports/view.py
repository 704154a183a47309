"""What the reports see: each container as the latest finished scan that listed it left it.

A report reads the findings store only, never a source. Findings carried forward from an
unchanged (or unreadable) item are rows of the later scan already, so the latest scan's rows
are the container's current findings. Reviewer-labelled findings are counted, not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from pdscan.core.errors import REASONS, ReportError
from pdscan.core.model import Finding
from pdscan.store import Store, finding_identity, findings, labels, scans
from pdscan.store import gone as gone_table
from pdscan.store import items as items_table


@dataclass
class Seen:
    """A finding as the report shows it, with when its identity was first and last found."""

    finding: Finding
    identity: str
    scan_id: int
    first_seen: str
    last_seen: str
    stale: bool = False  # its container could not be read by the latest scan: found earlier, kept


@dataclass
class View:
    scans: list[dict]  # the finished scans considered, oldest first
    items: dict[tuple[str, str], dict]  # (source, container) -> the latest item row, with its scan's start
    seen: list[Seen]
    suppressed: int = 0
    as_of: str = ""
    scan_id: int | None = None  # --scan: this scan only
    notes: list[str] = field(default_factory=list)

    def item(self, source: str, container: str) -> dict | None:
        return self.items.get((source, container))


def is_database(source: str) -> bool:
    return "://" in source and not source.startswith("s3://")


def location_type(source: str, fld: str | None) -> str:
    """What a location is to a compliance reader: table, column, file, object."""
    if source.startswith("s3://"):
        return "object"
    if is_database(source):
        return "column" if fld else "table"
    return "file"


def coverage(item: dict | None, source: str) -> dict:
    """How much of an item pdscan read: complete, sampled N rows, partial or skipped with the reason."""
    if item is None:
        return {"status": "unknown", "reason": None, "records": None, "text": "unknown: no record of this item"}
    status, reason, records = item["status"], item["reason"], item["records"] or 0
    explain = item.get("detail") or REASONS.get(reason or "", "")
    if status == "skipped":
        text = f"skipped ({reason}): {explain}"
    elif status == "partial":
        text = f"partial ({reason}): {explain}"
    elif item.get("sampled"):
        status = "sampled"
        text = f"sampled: {item['sampled']}"
        if item.get("carried_from"):
            text += f", unchanged since scan {item['carried_from']}"
    elif item.get("carried_from"):
        text = f"complete: unchanged since scan {item['carried_from']}, not read again (findings carried forward)"
    else:
        text = f"complete: {records} records, {item['bytes'] or 0} bytes"
    return {"status": status, "reason": reason, "records": records, "text": text}


def load_view(
    store: Store, scan_id: int | None = None, since: str | None = None, as_of: int | None = None, hide: bool = True
) -> View:
    """The current view: each container as the latest scan that listed it left it, containers
    found deleted since left out. `as_of`: the view current after that scan (history). `scan_id`:
    that scan's findings only. `since` (ISO time): every finding of scans started then or later
    instead, the latest row of each identity (the right-to-know look-back). `hide`: findings
    labelled false positives are counted (`suppressed`), not listed."""
    last = scan_id if scan_id is not None else as_of
    with store.engine.connect() as db:
        q = sa.select(scans).where(scans.c.finished.is_not(None)).order_by(scans.c.id)
        if last is not None:
            q = q.where(scans.c.id <= last)
        scan_rows = [dict(r) for r in db.execute(q).mappings()]
        if not scan_rows:
            raise ReportError("the store holds no finished scan: run `pdscan scan` first")
        if last is not None and scan_rows[-1]["id"] != last:
            raise ReportError(f"no finished scan {last} in the store (see `pdscan scans`)")
        started = {s["id"]: s["started"] for s in scan_rows}
        latest: dict[tuple[str, str], dict] = {}
        for row in db.execute(sa.select(items_table).order_by(items_table.c.scan_id)).mappings():
            if row["scan_id"] in started and (scan_id is None or row["scan_id"] == scan_id):
                latest[(row["source"], row["container"])] = {**row, "started": started[row["scan_id"]]}
        for row in db.execute(sa.select(gone_table)).mappings():  # deleted since its latest listing
            key = (row["source"], row["container"])
            if row["scan_id"] in started and key in latest and latest[key]["scan_id"] < row["scan_id"]:
                del latest[key]
        span = (
            sa.select(
                findings.c.identity,
                sa.func.min(scans.c.started).label("first"),
                sa.func.max(scans.c.started).label("last"),
            )
            .join(scans, scans.c.id == findings.c.scan_id)
            .where(scans.c.id.in_(list(started)))
            .group_by(findings.c.identity)
        )
        seen_span = {r.identity: (r.first, r.last) for r in db.execute(span)}
        any_labels = db.execute(sa.select(sa.func.count()).select_from(labels)).scalar() > 0
    view = View(scans=scan_rows, items=latest, seen=[], as_of=scan_rows[-1]["started"], scan_id=scan_id)
    if since is not None:
        chosen = {sid: None for sid, start in started.items() if start >= since}
    else:
        chosen = {row["scan_id"]: None for row in latest.values()}
    rows: dict[str, Seen] = {}
    for sid in sorted(chosen):
        for f in store.findings_of(sid):
            item = latest.get((f.source, f.location.container), {})
            if since is None and item.get("scan_id") != sid:
                continue  # a later scan listed this container (or found it deleted): its rows are current
            key = finding_identity(f)
            first, last_seen = seen_span.get(key, (started[sid], started[sid]))
            rows[key] = Seen(f, key, sid, first, last_seen, stale=item.get("status") == "skipped")
    label_set = store.label_set() if any_labels and hide else None
    for s in rows.values():
        if label_set and label_set.of(s.finding) == "false_positive":  # accepted data is still data: kept
            view.suppressed += 1
        else:
            view.seen.append(s)
    view.seen.sort(key=lambda s: (s.finding.category or "", s.finding.source, s.finding.location.container))
    return view


def current_findings(store: Store, as_of: int | None = None) -> list[Finding]:
    """Every current finding (after scan `as_of`, else now), false positives included."""
    return [s.finding for s in load_view(store, as_of=as_of, hide=False).seen]


def months_ago(months: int, now: datetime | None = None) -> str:
    """ISO time `months` calendar months before now (the day clamped to the month's end)."""
    now = now or datetime.now(UTC)
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return now.replace(year=year, month=month, day=min(now.day, days[month - 1])).isoformat(timespec="seconds")
