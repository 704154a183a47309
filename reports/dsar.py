"""The DSAR package rendered: json for systems, md and html (self-contained, from the reports' templates) for people."""

from __future__ import annotations

import json

from pdscan.reports.base import Section, cell
from pdscan.reports.escape import md_cell
from pdscan.reports.html import render_page
from pdscan.reports.render import md_table


def _loc(location: dict) -> str:
    return ", ".join(f"{k}={json.dumps(v) if isinstance(v, dict) else v}" for k, v in location.items())


def sections(package: dict) -> list[Section]:
    if package["package"] == "dsar-right-to-know":  # the consumer's answer: no locations, no methods
        pieces = [{**p, "value": p.get("value", p.get("description"))} for p in package["pieces"]]
        return [
            Section("categories", "Categories of personal data held about you",
                    [("label", "Category"), ("ccpa_category", "CCPA category"),
                     ("source_categories", "Categories of sources"), ("business_purposes", "Business purposes"),
                     ("marketing_purposes", "Marketing purposes"), ("third_parties", "Categories of third parties"),
                     ("stores", "Where")],
                    package["categories"], empty="No personal data about you was found."),
            Section("pieces", "Specific pieces of personal data",
                    [("store", "Where"), ("category", "Category"), ("field", "Item"), ("value", "Value")],
                    pieces, empty="None found."),
        ]  # fmt: skip
    out = []
    columns = [
        ("source", "Store"),
        ("container", "Container"),
        ("location_type", "Type"),
        ("where", "Location"),
        ("key_columns", "Key columns"),
        ("strength", "Match"),
        ("categories", "Categories"),
    ]
    if "plan" in package:
        for key, heading, extra in (
            ("plan", "Deletion plan (not executed)", []),
            ("linked", "Linked records (reached through a key of a matching record)", [("link", "Link")]),
        ):
            rows = [
                {
                    **p,
                    "where": _loc(p["location"]),
                    "retention": [f"{x['id']}: {x['text']}" for x in p["retention_exceptions"]],
                }
                for p in package[key]
            ]
            out.append(
                Section(
                    key,
                    heading,
                    columns + extra + [("action", "Action"), ("retention", "Retention exceptions")],
                    rows,
                    empty="None.",
                )
            )
    else:
        rows = [
            {**r, "where": _loc(r["location"]), "fields": [f"{p['field']}: {p['value']}" for p in r["data"]]}
            for r in package["records"]
        ]
        out.append(
            Section(
                "records",
                "Matching records (values covered by 11 CCR 7024(d) masked)",
                columns[:6] + [("matched", "Matched on"), ("link", "Link"), ("fields", "Record")],
                rows,
                empty="None found.",
            )
        )
    out.append(
        Section(
            "sources",
            "Sources searched",
            [("source", "Source"), ("status", "Status"), ("error", "Error")],
            package["sources"],
        )
    )
    out.append(Section("coverage", "Containers searched",
                       [("source", "Source"), ("container", "Container"), ("status", "Status"), ("reason", "Reason"),
                        ("method", "Method"), ("inventory", "Inventory"), ("matches", "Matching records")],
                       package["coverage"]))  # fmt: skip
    return out


def facts(package: dict) -> list[tuple[str, str]]:
    case = package["case"]
    s = package["summary"]
    due = case["deadline"] + (f" (extended: {case['extension_reason']})" if case.get("extended_to") else "")
    if package["package"] == "dsar-right-to-know":
        return [("Request", case["case"]), ("Received", case["received"]), ("Due", due),
                ("Policy", package["policy"]["name"]), ("Records found", str(s["records"])),
                ("Generated", package["generated"])]  # fmt: skip
    return [
        ("Case", case["case"]),
        ("Received", case["received"]),
        ("Due", due),
        ("Policy", f"{package['policy']['name']} ({package['policy']['id']})"),
        ("Identifiers", ", ".join(f"{k} {v}" for k, v in package["request"]["identifiers"].items())),
        ("Complete", cell(package["complete"])),
        ("Matching records", f"{s['records']} ({s['strong']} strong, {s['weak']} weak, {s['linked']} linked) "
                             f"in {s['containers']} containers"),
        ("Generated", package["generated"]),
    ]  # fmt: skip


def title(package: dict) -> str:
    if package["package"] == "dsar-deletion-plan":
        return "Data subject request: deletion plan"
    if package["package"] == "dsar-evidence":
        return "Data subject request: evidence (internal)"
    return "Data subject request: personal data held"


def to_md(package: dict) -> str:
    lines = [f"# {title(package)}", ""] + [f"- **{k}:** {md_cell(v)}" for k, v in facts(package)] + [""]
    lines += [f"> {md_cell(n)}\n" for n in package["notes"]]
    for section in sections(package):
        lines += [f"## {section.title}", ""] + md_table(section)
    return "\n".join(lines)


def to_html(package: dict) -> str:
    return render_page(title(package), facts(package), package["notes"], sections(package))


def to_json(package: dict) -> str:
    return json.dumps(package, indent=2, ensure_ascii=False, default=str) + "\n"


def render(package: dict, fmt: str) -> str:
    """The package in format `fmt`, a name of pdscan.reports.formats.answer_formats()."""
    from pdscan.reports.formats import answer_formats

    return answer_formats()[fmt].answer(package)
