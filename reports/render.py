"""Report writers: json (machine), csv (the report's one flat table), md; html is in reports/html.py.

They are registered as report formats by pdscan.reports.plugin.
"""

from __future__ import annotations

import csv
import io
import json

from pdscan.reports.base import Report, Section
from pdscan.reports.escape import csv_cell, md_cell


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def to_csv(report: Report) -> str:
    """The main section's rows, every column (the folded details too): one flat table."""
    out = io.StringIO()
    section = report.main
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([key for key, _ in section.flat])
    for row in section.rows:
        writer.writerow([csv_cell(row.get(key)) for key, _ in section.flat])
    return out.getvalue()


def md_table(section: Section) -> list[str]:
    """The table; a section with details numbers its rows and lists each row's details below it."""
    if not section.rows:
        return [f"_{section.empty}_", ""]
    numbered = [("n", "No.")] if section.details else []
    lines = [
        "| " + " | ".join(md_cell(h) for _, h in numbered + section.columns) + " |",
        "|" + "---|" * (len(section.columns) + len(numbered)),
    ]
    for n, row in enumerate(section.rows, 1):
        cells = [str(n)] * len(numbered) + [md_cell(row.get(k)) for k, _ in section.columns]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if section.details:
        lines += ["Details:", ""]
        for n, row in enumerate(section.rows, 1):
            told = "; ".join(
                f"{md_cell(h)}: {md_cell(row.get(k))}" for k, h in section.details if row.get(k) not in (None, "", [])
            )
            lines.append(f"{n}. {told}")
        lines.append("")
    return lines


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
    """The report in format `fmt`, a name of pdscan.reports.formats.report_formats()."""
    from pdscan.reports.formats import report_formats

    return report_formats()[fmt].report(report)
