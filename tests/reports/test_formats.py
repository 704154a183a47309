"""The format registries and the reports' plain-data inputs: no store, no config file, no policy file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pdscan.cli import cli
from pdscan.core.hookspecs import hookimpl
from pdscan.core.model import Finding, ItemResult, Location
from pdscan.core.plugins import manager
from pdscan.engine import ScanSummary
from pdscan.reports import inventory, pfi, right_to_know
from pdscan.reports.formats import OutputFormat, ReportFormat, answer_formats, output_formats, report_formats
from pdscan.reports.model import Category, PolicyTerms, Purpose, ReportInput, SourceInfo
from pdscan.reports.render import render
from pdscan.reports.view import Seen, View

CARD = Finding(
    kind="match", entity="CREDIT_CARD", score=1.0, detector="card", source="/data/crm", sample="4***********1234",
    location=Location("exports/customers.txt", line=3, start=0, end=16), fingerprint="f1", category="pfi",
    ccpa_category="Financial information",
)  # fmt: skip
EMAIL = Finding(
    kind="column", entity="EMAIL_ADDRESS", score=0.9, detector="email", source="/data/crm", sample="a***@example.com",
    location=Location("customers.csv", field="email"), matches=40, sampled=40, ratio=1.0, category="contact",
    ccpa_category="Identifiers",
)  # fmt: skip


def _summary() -> ScanSummary:
    summary = ScanSummary()
    summary.items.append(ItemResult("/data/crm", "customers.csv", records=40, bytes=900))
    summary.findings.update({"CREDIT_CARD": 1, "EMAIL_ADDRESS": 1})
    return summary


def test_every_registered_format_declares_its_parts():
    outputs, reports, answers = output_formats(), report_formats(), answer_formats()
    assert tuple(outputs) == _choices("scan") == ("text", "json", "ndjson", "csv", "sarif")  # the CLI's choices
    assert tuple(reports) == _choices("report") == ("json", "csv", "md", "html")
    assert tuple(answers) == _choices("dsar", "find") == ("json", "md", "html")
    for fmt in [*outputs.values(), *reports.values(), *answers.values()]:
        assert fmt.name and fmt.writes, fmt
        assert fmt.media_type.count("/") == 1 and fmt.suffix.startswith("."), fmt
    assert all(callable(f.writer) for f in outputs.values())
    assert all(callable(f.report) for f in reports.values()) and all(callable(f.answer) for f in answers.values())


@pytest.mark.parametrize("name", ["text", "json", "ndjson", "csv", "sarif"])
def test_each_output_format_writes_findings_masked(name):
    out = io.StringIO()
    writer = output_formats()[name].writer(out)
    for finding in (CARD, EMAIL):
        writer.write(finding)
    writer.close(_summary(), "k1")
    text = out.getvalue()
    assert "4***********1234" in text and "a***@example.com" in text


def test_sarif_location_kinds_follow_the_connector_table():
    from pdscan.connectors.registry import CONNECTORS
    from pdscan.reports.sarif import SCHEME_KINDS

    kinds = {"files": "file", "sql": "table", "s3": "s3"}
    assert SCHEME_KINDS == {s: kinds[module] for s, module in CONNECTORS.items()}


class _TsvPlugin:
    """A third party's output format, registered through the hook."""

    class Writer:
        def __init__(self, out):
            self.out = out

        def write(self, finding: Finding) -> None:
            self.out.write(f"{finding.entity}\t{finding.location.container}\t{finding.sample}\n")

        def close(self, summary, key_id: str) -> None:
            self.out.write(f"# {len(summary.items)} items\n")

    @hookimpl
    def pdscan_output_formats(self):
        return [
            OutputFormat("tsv", "text/tab-separated-values", ".tsv", "entity, container, sample", self.Writer),
            OutputFormat("json", "application/json", ".json", "a plugin may not replace a built-in", self.Writer),
            ReportFormat("txt", "text/plain", ".txt", "the report's title", report=lambda report: report.title),
        ]


