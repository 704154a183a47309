"""End to end: `pdscan scan` on real files of every format, each exit code and output format."""

import csv
import io
import json
import os

import pytest

from tests.conftest import DATA, TEST_KEY, by_entity

FILES = DATA / "files"


def test_text_file_matches_have_line_and_offsets(scan):
    run = scan(FILES / "notes.txt")
    assert run.code == 1
    found = by_entity(run.findings)
    lines = (FILES / "notes.txt").read_text().splitlines()
    expected = {
        "PERSON": (1, "Maria Gonzalez"),
        "EMAIL_ADDRESS": (2, "maria.gonzalez@example.com"),
        "PHONE_NUMBER": (2, "(212) 555-0143"),
        "CREDIT_CARD": (3, "4539 1488 0343 6467"),
        "US_SSN": (4, "536-90-4399"),
        "IBAN_CODE": (7, "GB82 WEST 1234 5698 7654 32"),
    }
    for entity, (line, value) in expected.items():
        (f,) = found[entity]
        loc = f["location"]
        assert f["kind"] == "match" and f["score"] >= 0.5
        assert loc["container"] == "notes.txt" and loc["path"] == str(FILES / "notes.txt") and loc["field"] is None
        assert loc["line"] == line
        assert lines[line - 1][loc["start"] : loc["end"]] == value
        assert "value" not in f and value not in json.dumps(f)
    assert sorted(f["location"]["line"] for f in found["IP_ADDRESS"]) == [6, 6]


def test_gzip_gives_the_same_findings(scan):
    plain = scan(FILES / "notes.txt").findings
    gz = scan(FILES / "notes.txt.gz").findings

    def strip(fs):
        return [{**f, "source": None, "location": {**f["location"], "container": None, "path": None}} for f in fs]

    assert strip(plain) == strip(gz) and plain


@pytest.mark.parametrize("name", ["customers.csv", "customers.tsv"])
def test_csv_columns_are_classified_by_header(scan, name):
    run = scan(FILES / name)
    assert run.code == 1
    columns = {(f["location"]["field"], f["entity"]): f for f in run.findings}
    assert set(columns) == {
        ("full_name", "PERSON"),
        ("email", "EMAIL_ADDRESS"),
        ("phone", "PHONE_NUMBER"),
        ("card_number", "CREDIT_CARD"),
    }
    email = columns[("email", "EMAIL_ADDRESS")]
    assert email["kind"] == "column"
    assert (email["matches"], email["sampled"], email["ratio"], email["distinct"]) == (4, 4, 1.0, 4)
    assert email["samples"][0] == "m***@example.com" and email["fingerprint"] is None


def test_row_granularity_gives_one_match_per_cell(scan):
    run = scan(FILES / "customers.csv", "--granularity", "row", "--entities", "EMAIL_ADDRESS")
    rows = [(f["location"]["field"], f["location"]["row"]) for f in run.findings]
    assert rows == [("email", 0), ("email", 1), ("email", 2), ("email", 3)]
    assert all(f["kind"] == "match" and len(f["fingerprint"]) == 64 for f in run.findings)


def test_json_document_fields_are_paths(scan):
    run = scan(FILES / "accounts.json")
    fields = {(f["location"]["field"], f["entity"]) for f in run.findings}
    assert fields == {("$.owner.name", "PERSON"), ("$.owner.email", "EMAIL_ADDRESS"), ("$.ips[*]", "IP_ADDRESS")}
    ips = next(f for f in run.findings if f["entity"] == "IP_ADDRESS")
    assert (ips["matches"], ips["sampled"]) == (3, 3)  # list items are cells: 2 + 1 + none


@pytest.mark.parametrize("name", ["events.ndjson", "events.ndjson.gz"])
def test_ndjson_matches_carry_field_row_and_line(scan, name):
    run = scan(FILES / name, "--granularity", "row", "--entities", "EMAIL_ADDRESS")
    locs = [(f["location"]["field"], f["location"]["row"], f["location"]["line"]) for f in run.findings]
    # the blank third line is not a record: row 2 is on line 4
    assert locs == [("$.user.email", 0, 1), ("$.user.email", 2, 4)]


def test_parquet_columns_nested_and_numeric(scan):
    run = scan(FILES / "orders.parquet")
    fields = {(f["location"]["field"], f["entity"]) for f in run.findings}
    assert ("buyer", "PERSON") in fields
    assert ("contact.email", "EMAIL_ADDRESS") in fields
    # SSNs stored as integers are found through the column name as context
    assert ("ssn_number", "US_SSN") in fields
    assert not any(f.startswith(("sku", "amount", "order_id")) for f, _ in fields)


def test_no_findings_exit_0(scan):
    run = scan(DATA / "clean")
    assert run.code == 0 and run.findings == []
    assert "0 findings" in run.stderr


def test_missing_path_is_a_usage_error_before_scanning(scan):
    run = scan(FILES / "notes.txt", DATA / "does-not-exist")
    assert run.code == 2
    assert "no such file or folder" in run.stderr and run.findings == []


def test_unsupported_scheme_is_a_usage_error_without_password(scan):
    run = scan("ftp://alice:hunter2@example.com/x")
    assert run.code == 2 and "hunter2" not in run.stderr and "alice:***@" in run.stderr


def test_include_and_exclude_globs(scan):
    run = scan(FILES, "--include", "*.csv", "--include", "*.tsv", "--exclude", "*.tsv")
    assert {f["location"]["container"] for f in run.findings} == {"customers.csv"}


