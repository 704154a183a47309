"""The inventory report: policy categories x locations, with counts, first/last seen and coverage."""

from __future__ import annotations

from collections import Counter

from pdscan.policy import Policy
from pdscan.reports.base import Report, Section
from pdscan.reports.view import View, coverage, location_type

LOCATION_COLUMNS = [
    ("category", "Category id"),
    ("category_label", "Category"),
    ("ccpa_category", "CCPA category"),
    ("store", "Store (source)"),
    ("container", "Container (table, file, object)"),
    ("field", "Field (column)"),
    ("location_type", "Location type"),
    ("entities", "Entities"),
    ("findings", "Findings"),
    ("occurrences", "Occurrences"),
    ("test_data", "Test data"),
    ("samples", "Masked samples"),
    ("first_seen", "First seen"),
    ("last_seen", "Last seen"),
    ("coverage_status", "Coverage"),
    ("coverage", "Coverage detail"),
]
COVERAGE_COLUMNS = [
    ("store", "Store (source)"),
    ("container", "Container"),
    ("coverage_status", "Coverage"),
    ("coverage", "Detail"),
    ("findings", "Findings"),
    ("scan", "Scan"),
]


def occurrences(f) -> int:
    """Values found: a column finding stands for its matching values, a match for one."""
    return (f.matches or 0) if f.kind == "column" else 1


def category_label(policy: Policy, category: str | None) -> str:
    found = policy.categories.get(category or "")
    return found.label if found else (category or "uncategorized")


def location_rows(policy: Policy, view: View, seen: list) -> list[dict]:
    """One row per (category, store, container, field) of the given findings."""
    groups: dict[tuple, list] = {}
    for s in seen:
        f = s.finding
        groups.setdefault((f.category or "uncategorized", f.source, f.location.container, f.location.field), []).append(
            s
        )
    rows = []
    for (category, source, container, fld), group in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        cov = coverage(view.item(source, container), source)
        samples = sorted({x for s in group for x in (s.finding.samples or [s.finding.sample]) if x})
        rows.append(
            {
                "category": category,
                "category_label": category_label(policy, category),
                "ccpa_category": group[0].finding.ccpa_category or policy.ccpa_of(group[0].finding.entity),
                "store": source,
                "container": container,
                "field": fld,
                "location_type": location_type(source, fld),
                "entities": sorted({s.finding.entity for s in group}),
                "findings": len(group),
                "occurrences": sum(occurrences(s.finding) for s in group),
                "test_data": sum(s.finding.test_data for s in group),
                "samples": samples[:5],
                "values_checked": max((s.finding.sampled or 0 for s in group), default=0) or None,
                "first_seen": min(s.first_seen for s in group),
                "last_seen": max(s.last_seen for s in group),
                "coverage_status": cov["status"],
                "coverage": cov["text"],
            }
        )
    return rows


def coverage_rows(view: View) -> list[dict]:
    """Every item of the view, with or without findings: where "none found" is (or is not) a verdict."""
    counts = Counter((s.finding.source, s.finding.location.container) for s in view.seen)
    rows = []
    for (source, container), item in sorted(view.items.items()):
        cov = coverage(item, source)
        rows.append(
            {
                "store": source,
                "container": container,
                "coverage_status": cov["status"],
                "coverage": cov["text"],
                "findings": counts.get((source, container), 0),
                "scan": item["scan_id"],
            }
        )
    return rows


def chart_counts(policy: Policy, seen: list) -> dict[tuple[str, str], int]:
    return dict(Counter((category_label(policy, s.finding.category), s.finding.source) for s in seen))


def build(policy: Policy, view: View, **_) -> Report:
    rows = location_rows(policy, view, view.seen)
    cover = coverage_rows(view)
    by_category = Counter(r["category_label"] for r in rows)
    not_covered = [r for r in cover if r["coverage_status"] not in ("complete",)]
    summary = [
        {"category": cid, "category_label": cat.label, "ccpa_category": cat.ccpa, "locations": by_category[cat.label]}
        for cid, cat in policy.categories.items()
        if by_category[cat.label]
    ]
    return Report(
        kind="inventory",
        title="Personal data inventory",
        policy=policy,
        view=view,
        sections=[
            Section("locations", "Categories by location", LOCATION_COLUMNS, rows, empty="No findings."),
            Section(
                "categories",
                "Categories found",
                [("category_label", "Category"), ("ccpa_category", "CCPA category"), ("locations", "Locations")],
                summary,
            ),
            Section(
                "coverage",
                "Coverage of every item scanned",
                COVERAGE_COLUMNS,
                cover,
                intro="An item with no findings is only clean as far as it was read: "
                "sampled, partial and skipped items may hold personal data pdscan did not see.",
            ),
        ],
        facts=[
            ("Locations with personal data", str(len(rows))),
            ("Items scanned", str(len(cover))),
            ("Items not read in full (sampled, partial, skipped)", str(len(not_covered))),
        ],
        chart=chart_counts(policy, view.seen),
    )
