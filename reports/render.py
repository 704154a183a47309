"""Report writers: json (machine), csv (the report's one flat table), md; html is in reports/html.py."""

from __future__ import annotations

import csv
import io
import json

from pdscan.reports.base import Report, Section
from pdscan.reports.escape import csv_cell, md_cell


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    section = report.main
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([key for key, _ in section.columns])
    for row in section.rows:
        writer.writerow([csv_cell(row.get(key)) for key, _ in section.columns])
    return out.getvalue()


def md_table(section: Section) -> list[str]:
    if not section.rows:
        return [f"_{section.empty}_", ""]
    lines = [
        "| " + " | ".join(md_cell(h) for _, h in section.columns) + " |",
        "|" + "---|" * len(section.columns),
    ]
    for row in section.rows:
        lines.append("| " + " | ".join(md_cell(row.get(k)) for k, _ in section.columns) + " |")
    return lines + [""]


def to_md(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for label, value in report.header():
        lines.append(f"- **{label}:** {md_cell(value)}")
    lines.append("")
    for note in report.notes:
        lines += [f"> {md_cell(note)}", ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.intro:
            lines += [md_cell(section.intro), ""]
        lines += md_table(section)
    return "\n".join(lines)


def render(report: Report, fmt: str) -> str:
    from pdscan.reports.html import to_html

    return {"json": to_json, "csv": to_csv, "md": to_md, "html": to_html}[fmt](report)
