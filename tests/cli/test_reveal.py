"""`--reveal` in the default column mode: column findings carry the raw values of their masked samples,
in the output only (real `pdscan scan` processes, in this process and in workers)."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from pdscan.core.masking import mask
from tests.conftest import run_pdscan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def customers(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reveal")
    return Path(shutil.copy(EXAMPLES / "customers.csv", folder / "customers.csv"))


def _cells(path: Path) -> dict[str, set[str]]:
    """column -> the values of the CSV file, read with the csv module."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {name: {row[name] for row in rows} for name in rows[0]}


def _scan_json(path: Path, *args: str) -> list[dict]:
    run = run_pdscan("scan", path, "--no-store", "--format", "json", *args)
    assert run.returncode == 1, run.stderr
    return [f for f in json.loads(run.stdout)["findings"] if f["kind"] == "column"]


def _assert_revealed(findings: list[dict], cells: dict[str, set[str]]) -> None:
    by_field = {f["location"]["field"]: f for f in findings if f["samples"]}
    assert {"full_name", "email", "ssn", "card_number"} <= set(by_field)
    for name, f in by_field.items():
        assert f["values"], name
        assert len(f["values"]) == len(f["samples"]) and f["value"] == f["values"][0]
        assert all(any(v in cell for cell in cells[name]) for v in f["values"]), name  # from that very column
        assert [mask(f["entity"], v) for v in f["values"]] == f["samples"]  # each value behind its sample


@pytest.mark.parametrize("workers", ["1", "2"])
def test_reveal_gives_column_findings_the_raw_values_of_their_samples(customers, workers):
    findings = _scan_json(customers, "--reveal", "--workers", workers)
    cells = _cells(customers)
    _assert_revealed(findings, cells)
    emails = next(f for f in findings if f["location"]["field"] == "email")
    assert set(emails["values"]) <= cells["email"]  # whole cells


def test_reveal_in_a_file_split_across_workers(tmp_path):
    """A CSV large enough to be read in parts by two workers: the values survive the merge of the parts."""
    lines = (EXAMPLES / "customers.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "big.csv"
    path.write_text("\n".join([lines[0]] + lines[1:] * 300) + "\n", encoding="utf-8")
    assert path.stat().st_size > 3 * (256 << 10)
    _assert_revealed(_scan_json(path, "--reveal", "--workers", "2"), _cells(path))


def test_without_reveal_no_column_finding_holds_a_raw_value(customers):
    run = run_pdscan("scan", customers, "--no-store", "--format", "json", "--workers", "2")
    document = json.loads(run.stdout)
    assert all("value" not in f and "values" not in f for f in document["findings"])
    cells = _cells(customers)
    raw = {v for name in ("full_name", "email", "ssn", "card_number", "street") for v in cells[name]}
    assert sorted(v for v in raw if v in run.stdout) == []


def test_reveal_fills_the_csv_value_column(customers):
    run = run_pdscan("scan", customers, "--no-store", "--format", "csv", "--reveal")
    assert run.returncode == 1, run.stderr
    rows = {r["field"]: r for r in csv.DictReader(io.StringIO(run.stdout)) if r["kind"] == "column"}
    cells = _cells(customers)
    for name in ("full_name", "email", "ssn", "card_number"):
        assert rows[name]["value"] in cells[name], name
    plain = run_pdscan("scan", customers, "--no-store", "--format", "csv")
    assert all(r["value"] == "" for r in csv.DictReader(io.StringIO(plain.stdout)))


def test_reveal_shows_raw_values_in_the_text_table(customers):
    run = run_pdscan("scan", customers, "--no-store", "--format", "text", "--reveal", "--entities", "EMAIL_ADDRESS")
    (email,) = _scan_json(customers, "--reveal", "--entities", "EMAIL_ADDRESS")
    assert all(v in run.stdout for v in email["values"]) and email["samples"][0] not in run.stdout
