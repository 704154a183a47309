"""The DSAR package rendered: json for systems, md and html (self-contained) for people."""

from __future__ import annotations

import json
from html import escape

from pdscan.reports.base import Section, cell
from pdscan.reports.html import CSS, table
from pdscan.reports.render import _md_cell, md_table


def _loc(location: dict) -> str:
    return ", ".join(f"{k}={json.dumps(v) if isinstance(v, dict) else v}" for k, v in location.items())


def sections(package: dict) -> list[Section]:
    out = []
    if "plan" in package:
        rows = [{**p, "where": _loc(p["location"]), "retention": [f"{x['id']}: {x['text']}" for x in p["retention_exceptions"]]}
                for p in package["plan"]]  # fmt: skip
        out.append(Section("plan", "Deletion plan (not executed)",
                           [("source", "Store"), ("container", "Container"), ("location_type", "Type"),
                            ("where", "Location"), ("key_columns", "Key columns"), ("strength", "Match"),
                            ("categories", "Categories"), ("action", "Action"), ("retention", "Retention exceptions")],
                           rows, empty="Nothing of the person's was found: nothing to delete."))  # fmt: skip
    else:
        out.append(Section("categories", "Categories of personal data held about you",
                           [("label", "Category"), ("ccpa_category", "CCPA category"),
                            ("source_categories", "Categories of sources"), ("business_purposes", "Business purposes"),
                            ("marketing_purposes", "Marketing purposes"), ("third_parties", "Categories of third parties")],
                           package["categories"], empty="No personal data about you was found."))  # fmt: skip
        pieces = [
            {"source": r["source"], "container": r["container"], "where": _loc(r["location"]), "strength": r["strength"],
             "category": cid, "field": p["field"], "value": p["value"]}
            for r in package["records"] for cid, ps in r["data"].items() for p in ps
        ]  # fmt: skip
        out.append(Section("pieces", "Specific pieces of personal data",
                           [("source", "Store"), ("container", "Container"), ("where", "Location"),
                            ("strength", "Match"), ("category", "Category"), ("field", "Field"), ("value", "Value")],
                           pieces, empty="None found."))  # fmt: skip
        records = [{**r, "where": _loc(r["location"]), "fields": [f"{k}: {v}" for k, v in r["record"].items()]}
                   for r in package["records"]]  # fmt: skip
        out.append(Section("records", "Matching records, whole",
                           [("source", "Store"), ("container", "Container"), ("where", "Location"),
                            ("strength", "Match"), ("matched", "Matched on"), ("fields", "Record")],
                           records, empty="None found."))  # fmt: skip
    out.append(Section("sources", "Sources searched", [("source", "Source"), ("status", "Status"), ("error", "Error")],
                       package["sources"]))  # fmt: skip
    out.append(Section("coverage", "Containers searched",
                       [("source", "Source"), ("container", "Container"), ("status", "Status"), ("reason", "Reason"),
                        ("method", "Method"), ("inventory", "Inventory"), ("matches", "Matching records")],
                       package["coverage"]))  # fmt: skip
    return out


def facts(package: dict) -> list[tuple[str, str]]:
    case = package["case"]
    s = package["summary"]
    return [
        ("Case", case["case"]),
        ("Received", case["received"]),
        ("Due", case["deadline"] + (f" (extended: {case['extension_reason']})" if case.get("extended_to") else "")),
        ("Policy", f"{package['policy']['name']} ({package['policy']['id']})"),
        ("Identifiers", ", ".join(f"{k} {v}" for k, v in package["request"]["identifiers"].items())),
        ("Complete", cell(package["complete"])),
        (
            "Matching records",
            f"{s['records']} ({s['strong']} strong, {s['weak']} weak) in {s['containers']} containers",
        ),
        ("Generated", package["generated"]),
    ]


def title(package: dict) -> str:
    if package["package"] == "dsar-deletion-plan":
        return "Data subject request: deletion plan"
    return "Data subject request: personal data held"


def to_md(package: dict) -> str:
    lines = [f"# {title(package)}", ""] + [f"- **{k}:** {_md_cell(v)}" for k, v in facts(package)] + [""]
    lines += [f"> {_md_cell(n)}\n" for n in package["notes"]]
    for section in sections(package):
        lines += [f"## {section.title}", ""] + md_table(section)
    return "\n".join(lines)


def to_html(package: dict) -> str:
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts(package))
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in package["notes"])
    body = "".join(
        f'<section id="{escape(s.id)}"><h2>{escape(s.title)}</h2>{table(s)}</section>' for s in sections(package)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(title(package))}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(title(package))}</h1><dl class="facts">{dl}</dl>{notes}{body}</body></html>\n'
    )


def render(package: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(package, indent=2, ensure_ascii=False, default=str) + "\n"
    return {"md": to_md, "html": to_html}[fmt](package)
