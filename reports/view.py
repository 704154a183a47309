"""What the reports see: each container as the latest finished scan that listed it left it.

A report reads the findings store only, never a source, and not even the store itself: the
application (pdscan.reportdata.load_view) reads it into a `View`, plain data a report is given.
Findings carried forward from an unchanged (or unreadable) item are rows of the later scan
already, so the latest scan's rows are the container's current findings. Reviewer-labelled
findings are counted, not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from pdscan.core.errors import REASONS
from pdscan.core.model import Finding


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
    """The findings a report shows, with the scans and items (the store's rows, as dicts) behind them."""

    scans: list[dict]  # the finished scans considered, oldest first: id, started, finished ...
    # (source, container) -> the latest item row: status, reason, detail, records, bytes, sampled,
    # carried_from, scan_id, and its scan's start (started)
    items: dict[tuple[str, str], dict]
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


def months_ago(months: int, now: datetime | None = None) -> str:
    """ISO time `months` calendar months before now (the day clamped to the month's end)."""
    now = now or datetime.now(UTC)
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return now.replace(year=year, month=month, day=min(now.day, days[month - 1])).isoformat(timespec="seconds")
