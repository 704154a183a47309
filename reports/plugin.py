"""pdscan's own output and report formats, registered through the hook a plugin uses."""

from __future__ import annotations

from pdscan.core.hookspecs import hookimpl
from pdscan.reports import outputs, render
from pdscan.reports.formats import OutputFormat, ReportFormat
from pdscan.reports.sarif import SarifWriter


def _html_report(report) -> str:
    from pdscan.reports.html import to_html  # jinja2: only when html is asked for

    return to_html(report)


def _answer(fmt: str):
    def answer(package: dict) -> str:
        from pdscan.reports import dsar

        return {"json": dsar.to_json, "md": dsar.to_md, "html": dsar.to_html}[fmt](package)

    answer.__name__ = f"answer_{fmt}"
    return answer


OUTPUT_FORMATS = [
    OutputFormat("text", "text/plain", ".txt", "a table of findings grouped by container, at the end of the scan",
                 outputs.TextWriter),
    OutputFormat("json", "application/json", ".json", "one document: the summary, the findings and the coverage",
                 outputs.JsonWriter),
    OutputFormat("ndjson", "application/x-ndjson", ".ndjson", "one finding per line, as found",
                 outputs.NdjsonWriter, streams=True),
    OutputFormat("csv", "text/csv", ".csv", "one finding per row, as found", outputs.CsvWriter, streams=True),
    OutputFormat("sarif", "application/sarif+json", ".sarif", "SARIF 2.1.0 for code scanning: a result per finding",
                 SarifWriter),
]  # fmt: skip

REPORT_FORMATS = [
    ReportFormat("json", "application/json", ".json", "the report or answer as one document (machine)",
                 report=render.to_json, answer=_answer("json")),
    ReportFormat("csv", "text/csv", ".csv", "the report's main table, every column", report=render.to_csv),
    ReportFormat("md", "text/markdown", ".md", "Markdown: facts, notes and each section's table",
                 report=render.to_md, answer=_answer("md")),
    ReportFormat("html", "text/html", ".html", "one self-contained page, with charts",
                 report=_html_report, answer=_answer("html")),
]  # fmt: skip


@hookimpl
def pdscan_output_formats():
    return OUTPUT_FORMATS + REPORT_FORMATS