def test_a_format_registered_through_the_hook_is_in_the_registry_and_writes():
    plugin = _TsvPlugin()
    manager().register(plugin, "test-tsv")
    try:
        formats = output_formats()
        assert list(formats)[-1] == "tsv" and formats["json"].writer.__name__ == "JsonWriter"
        out = io.StringIO()
        writer = formats["tsv"].writer(out)
        writer.write(CARD)
        writer.close(_summary(), "k1")
        assert out.getvalue() == "CREDIT_CARD\texports/customers.txt\t4***********1234\n# 1 items\n"
        assert "txt" in report_formats() and "txt" not in answer_formats()
        assert render(inventory.build(_input(), _view()), "txt") == "Personal data inventory"
    finally:
        manager().unregister(plugin)
    assert "tsv" not in output_formats() and "txt" not in report_formats()


def _input(since: str = "") -> ReportInput:
    policy = PolicyTerms(
        id="test-1",
        name="Test policy",
        categories={
            "contact": Category("contact", "Contact details", "Identifiers", entities=("EMAIL_ADDRESS",)),
            "pfi": Category("pfi", "Payment cards", "Financial information", True, ("CREDIT_CARD",)),
        },
        purposes=(
            Purpose("Billing", "Charge the card", ("pfi",), "contract"),
            Purpose("Outreach", "Send offers", ("contact",), "consent", marketing=True),
        ),
        retention_exceptions={"billing": "Kept seven years for tax law"},
        entity_categories={"EMAIL_ADDRESS": "contact", "CREDIT_CARD": "pfi"},
    )
    source = SourceInfo("/data/crm", name="crm", owner="Sales", source_category="directly from the customer",
                        third_parties=("payment processors",), retention=("billing",))  # fmt: skip
    return ReportInput(policy, (source,), since=since)


def _view() -> View:
    started = "2026-01-02T03:04:05+00:00"
    item = {"scan_id": 1, "status": "complete", "reason": None, "records": 40, "bytes": 900, "started": started}
    items = {("/data/crm", "customers.csv"): item, ("/data/crm", "exports/customers.txt"): {**item, "records": 9},
             ("/data/crm", "big.log"): {**item, "status": "skipped", "reason": "too_large", "records": 0}}  # fmt: skip
    seen = [Seen(f, f"id-{n}", 1, started, started) for n, f in enumerate((CARD, EMAIL))]
    return View(scans=[{"id": 1, "started": started}], items=items, seen=seen, as_of=started)


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_reports_render_from_plain_data(fmt):
    for report in (inventory.build(_input(), _view()), pfi.build(_input(), _view()),
                   right_to_know.build(_input("2025-01-02"), _view())):  # fmt: skip
        text = render(report, fmt)
        assert "crm" in text  # the store's name comes from its SourceInfo
        assert fmt == "csv" or "Test policy" in text  # csv is the main table only


def test_reports_read_the_plain_data_they_are_given():
    doc = json.loads(render(inventory.build(_input(), _view()), "json"))
    assert doc["policy"] == {"id": "test-1", "name": "Test policy"}
    rows = {r["entities"][0]: r for r in doc["locations"]}
    assert rows["EMAIL_ADDRESS"]["category_label"] == "Contact details" and rows["EMAIL_ADDRESS"]["owner"] == "Sales"
    assert rows["CREDIT_CARD"]["store_name"] == "crm" and rows["CREDIT_CARD"]["samples"] == ["4***********1234"]
    assert {r["container"]: r["coverage_status"] for r in doc["coverage"]}["big.log"] == "skipped"

    doc = json.loads(render(pfi.build(_input(), _view()), "json"))
    assert [r["entity"] for r in doc["locations"]] == ["CREDIT_CARD"]
    assert [r["container"] for r in doc["not_covered"]] == ["big.log"]

    doc = json.loads(render(right_to_know.build(_input("2025-01-02"), _view()), "json"))
    cats = {r["category"]: r for r in doc["categories"]}
    assert cats["pfi"]["sensitive"] is True and cats["pfi"]["purpose_groups"] == ["Billing"]
    assert cats["contact"]["marketing_purposes"] == ["Send offers"]
    assert doc["retention"] == [{"id": "billing", "text": "Kept seven years for tax law", "stores": ["crm"]}]
    assert doc["third_parties"] == [{"third_party": "payment processors", "stores": ["crm"]}]

    table = list(csv.reader(io.StringIO(render(inventory.build(_input(), _view()), "csv"))))
    assert table[0][0] == "category_label" and len(table) == 3


def _choices(*command: str) -> tuple[str, ...]:
    """The --format choices of a CLI command, as click offers them."""
    found = cli
    for name in command:
        found = found.commands[name]
    return tuple(next(p for p in found.params if p.name == "fmt").type.choices)