def test_output_file_and_json_format(scan, tmp_path):
    out = tmp_path / "findings.json"
    run = scan(FILES / "notes.txt", "--format", "json", "--output", out)
    assert run.code == 1 and run.stdout == ""
    doc = json.loads(out.read_text())
    assert doc["summary"]["items"] == 1 and doc["summary"]["findings"]["US_SSN"] == 1
    assert len(doc["findings"]) == sum(doc["summary"]["findings"].values())
    assert "interrupted" not in doc["summary"]


def test_output_file_is_private_and_holds_what_stdout_would(scan, tmp_path):
    out = tmp_path / "findings.ndjson"
    out.write_text("an earlier run\n")
    out.chmod(0o644)
    to_file = scan(FILES, "--no-store", "--output", out)
    assert to_file.code == 1 and to_file.stdout == ""
    assert os.stat(out).st_mode & 0o777 == 0o600 and [p.name for p in tmp_path.iterdir()] == ["findings.ndjson"]
    assert out.read_text(encoding="utf-8") == scan(FILES, "--no-store").stdout


def test_an_output_file_that_cannot_be_written_is_one_line(scan, tmp_path):
    run = scan(FILES / "notes.txt", "--no-store", "--output", tmp_path / "missing" / "findings.ndjson")
    assert run.code == 2 and run.stderr.strip().splitlines()[-1].startswith("Error: cannot write ")


def test_csv_format(scan):
    run = scan(FILES / "notes.txt", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {r["entity"] for r in rows} >= {"US_SSN", "CREDIT_CARD"}
    assert all(r["line"] and r["container"].endswith("notes.txt") for r in rows)


def test_text_format_is_readable_and_masked(scan):
    run = scan(FILES / "customers.csv", "--format", "text")
    assert "column email" in run.stdout and "m***@example.com" in run.stdout
    assert "maria.gonzalez@example.com" not in run.stdout


def test_reveal_adds_the_raw_value(scan):
    run = scan(FILES / "notes.txt", "--reveal", "--entities", "US_SSN")
    (f,) = run.findings
    assert f["value"] == "536-90-4399" and f["sample"] == "***-**-4399"


def test_min_score_option_and_per_entity_config(scan, tmp_path):
    assert scan(FILES / "orders.parquet", "--entities", "US_SSN").findings  # 0.5 through context
    assert not scan(FILES / "orders.parquet", "--entities", "US_SSN", "--min-score", "0.6").findings
    config = tmp_path / "pdscan.yaml"
    config.write_text("min_score: 0.5\nscores:\n  US_SSN: 0.9\n")
    run = scan(FILES / "notes.txt", "--config", config)
    assert run.code == 1 and "US_SSN" not in {f["entity"] for f in run.findings}


def test_bad_config_names_file_and_line(scan, tmp_path):
    config = tmp_path / "pdscan.yaml"
    config.write_text("min_score: 0.5\nscores: [unclosed\n")
    run = scan(FILES / "notes.txt", "--config", config)
    assert run.code == 2 and f"{config}:" in run.stderr
    config.write_text("min_scroe: 0.5\n")
    run = scan(FILES / "notes.txt", "--config", config)
    assert run.code == 2 and "unknown setting 'min_scroe'" in run.stderr


def test_unknown_entity_is_a_usage_error(scan):
    run = scan(FILES / "notes.txt", "--entities", "US_SSN,NOT_AN_ENTITY")
    assert run.code == 2 and "NOT_AN_ENTITY" in run.stderr


def test_summary_on_stderr(scan):
    run = scan(DATA / "files")
    assert run.code == 1
    assert "scanned 8 of 8 items" in run.stderr
    assert "findings:" in run.stderr and "US_SSN" in run.stderr


def test_fingerprints_are_keyed(scan, monkeypatch):
    first = scan(FILES / "notes.txt", "--entities", "US_SSN").findings[0]["fingerprint"]
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY + "-other")
    second = scan(FILES / "notes.txt", "--entities", "US_SSN").findings[0]["fingerprint"]
    assert first != second


def _have_script() -> bool:
    import shutil

    return bool(shutil.which("script"))


@pytest.mark.skipif(not _have_script(), reason="needs util-linux script for a pseudo-terminal")
def test_terminal_gets_a_text_table_and_a_pipe_gets_ndjson():
    import os
    import shlex
    import subprocess
    import sys

    cmd = f"{shlex.quote(sys.executable)} -m pdscan scan {shlex.quote(str(FILES / 'notes.txt'))}"
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY, "COLUMNS": "120"}
    tty = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True, env=env)
    assert "line 4:13-24" in tty.stdout and "US_SSN" in tty.stdout and "pdscan: " in tty.stdout
    piped = subprocess.run(shlex.split(cmd), capture_output=True, text=True, env=env)
    assert json.loads(piped.stdout.splitlines()[0])["kind"] == "match"
    quiet = subprocess.run(shlex.split(cmd) + ["--quiet"], capture_output=True, text=True, env=env)
    assert quiet.returncode == 1 and quiet.stderr == ""


def test_entities_take_policy_categories_in_any_case(scan):
    every = {f["entity"] for f in scan(FILES).findings}
    assert {"CREDIT_CARD", "US_SSN", "EMAIL_ADDRESS"} <= every
    pfi = scan(FILES, "--entities", "PFI")
    assert pfi.code == 1 and {f["category"] for f in pfi.findings} == {"pfi"}
    assert "CREDIT_CARD" in {f["entity"] for f in pfi.findings}
    mixed = scan(FILES, "--entities", "ssn_ein,email_address")
    assert {f["entity"] for f in mixed.findings} == {"US_SSN", "EMAIL_ADDRESS"} & every | (
        {"US_EIN", "US_ITIN"} & every
    )
    wrong = scan(FILES, "--entities", "pfx")
    assert wrong.code == 2 and "unknown entities: pfx" in wrong.stderr and "or a category: " in wrong.stderr
