"""The application services called directly on the bundled examples: outcomes, not output lines."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pdscan.app import cases, history
from pdscan.app.common import existing_store, open_store, store_url
from pdscan.app.dsar import FindRequest, dsar_find
from pdscan.app.report import report
from pdscan.app.scan import ScanSettings, run_scan
from pdscan.cli import cli
from pdscan.cli.base import Commands
from pdscan.config import load as load_config
from pdscan.core.errors import EXIT_CLEAN, EXIT_FINDINGS, FatalError, ReportError, UsageError
from pdscan.policy import load_policy
from pdscan.store import finding_identity
from tests.conftest import TEST_KEY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def examples(tmp_path, monkeypatch):
    """A copy of examples/ as the working directory's `examples`, with the tests' key."""
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path / "examples"


def scan(**given) -> tuple:
    out = io.StringIO()
    outcome = run_scan(ScanSettings(**{"paths": ("examples",), "workers": 1, "fmt": "ndjson", **given}), out)
    return outcome, [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_scan_of_the_examples_writes_its_findings_and_implies_exit_1(examples):
    outcome, lines = scan(no_store=True)
    assert not outcome.interrupted
    assert outcome.exit_code == EXIT_FINDINGS
    assert outcome.written == len(lines) == sum(outcome.summary.findings.values())
    counts = outcome.summary.findings
    assert (counts["CREDIT_CARD"], counts["US_SSN"], counts["EMAIL_ADDRESS"]) == (6, 6, 31)
    assert {f["entity"] for f in lines} == set(counts)
    assert len(outcome.summary.items) == 5 and not outcome.summary.source_errors
    assert outcome.new is None and outcome.baseline_written is None and outcome.placement is None


def test_a_second_scan_against_the_store_has_nothing_new_and_implies_exit_0(examples):
    first, _ = scan(fail_on=("pfi",))
    assert first.exit_code == EXIT_FINDINGS and first.new is None  # no earlier scan: every pfi finding counts
    again, lines = scan(fail_on=("PFI",))
    assert again.new == [] and again.against == "since scan 1"
    assert again.exit_code == EXIT_CLEAN and not again.interrupted
    assert again.written == len(lines) == first.written  # carried from the store, still written
    assert all(item.carried_from == 1 for item in again.summary.items)


def test_a_baseline_written_then_compared(examples):
    written, _ = scan(no_store=True, baseline_path="base.json", update_baseline=True)
    assert written.baseline_written == written.written and written.exit_code == EXIT_FINDINGS
    compared, _ = scan(no_store=True, baseline_path="base.json")
    assert compared.new == [] and compared.against == "not in base.json" and compared.exit_code == EXIT_CLEAN
    Path("examples/new.txt").write_text("write to mary.major@example.net\n", encoding="utf-8")
    grown, _ = scan(no_store=True, baseline_path="base.json")
    assert "email" in grown.new and grown.exit_code == EXIT_FINDINGS


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"fail_on": ("bogus",)}, "--fail-on: unknown categories bogus"),
        ({"update_baseline": True}, "--update-baseline needs --baseline FILE"),
        ({"entities": ("NOT_AN_ENTITY",)}, "unknown entities: NOT_AN_ENTITY"),
        ({"paths": ("missing",)}, "no such file or folder: missing"),
    ],
)
def test_unusable_settings_are_usage_errors_before_anything_is_read(examples, given, message):
    with pytest.raises(UsageError) as caught:
        scan(**given)
    assert caught.value.exit_code == 2 and str(caught.value).startswith(message)
    assert not os.path.exists(os.environ["PDSCAN_STORE"])  # no store made, no scan recorded


def test_one_store_resolution_and_one_opener(examples, monkeypatch, tmp_path):
    config = load_config(None)
    assert store_url("flag.db", config) == "flag.db"
    assert store_url(None, config) == os.environ["PDSCAN_STORE"]
    monkeypatch.delenv("PDSCAN_STORE")
    assert store_url(None, config) is None  # ./pdscan.db
    with pytest.raises(UsageError, match="no findings store here"):
        open_store(None, create=False)
    with pytest.raises(UsageError, match="no findings store at missing.db"):
        open_store("missing.db", create=False)
    assert not os.path.exists("missing.db")
    open_store("made.db", create=True)
    assert stat.S_IMODE(os.stat("made.db").st_mode) == 0o600
    assert open_store("made.db", create=False).scan_list() == []
    with pytest.raises(FatalError, match=r"^foo://x: cannot open the store"):
        open_store("foo://x", create=True)


def test_history_report_and_diff_services(examples):
    scan()
    Path("examples/new.txt").write_text("card 4929 3813 3266 4295\n", encoding="utf-8")
    scan()
    store = existing_store(None, None)
    assert [(s["id"], s["interrupted"]) for s in history.scans(store)] == [(1, False), (2, False)]
    change = history.diff(store, fail_on=("pfi",))
    assert (change.old, change.new) == (1, 2)
    assert [f.entity for f in change.result.added] == ["CREDIT_CARD"] and change.exit_code == EXIT_FINDINGS
    assert history.diff(store, fail_on=("ssn_ein",)).exit_code == EXIT_CLEAN
    with pytest.raises(UsageError, match="no scan 9"):
        history.diff(store, 1, 9)
    rows, _ = history.findings(store, categories=("pfi",))
    assert {f.category for f, _ in rows} == {"pfi"} and all(label is None for _, label in rows)
    (card,) = [f for f, _ in rows if f.location.container.endswith("new.txt")]
    label_id, found = history.label_finding(store, finding_identity(card)[:12], "accepted", None, None)
    assert found.entity == "CREDIT_CARD"
    assert history.diff(store, fail_on=("pfi",)).exit_code == EXIT_CLEAN  # accepted never fails the gate
    history.remove_label(store, label_id)
    with pytest.raises(UsageError, match=f"no label {label_id} in force"):
        history.remove_label(store, label_id)
    config = load_config(None)
    pfi = report(store, "pfi", load_policy(config.policy), config)
    assert pfi.kind == "pfi" and pfi.main.rows
    with pytest.raises(ReportError, match="give --scan or --as-of, not both"):
        report(store, "pfi", load_policy(config.policy), config, scan_id=1, as_of=1)


def test_dsar_find_writes_the_answer_and_logs_the_case(examples):
    email = re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", (examples / "customers.csv").read_text())[0]
    found = dsar_find(FindRequest(sources=("examples",), identifiers={"email": (email,)}, output="answer.json"))
    assert not found.interrupted and found.exit_code == EXIT_FINDINGS
    assert len(found.answer.matches) == 1 and found.answer.complete
    assert stat.S_IMODE(os.stat("answer.json").st_mode) == 0o600
    assert json.loads(Path("answer.json").read_text())  # the package, as json
    (listed,) = cases.list_cases(None, None)
    assert listed.id == found.case.id and listed.kind == "know"
    nobody = dsar_find(FindRequest(sources=("examples",), identifiers={"email": ("nobody@example.com",)},
                                   output="none.json", case_id=found.case.id))  # fmt: skip
    assert nobody.exit_code == EXIT_CLEAN and nobody.case.id == found.case.id
    assert cases.close_case(found.case.id, None, None).status == "closed"
    with pytest.raises(UsageError, match="give --output FILE"):
        dsar_find(FindRequest(sources=("examples",), identifiers={"email": (email,)}))


def test_dsar_find_to_a_stream_with_dry_run_opens_no_case(examples):
    email = re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", (examples / "customers.csv").read_text())[0]
    out = io.StringIO()
    found = dsar_find(
        FindRequest(sources=("examples",), identifiers={"email": (email,)}, output="-", dry_run=True), None, out
    )
    assert found.case.id == "DRY-RUN" and found.to_stdout and found.exit_code == EXIT_FINDINGS
    assert json.loads(out.getvalue())
    assert not os.path.exists(os.environ["PDSCAN_STORE"]) or cases.list_cases(None, None) == []


class OnFire(FatalError):
    exit_code = 3


def test_the_cli_maps_a_pdscan_error_to_its_exit_code_and_one_line():
    @click.group(cls=Commands)
    def group() -> None:
        pass

    @group.command()
    def boom() -> None:
        raise OnFire("the store is on fire")

    @group.command()
    def wrong() -> None:
        raise UsageError("--this needs --that")

    fire = CliRunner().invoke(group, ["boom"])
    assert fire.exit_code == 3 and fire.stderr == "Error: the store is on fire\n" and fire.stdout == ""
    usage = CliRunner().invoke(group, ["wrong"])
    assert usage.exit_code == 2 and usage.stderr.splitlines()[-1] == "Error: --this needs --that"
    assert usage.stderr.startswith("Usage: group wrong [OPTIONS]")


def test_the_real_cli_says_one_line_for_a_fatal_error_and_for_an_exposed_store(examples, monkeypatch):
    monkeypatch.delenv("PDSCAN_STORE")
    fatal = CliRunner().invoke(cli, ["scan", "examples/customers.csv", "--workers", "1", "--store", "foo://x"])
    assert fatal.exit_code == 2 and fatal.stderr == "Error: foo://x: cannot open the store (NoSuchModuleError)\n"
    open_store("pdscan.db", create=True)
    os.chmod("pdscan.db", 0o644)
    exposed = CliRunner().invoke(cli, ["scans"])
    assert exposed.exit_code == 2
    assert exposed.stderr == "pdscan: error: pdscan.db is readable by others (mode 0644): chmod 600 pdscan.db\n"
