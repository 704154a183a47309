"""The finding contract: what every connector, detector and report agrees on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("complete", "partial", "skipped")


@dataclass(frozen=True)
class Location:
    """Where a finding is: always container and field, then text or row coordinates."""

    container: str
    field: str | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    row: int | None = None
    row_key: Any = None
    extra: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"container": self.container, "field": self.field}
        for key in ("line", "start", "end", "row", "row_key"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.extra)
        if "table" in out and "column" not in out:
            out["column"] = self.field  # a database location names its column as such
        return out


@dataclass
class Finding:
    """One match (a value occurrence) or one column verdict (a field holding an entity)."""

    kind: str
    entity: str
    score: float
    detector: str
    source: str
    location: Location
    sample: str
    fingerprint: str | None = None
    value: str | None = None
    test_data: bool = False
    matches: int | None = None
    sampled: int | None = None
    ratio: float | None = None
    distinct: int | None = None
    samples: list[str] | None = None
    values: list[str] | None = None  # the raw values behind `samples`, only with --reveal: output, never stored
    unchecked: int | None = None  # values read after the column was decided on a sample
    category: str | None = None  # the policy's category id
    ccpa_category: str | None = None
    minors: int | None = None  # dates of birth less than the policy's minor age before the scan
    carried_from: int | None = None  # found by that earlier scan in an unchanged (or now unreadable) item
    stale: bool = False  # carried from an item this scan could not read: kept, not resolved, not confirmed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "entity": self.entity,
            "score": round(self.score, 4),
            "detector": self.detector,
            "source": self.source,
            "location": self.location.to_dict(),
            "sample": self.sample,
            "fingerprint": self.fingerprint,
            "category": self.category,
            "ccpa_category": self.ccpa_category,
        }
        if self.minors:
            out["minors"] = self.minors
        if self.carried_from:
            out["carried_from"] = self.carried_from
        if self.stale:
            out["stale"] = True
        if self.kind == "column":
            out.update(
                matches=self.matches,
                sampled=self.sampled,
                ratio=round(self.ratio or 0.0, 4),
                distinct=self.distinct,
                samples=self.samples,
            )
            if self.unchecked:
                out["unchecked"] = self.unchecked
        if self.test_data:
            out["test_data"] = True
        if self.value is not None:
            out["value"] = self.value
        if self.values is not None:
            out["values"] = self.values
        return out


@dataclass
class ItemResult:
    """What happened to one scanned item (file, object, table): its coverage."""

    source: str
    container: str
    status: str = "complete"
    reason: str | None = None
    detail: str | None = None
    bytes: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)
    version: dict | None = None  # what identifies this version of the item (size, mtime, hash; ETag)
    carried_from: int | None = None  # unchanged since that scan: not read again
    sampled: str | None = None  # read in full as chosen, but the choice was a sample: how much of what

    def partial(self, reason: str, detail: str) -> None:
        """Mark the item partly scanned; the first reason stays the headline."""
        if self.status == "complete":
            self.status, self.reason, self.detail = "partial", reason, detail
        elif reason != self.reason:
            self.notes.append(f"{reason}: {detail}")

    def skip(self, reason: str, detail: str) -> None:
        self.status, self.reason, self.detail = "skipped", reason, detail

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "container": self.container,
            "status": self.status,
            "reason": self.reason,
            "detail": self.detail,
            "bytes": self.bytes,
            "records": self.records,
            **({"sampled": self.sampled} if self.sampled else {}),
            **({"carried_from": self.carried_from} if self.carried_from else {}),
        }
