"""The PFI report: every location holding Protected Financial Information, and where it could hide.

CREDIT_CARD findings are full, Luhn-valid card numbers (PANs); MASKED_PAN findings are card
numbers written masked or truncated (`**** **** **** 1234`, `XXXX-XXXX-XXXX-1234`,
`411111******1111`), counted apart. Places (containers, columns, texts) and values (cells,
matches) are counted apart too: a column finding of 40 cards is one place and 40 values.
"""

from __future__ import annotations

from collections import Counter

from pdscan.core import entities
from pdscan.reports import charts
from pdscan.reports.base import Report, Section
from pdscan.reports.counts import place_kind, place_of, sum_values
from pdscan.reports.inventory import container_chart
from pdscan.reports.model import PolicyTerms, ReportInput
from pdscan.reports.sources import Stores
from pdscan.reports.view import View, coverage, location_type

PFI = "pfi"
MASKED = "MASKED_PAN"
FULL_PAN = "full card number (Luhn-valid PAN)"
MASKED_PAN = "masked or truncated card number (last digits only)"
FORMS = {"CREDIT_CARD": FULL_PAN, MASKED: MASKED_PAN}
COUNT_NOTE = (
    "Places are containers' columns or fields, or their text (a log, an export); values are the matching "
    "cells of a column or the matches in text. A column is one finding however many card numbers it holds, "
    'so the report counts values, not findings. "At least" marks a place pdscan read only in part.'
)
MASKED_NOTE = (
    "Masked or truncated card numbers (such as **** **** **** 1234, XXXX-XXXX-XXXX-1234 or 411111******1111) "
    "are counted apart from full card numbers: they are card information, not a PAN."
)
TEST_NOTE = (
    "Test data: well-known test numbers (such as 4111 1111 1111 1111) are counted apart; they are not customer PFI."
)

COLUMNS = [
    ("store_name", "Store"),
    ("owner", "Owner"),
    ("container", "Container (table, file, object)"),
    ("field", "Field (column)"),
    ("place", "Place"),
    ("entity", "Entity"),
    ("values_text", "Values"),
    ("customer_values", "Customer values"),
    ("coverage_status", "Coverage"),
]
DETAILS = [
    ("store", "Source"),
    ("location_type", "Location type"),
    ("card_number_form", "Card number form"),
    ("values", "Values found"),
    ("values_estimate", "Values estimated in all"),
    ("test_values", "Test-data values"),
    ("findings", "Findings"),
    ("samples", "Masked samples"),
    ("first_seen", "First seen"),
    ("last_seen", "Last seen"),
    ("basis", "Basis of the verdict"),
    ("coverage", "Coverage detail"),
]
GAP_COLUMNS = [
    ("store_name", "Store"),
    ("owner", "Owner"),
    ("container", "Container"),
    ("coverage_status", "Coverage"),
    ("pfi_found", "PFI found in what was read"),
]
GAP_DETAILS = [("store", "Source"), ("coverage", "Detail")]


def pfi_entities(policy: PolicyTerms) -> tuple[str, ...]:
    category = policy.categories.get(PFI)
    return category.entities if category else entities.in_category(PFI)


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


def location_row(view: View, stores: Stores, key: tuple, group: list, sample: int) -> dict:
    source, container, fld, entity = key
    cov = coverage(view.item(source, container), source)
    values = sum_values(group, view.items, sample)
    test = sum_values([s for s in group if s.finding.test_data], view.items, sample)
    customer = sum_values([s for s in group if not s.finding.test_data], view.items, sample)
    return {
        **stores.columns(source),
        "container": container,
        "field": fld or None,
        "location_type": location_type(source, fld),
        "place": place_kind(group[0].finding),
        "entity": entity,
        "card_number_form": FORMS.get(entity),
        "values": values.found,
        "values_estimate": values.estimate,
        "values_exact": values.exact,
        "values_text": values.text,
        "test_values": test.found,
        "customer_values": customer.text,
        "findings": len(group),
        "samples": sorted({x for s in group for x in (s.finding.samples or [s.finding.sample]) if x})[:5],
        "first_seen": min(s.first_seen for s in group),
        "last_seen": max(s.last_seen for s in group),
        "basis": basis(group),
        "coverage_status": cov["status"],
        "coverage": cov["text"],
    }


