"""The PFI report: every location holding Protected Financial Information, and where it could hide.

Card findings are full, Luhn-valid card numbers (PANs): the card detector reports nothing else.
Masked or truncated numbers (`**** **** **** 1234`, `411111******1111`) are not findings, so
the store cannot list them; the report says so rather than claiming there are none.
"""

from __future__ import annotations

from pdscan.policy import Policy
from pdscan.reports.base import Report, Section
from pdscan.reports.inventory import chart_counts, occurrences
from pdscan.reports.view import View, coverage, location_type

PFI = "pfi"
PFI_ENTITIES = ("CREDIT_CARD", "CARD_SECURITY_CODE", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER", "IBAN_CODE")
FULL_PAN = "full card number (Luhn-valid PAN)"
MASKED_NOTE = (
    "Masked or truncated card numbers (such as **** **** **** 1234 or 411111******1111) are not PFI "
    "findings: pdscan reports only full, Luhn-valid card numbers, so masked or truncated ones are not listed."
)
TEST_NOTE = (
    "Test data: well-known test numbers (such as 4111 1111 1111 1111) are counted apart; they are not customer PFI."
)

COLUMNS = [
    ("store", "Store (source)"),
    ("container", "Container (table, file, object)"),
    ("field", "Field (column)"),
    ("location_type", "Location type"),
    ("entity", "Entity"),
    ("card_number_form", "Card number form"),
    ("findings", "Findings"),
    ("occurrences", "Occurrences"),
    ("test_data", "Test-data findings"),
    ("customer_findings", "Customer findings"),
    ("samples", "Masked samples"),
    ("first_seen", "First seen"),
    ("last_seen", "Last seen"),
    ("basis", "Basis of the verdict"),
    ("coverage_status", "Coverage"),
    ("coverage", "Coverage detail"),
]
GAP_COLUMNS = [
    ("store", "Store (source)"),
    ("container", "Container"),
    ("coverage_status", "Coverage"),
    ("coverage", "Detail"),
    ("pfi_found", "PFI found in what was read"),
]


def pfi_entities(policy: Policy) -> tuple[str, ...]:
    category = policy.categories.get(PFI)
    return category.entities if category else PFI_ENTITIES


def basis(group: list) -> str:
    columns = [s.finding for s in group if s.finding.kind == "column"]
    matches = len(group) - len(columns)
    parts = []
    if columns:
        checked = max(f.sampled or 0 for f in columns)
        parts.append(f"column verdict on {checked} values checked")
    if matches:
        parts.append(f"{matches} value(s) found in text")
    return "; ".join(parts)


def build(policy: Policy, view: View, **_) -> Report:
    entities = set(pfi_entities(policy))
    seen = [s for s in view.seen if s.finding.category == PFI or s.finding.entity in entities]
    groups: dict[tuple, list] = {}
    for s in seen:
        f = s.finding
        groups.setdefault((f.source, f.location.container, f.location.field or "", f.entity), []).append(s)
    rows = []
    for (source, container, fld, entity), group in sorted(groups.items()):
        cov = coverage(view.item(source, container), source)
        test = sum(s.finding.test_data for s in group)
        rows.append(
            {
                "store": source,
                "container": container,
                "field": fld or None,
                "location_type": location_type(source, fld),
                "entity": entity,
                "card_number_form": FULL_PAN if entity == "CREDIT_CARD" else None,
                "findings": len(group),
                "occurrences": sum(occurrences(s.finding) for s in group),
                "test_data": test,
                "customer_findings": len(group) - test,
                "samples": sorted({x for s in group for x in (s.finding.samples or [s.finding.sample]) if x})[:5],
                "first_seen": min(s.first_seen for s in group),
                "last_seen": max(s.last_seen for s in group),
                "basis": basis(group),
                "coverage_status": cov["status"],
                "coverage": cov["text"],
            }
        )
    holding = {(r["store"], r["container"]) for r in rows}
    gaps = []
    for (source, container), item in sorted(view.items.items()):
        cov = coverage(item, source)
        if cov["status"] in ("partial", "skipped", "sampled", "unknown"):
            gaps.append(
                {
                    "store": source,
                    "container": container,
                    "coverage_status": cov["status"],
                    "coverage": cov["text"],
                    "pfi_found": (source, container) in holding,
                }
            )
    full_cards = sum(r["findings"] - r["test_data"] for r in rows if r["entity"] == "CREDIT_CARD")
    return Report(
        kind="pfi",
        title="Protected Financial Information (PFI) locations",
        policy=policy,
        view=view,
        sections=[
            Section(
                "locations",
                "Locations holding PFI",
                COLUMNS,
                rows,
                intro=f"Only locations that hold PFI ({', '.join(sorted(entities))}).",
                empty="No PFI found in what pdscan read (see the items not fully covered below).",
            ),
            Section(
                "not_covered",
                "Items not fully covered: PFI could hide here",
                GAP_COLUMNS,
                gaps,
                intro="Skipped, partly read or sampled items: absence of PFI findings there is not a verdict.",
                empty="Every item was read in full.",
            ),
        ],
        facts=[
            ("Locations holding PFI", str(len({(r["store"], r["container"], r["field"]) for r in rows}))),
            ("Full card number findings (customer data)", str(full_cards)),
            ("Test-data PFI findings", str(sum(r["test_data"] for r in rows))),
            ("Masked or truncated card numbers", "not PFI findings; not listed"),
            ("Items not fully covered", str(len(gaps))),
        ],
        notes=[MASKED_NOTE, TEST_NOTE],
        chart=chart_counts(policy, seen),
    )
