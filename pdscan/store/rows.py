"""Findings and items to rows and back. Raw values never reach a row: a finding's `value` and
`values` (`--reveal`) are dropped here; masked samples and keyed fingerprints are what is kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pdscan.core.model import Finding, ItemResult, Location
from pdscan.store.identity import finding_identity

LOCATION_KEYS = ("container", "field", "line", "start", "end", "row", "row_key")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def finding_row(scan_id: int, f: Finding, carried_from: int | None) -> dict[str, Any]:
    location = f.location.to_dict()
    return {
        "scan_id": scan_id,
        "identity": finding_identity(f),
        "kind": f.kind,
        "entity": f.entity,
        "category": f.category,
        "ccpa_category": f.ccpa_category,
        "source": f.source,
        "container": f.location.container,
        "field": f.location.field,
        "location": json.dumps(location, default=str),
        "score": f.score,
        "detector": f.detector,
        "sample": f.sample,
        "samples": json.dumps(f.samples) if f.samples is not None else None,
        "fingerprint": f.fingerprint,
        "matches": f.matches,
        "sampled": f.sampled,
        "ratio": f.ratio,
        "minors": f.minors,
        "test_data": f.test_data,
        "carried_from": carried_from or f.carried_from,
    }  # never f.value nor f.values (the raw values of --reveal)


def finding_of(row) -> Finding:
    loc = json.loads(row["location"])
    extra = tuple((k, v) for k, v in loc.items() if k not in LOCATION_KEYS)
    location = Location(**{k: loc.get(k) for k in LOCATION_KEYS if k in loc}, extra=extra)
    return Finding(
        kind=row["kind"],
        entity=row["entity"],
        score=row["score"],
        detector=row["detector"],
        source=row["source"],
        location=location,
        sample=row["sample"],
        fingerprint=row["fingerprint"],
        test_data=bool(row["test_data"]),
        matches=row["matches"],
        sampled=row["sampled"],
        ratio=row["ratio"],
        samples=json.loads(row["samples"]) if row["samples"] else None,
        category=row["category"],
        ccpa_category=row["ccpa_category"],
        minors=row["minors"],
        carried_from=row["carried_from"],
    )


def item_row(scan_id: int, r: ItemResult) -> dict[str, Any]:
    return {
        "scan_id": scan_id,
        "source": r.source,
        "container": r.container,
        "status": r.status,
        "reason": r.reason,
        "detail": r.detail,
        "bytes": r.bytes,
        "records": r.records,
        "version": json.dumps(r.version) if r.version else None,
        "carried_from": r.carried_from,
        "sampled": r.sampled,
    }


def item_of(row) -> dict:
    """An item row with its version read back (the change check compares it)."""
    return {**row, "version": json.loads(row["version"]) if row["version"] else None}
