"""The inventory report: policy categories x locations, with counts, first/last seen and coverage."""

from __future__ import annotations

from collections import Counter

from pdscan.reports import charts
from pdscan.reports.base import Report, Section
from pdscan.reports.counts import place_kind, place_of, sum_values
from pdscan.reports.model import PolicyTerms, ReportInput
from pdscan.reports.sources import Stores
from pdscan.reports.view import View, coverage, location_type

LOCATION_COLUMNS = [
    ("category_label", "Category"),
    ("store_name", "Store"),
    ("owner", "Owner"),
    ("container", "Container (table, file, object)"),
    ("field", "Field (column)"),
    ("place", "Place"),
    ("entities", "Entities"),
    ("values_text", "Values"),
    ("coverage_status", "Coverage"),
]
LOCATION_DETAILS = [
    ("category", "Category id"),
    ("ccpa_category", "CCPA category"),
    ("store", "Source"),
    ("location_type", "Location type"),
    ("values", "Values found"),
    ("values_estimate", "Values estimated in all"),
    ("values_checked", "Values checked"),
    ("findings", "Findings"),
    ("test_data", "Test-data findings"),
    ("samples", "Masked samples"),
    ("first_seen", "First seen"),
    ("last_seen", "Last seen"),
    ("coverage", "Coverage detail"),
]
COVERAGE_COLUMNS = [
    ("store_name", "Store"),
    ("owner", "Owner"),
    ("container", "Container"),
    ("coverage_status", "Coverage"),
    ("places", "Places with findings"),
    ("values_text", "Values"),
]
COVERAGE_DETAILS = [("store", "Source"), ("coverage", "Detail"), ("findings", "Findings"), ("scan", "Scan")]


def category_label(policy: PolicyTerms, category: str | None) -> str:
    found = policy.categories.get(category or "")
    return found.label if found else (category or "uncategorized")


def location_rows(policy: PolicyTerms, view: View, seen: list, stores: Stores, sample: int) -> list[dict]:
    """One row per (category, store, container, field) of the given findings."""
    groups: dict[tuple, list] = {}
    for s in seen:
        f = s.finding
        groups.setdefault((f.category or "uncategorized", f.source, f.location.container, f.location.field), []).append(
            s
        )
    rows = []
    for (category, source, container, fld), group in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        item = view.item(source, container)
        cov = coverage(item, source)
        samples = sorted({x for s in group for x in (s.finding.samples or [s.finding.sample]) if x})
        values = sum_values(group, view.items, sample)
        rows.append(
            {
                "category": category,
                "category_label": category_label(policy, category),
                "ccpa_category": group[0].finding.ccpa_category or policy.ccpa_of(group[0].finding.entity),
                **stores.columns(source),
                "container": container,
                "field": fld,
                "location_type": location_type(source, fld),
                "place": place_kind(group[0].finding),
                "entities": sorted({s.finding.entity for s in group}),
                "values": values.found,
                "values_estimate": values.estimate,
                "values_exact": values.exact,
                "values_text": values.text,
                "findings": len(group),
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


def coverage_rows(view: View, stores: Stores, sample: int) -> list[dict]:
    """Every item of the view, with or without findings: where "none found" is (or is not) a verdict."""
    held: dict[tuple[str, str], list] = {}
    for s in view.seen:
        held.setdefault((s.finding.source, s.finding.location.container), []).append(s)
    rows = []
    for (source, container), item in sorted(view.items.items()):
        cov = coverage(item, source)
        group = held.get((source, container), [])
        rows.append(
            {
                **stores.columns(source),
                "container": container,
                "coverage_status": cov["status"],
                "coverage": cov["text"],
                "places": len({place_of(s.finding) for s in group}),
                "values_text": sum_values(group, view.items, sample).text,
                "findings": len(group),
                "scan": item["scan_id"],
            }
        )
    return rows


def category_chart(policy: PolicyTerms, view: View, seen: list, sample: int):
    return charts.by_category(seen, view.items, lambda f: category_label(policy, f.category), sample)


def container_chart(view: View, seen: list, stores: Stores, sample: int):
    return charts.by_container(seen, view.items, stores.label, sample)


def build(data: ReportInput, view: View) -> Report:
    policy, stores, sample = data.policy, Stores(data.sources), data.column_sample
    rows = location_rows(policy, view, view.seen, stores, sample)
    cover = coverage_rows(view, stores, sample)
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
            Section(
                "locations",
                "Categories by location",
                LOCATION_COLUMNS,
                rows,
                empty="No findings.",
                details=LOCATION_DETAILS,
            ),
            Section(
                "categories",
                "Categories found",
                [("category_label", "Category"), ("ccpa_category", "CCPA category"), ("locations", "Places")],
                summary,
            ),
            Section(
                "coverage",
                "Coverage of every item scanned",
                COVERAGE_COLUMNS,
                cover,
                intro="An item with no findings is only clean as far as it was read: "
                "sampled, partial and skipped items may hold personal data pdscan did not see.",
                details=COVERAGE_DETAILS,
            ),
        ],  # fmt: skip
        facts=[
            ("Places with personal data (a category in a column, field or text)", str(len(rows))),
            ("Containers with personal data", str(len({(r["store"], r["container"]) for r in rows}))),
            ("Items scanned", str(len(cover))),
            ("Items not read in full (sampled, partial, skipped)", str(len(not_covered))),
        ],
        charts=[category_chart(policy, view, view.seen, sample), container_chart(view, view.seen, stores, sample)],
    )
