"""Report writers: json (machine), csv (the report's one flat table), md; html is in reports/html.py."""

from __future__ import annotations

import csv
import io
import json

from pdscan.reports.base import Report, Section, cell


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    section = report.main
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for key, _ in section.columns])
    for row in section.rows:
        writer.writerow([_csv_cell(row.get(key)) for key, _ in section.columns])
    return out.getvalue()


def _csv_cell(value) -> str:
    return cell(value)


def _md_cell(value) -> str:
    return cell(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*")


def md_table(section: Section) -> list[str]:
    if not section.rows:
        return [f"_{section.empty}_", ""]
    lines = [
        "| " + " | ".join(_md_cell(h) for _, h in section.columns) + " |",
        "|" + "---|" * len(section.columns),
    ]
    for row in section.rows:
        lines.append("| " + " | ".join(_md_cell(row.get(k)) for k, _ in section.columns) + " |")
    return lines + [""]


def to_md(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for label, value in report.header():
        lines.append(f"- **{label}:** {_md_cell(value)}")
    lines.append("")
    for note in report.notes:
        lines += [f"> {_md_cell(note)}", ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.intro:
            lines += [_md_cell(section.intro), ""]
        lines += md_table(section)
    return "\n".join(lines)


def render(report: Report, fmt: str) -> str:
    from pdscan.reports.html import to_html

    return {"json": to_json, "csv": to_csv, "md": to_md, "html": to_html}[fmt](report)