def gap_rows(view: View, stores: Stores, holding: set) -> list[dict]:
    gaps = []
    for (source, container), item in sorted(view.items.items()):
        cov = coverage(item, source)
        if cov["status"] in ("partial", "skipped", "sampled", "unknown"):
            gaps.append(
                {
                    **stores.columns(source),
                    "container": container,
                    "coverage_status": cov["status"],
                    "coverage": cov["text"],
                    "pfi_found": (source, container) in holding,
                }
            )
    return gaps


def places_text(count: int, kinds: Counter) -> str:
    """Such as "3 places (1 column, 2 text)"."""
    told = ", ".join(f"{n} {kind}{'s' if n > 1 and kind != 'text' else ''}" for kind, n in sorted(kinds.items()))
    return f"{count} place{'s' if count > 1 else ''} ({told})" if count else "none"


def in_places(seen: list, view: View, sample: int) -> str:
    """Such as "45 in 2 places (1 column, 1 text)": customer values of `seen` and the places holding them."""
    customer = [s for s in seen if not s.finding.test_data]
    if not customer:
        return "none found"
    places: dict[tuple, str] = {place_of(s.finding): place_kind(s.finding) for s in customer}
    total = sum_values(customer, view.items, sample)
    return f"{total.text} in {places_text(len(places), Counter(places.values()))}"


def build(data: ReportInput, view: View) -> Report:
    policy = data.policy
    entities = set(pfi_entities(policy))
    stores, sample = Stores(data.sources), data.column_sample
    seen = [s for s in view.seen if s.finding.category == PFI or s.finding.entity in entities]
    groups: dict[tuple, list] = {}
    for s in seen:
        f = s.finding
        groups.setdefault((f.source, f.location.container, f.location.field or "", f.entity), []).append(s)
    rows = [location_row(view, stores, key, group, sample) for key, group in sorted(groups.items())]
    holding = {(r["store"], r["container"]) for r in rows}
    gaps = gap_rows(view, stores, holding)
    places = {place_of(s.finding) for s in seen}
    kinds = Counter(place_kind(s.finding) for s in {place_of(s.finding): s for s in seen}.values())
    full = [s for s in seen if s.finding.entity == "CREDIT_CARD"]
    masked = [s for s in seen if s.finding.entity == MASKED]
    test = sum_values([s for s in seen if s.finding.test_data], view.items, sample)
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
                intro=f"Only locations that hold PFI ({', '.join(sorted(entities))}). "
                "Values: matching cells of a column, or matches in text.",
                empty="No PFI found in what pdscan read (see the items not fully covered below).",
                details=DETAILS,
            ),
            Section(
                "not_covered",
                "Items not fully covered: PFI could hide here",
                GAP_COLUMNS,
                gaps,
                intro="Skipped, partly read or sampled items: absence of PFI findings there is not a verdict.",
                empty="Every item was read in full.",
                details=GAP_DETAILS,
            ),
        ],
        facts=[
            ("Containers holding PFI (places)", str(len(holding))),
            ("Columns, fields or texts holding PFI (places)", places_text(len(places), kinds)),
            ("Full card numbers (values, customer data)", in_places(full, view, sample)),
            ("Masked or truncated card numbers (values)", in_places(masked, view, sample)),
            ("Test-data PFI values", test.text),
            ("Items not fully covered", str(len(gaps))),
        ],  # fmt: skip
        notes=[COUNT_NOTE, MASKED_NOTE, TEST_NOTE],
        charts=[
            charts.by_category(seen, view.items, lambda f: FORMS.get(f.entity, f.entity), sample),
            container_chart(view, seen, stores, sample),
        ],
    )
