"""A SQLite database among scanned files is read table by table, as `sqlite:///PATH` would be."""

import json
import sqlite3

import pytest

from pdscan.store import Store
from tests.connectors.sqlhelp import same_in_workers


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "app"
    root.mkdir()
    con = sqlite3.connect(root / "app.db")
    con.execute("create table customers (id integer primary key, email text, ssn text)")
    con.executemany(
        "insert into customers values (?, ?, ?)",
        [(1, "ana.torres@example.com", "219-09-9999"), (2, "bo.li@example.org", "078-05-1121")],
    )
    con.execute("create table notes (id integer primary key, body text)")
    con.execute("insert into notes values (7, 'call back at (212) 555-0143 about the refund')")
    con.commit()
    con.close()
    (root / "broken.db").write_bytes(b"SQLite format 3\x00" + b"\x07" * 200)
    Store(str(root / "pdscan.db")).engine.dispose()  # a findings store lying in the folder
    return root


def test_tables_of_a_sqlite_file_are_scanned(scan, folder):
    run = scan(folder, "--format", "json", "--granularity", "row")
    doc = json.loads(run.stdout)
    found = {(f["location"]["field"], f["entity"], json.dumps(f["location"].get("row_key"))) for f in doc["findings"]}
    assert ("customers.email", "EMAIL_ADDRESS", "1") in found
    assert ("customers.email", "EMAIL_ADDRESS", "2") in found
    assert ("notes.body", "PHONE_NUMBER", "7") in found
    assert all(f["location"]["container"].endswith("app.db") for f in doc["findings"])
    coverage = {c["container"].rsplit("/", 1)[-1]: (c["status"], c["reason"]) for c in doc["coverage"]}
    assert coverage == {
        "broken.db": ("skipped", "corrupt"),
        "pdscan.db": ("skipped", "own_store"),
    }
    assert run.code == 1


def test_column_findings_are_per_table(scan, folder):
    run = scan(folder)
    columns = {(f["location"]["field"], f["entity"]) for f in run.findings if f["kind"] == "column"}
    assert {("customers.email", "EMAIL_ADDRESS"), ("customers.ssn", "US_SSN")} <= columns


def test_workers_read_a_sqlite_file_as_one_process_does(scan, folder):
    # the file is one item, read whole by one worker: its tables in the order one process reads them
    doc = same_in_workers(scan, folder, "--granularity", "row")
    assert any(f["location"]["field"] == "notes.body" for f in doc["findings"])
