"""The findings store through the CLI: incremental scans, diffs, baselines, labels, no raw values."""

import json
import os
import sqlite3
import stat

import pytest

from tests.conftest import TEST_KEY

CARD = "4539 1488 0343 6467"
SSN = "536-22-8451"


@pytest.fixture
def estate(tmp_path):
    root = tmp_path / "estate"
    root.mkdir()
    (root / "orders.txt").write_text(f"order 1 paid with card {CARD}\n", encoding="utf-8")
    (root / "hr.txt").write_text(f"employee SSN: {SSN}\n", encoding="utf-8")
    return root


@pytest.fixture
def store(tmp_path):
    return str(tmp_path / "team.db")


def _scan(scan, estate, store, *args):
    return scan(str(estate), "--store", store, *args)


def test_the_store_is_private_and_holds_no_raw_value(scan, estate, store):
    run = _scan(scan, estate, store, "--reveal")
    assert run.code == 1 and any(f.get("value") for f in run.findings)
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    data = open(store, "rb").read()
    for raw in (CARD, CARD.replace(" ", ""), SSN, SSN.replace("-", "")):
        assert raw.encode() not in data
    rows = sqlite3.connect(store).execute("select entity, category, sample from findings").fetchall()
    assert ("CREDIT_CARD", "pfi", "4539 **** **** 6467") in rows or any(r[:2] == ("CREDIT_CARD", "pfi") for r in rows)


def test_unchanged_files_are_not_read_again(scan, estate, store):
    first = _scan(scan, estate, store)
    second = _scan(scan, estate, store)
    assert "2 items unchanged since scan 1, not read again" in second.stderr
    assert sorted(f["fingerprint"] for f in second.findings) == sorted(f["fingerprint"] for f in first.findings)
    assert all(f["carried_from"] == 1 for f in second.findings)
    # touched but not changed: the hash decides
    os.utime(estate / "hr.txt", (1, 1))
    third = _scan(scan, estate, store)
    assert "2 items unchanged since scan 1, not read again" in third.stderr
    forced = _scan(scan, estate, store, "--rescan")
    assert "unchanged" not in forced.stderr and not any("carried_from" in f for f in forced.findings)


def test_diff_after_adding_and_removing_a_file(scan, cli_run, estate, store):
    _scan(scan, estate, store)
    (estate / "leads.txt").write_text("please call back on (212) 555-0143\n", encoding="utf-8")
    _scan(scan, estate, store)
    added = cli_run("diff", "--store", store, "--format", "json")
    assert added.exit_code == 1
    doc = json.loads(added.stdout)
    assert [f["entity"] for f in doc["added"]] == ["PHONE_NUMBER"] and doc["resolved"] == []
    # PFI-only gate: a new phone number does not fail it
    assert cli_run("diff", "--store", store, "--fail-on", "pfi").exit_code == 0
    (estate / "orders.txt").unlink()
    _scan(scan, estate, store)
    removed = json.loads(cli_run("diff", "--store", store, "--format", "json").stdout)
    # a deleted file's findings are resolved: the folder was listed whole with the same settings
    assert removed["added"] == [] and removed["containers_deleted"] == 1
    assert {(f["location"]["container"], f["entity"]) for f in removed["resolved"]} == {("orders.txt", "CREDIT_CARD")}
    (estate / "hr.txt").write_text("employee record moved\n", encoding="utf-8")
    _scan(scan, estate, store)
    resolved = json.loads(cli_run("diff", "--store", store, "--format", "json").stdout)
    assert [f["entity"] for f in resolved["resolved"]] == ["US_SSN"]


def test_an_edit_elsewhere_in_a_file_is_no_new_finding(scan, cli_run, estate, store):
    _scan(scan, estate, store)
    (estate / "orders.txt").write_text(f"header line\n\norder 1 paid with card {CARD}\n", encoding="utf-8")
    _scan(scan, estate, store)
    doc = json.loads(cli_run("diff", "--store", store, "--format", "json").stdout)
    assert doc["added"] == [] and doc["resolved"] == []


def test_scan_fail_on_compares_with_the_previous_scan(scan, estate, store):
    assert _scan(scan, estate, store, "--fail-on", "pfi").code == 1  # first scan: everything is new
    assert _scan(scan, estate, store, "--fail-on", "pfi").code == 0
    (estate / "more.txt").write_text(f"second card {CARD.replace('6467', '6467')} and SSN {SSN}\n", encoding="utf-8")
    again = _scan(scan, estate, store, "--fail-on", "pfi")
    assert again.code == 1 and "1 new finding since scan 2: pfi 1" in again.stderr


def test_baseline_without_a_store(scan, estate, tmp_path):
    baseline = str(tmp_path / "pdscan-baseline.json")
    missing = scan(str(estate), "--no-store", "--baseline", baseline)  # a mistyped path is not an empty baseline
    assert missing.code == 2 and f"{baseline}: no such baseline (make one with --update-baseline)" in missing.stderr
    made = scan(str(estate), "--no-store", "--baseline", baseline, "--update-baseline")
    assert made.code == 1 and f"pdscan: baseline {baseline} written: 2 findings" in made.stderr.splitlines()
    document = json.load(open(baseline, encoding="utf-8"))
    assert {f["entity"] for f in document["findings"]} == {"CREDIT_CARD", "US_SSN"}
    assert CARD not in open(baseline, encoding="utf-8").read()
    assert scan(str(estate), "--no-store", "--baseline", baseline).code == 0
    (estate / "new.txt").write_text("ssn 536-71-3321 on file\n", encoding="utf-8")
    gate = scan(str(estate), "--no-store", "--baseline", baseline, "--fail-on", "PFI")  # ids in any case
    assert gate.code == 0  # a new SSN, but the gate is PFI only
    ungated = scan(str(estate), "--no-store", "--baseline", baseline)
    assert ungated.code == 1 and "1 new finding not in" in ungated.stderr


def test_a_baseline_made_with_another_key_is_refused(scan, estate, tmp_path):
    baseline = str(tmp_path / "b.json")
    scan(str(estate), "--no-store", "--baseline", baseline, "--update-baseline")
    other = scan(str(estate), "--no-store", "--baseline", baseline, env={"PDSCAN_KEY": "another-key-" + TEST_KEY})
    assert other.code == 2 and "fingerprint key" in other.stderr


def test_labels_survive_a_rescan(scan, cli_run, estate, store):
    _scan(scan, estate, store)
    (estate / "leads.txt").write_text("please call back on (212) 555-0143\n", encoding="utf-8")
    _scan(scan, estate, store)
    doc = json.loads(cli_run("diff", "--store", store, "--format", "json").stdout)
    phone = doc["added"][0]["identity"]
    labelled = cli_run("label", phone[:12], "--as", "false_positive", "--note", "a test number", "--store", store)
    assert labelled.exit_code == 0, labelled.output
    _scan(scan, estate, store, "--rescan")
    assert cli_run("diff", "1", "3", "--store", store).exit_code == 0  # the labelled phone is not new any more
    listing = cli_run("scans", "--store", store)
    assert listing.output.count("findings") == 3


def test_history_commands_need_a_store(cli_run, tmp_path):
    run = cli_run("scans", "--store", str(tmp_path / "missing.db"))
    assert run.exit_code == 2 and "no findings store" in run.output


def test_a_store_from_before_the_interrupted_flag(scan, cli_run, estate, store):
    assert _scan(scan, estate, store, "--fail-on", "pfi").code == 1
    con = sqlite3.connect(store)
    con.execute("ALTER TABLE scans DROP COLUMN interrupted")  # as an older pdscan made it:
    con.execute("DROP TABLE schema_version")  # before the flag, and before versions
    con.commit()
    con.close()
    # the column comes back empty: the old scan counts as one that ran to its end
    again = _scan(scan, estate, store, "--fail-on", "pfi")
    assert again.code == 0 and "0 new findings since scan 1" in again.stderr
    scans = json.loads(cli_run("scans", "--store", store, "--format", "json").stdout)
    assert [s["interrupted"] for s in scans] == [False, False]
    columns = [row[1] for row in sqlite3.connect(store).execute("PRAGMA table_info(scans)")]
    assert "interrupted" in columns


def test_earlier_records_looked_up_together_are_those_looked_up_one_by_one(scan, estate, store):
    from pdscan.store import Store

    (estate / "plain.txt").write_text("nothing personal here\n", encoding="utf-8")
    _scan(scan, estate, store)  # scan 1: all three
    (estate / "orders.txt").write_text(f"order 2 paid with card {CARD}\n", encoding="utf-8")
    _scan(scan, estate, store)  # scan 2: orders.txt read again, the others carried
    _scan(scan, estate, store, "--min-score", "0.9")  # scan 3: other settings, never an earlier record of 4
    (estate / "hr.txt").unlink()
    fourth = _scan(scan, estate, store)  # scan 4: as 1 and 2
    assert fourth.code == 1 and "2 items unchanged since scans 1 and 2, not read again" in fourth.stderr
    db = Store(store)
    containers = ["hr.txt", "orders.txt", "plain.txt", "never-there.txt"]  # relative to the source root
    root = os.path.realpath(estate)
    together = db.previous_items(root, containers, 4)
    one_by_one = {c: db.previous_item(root, c, 4) for c in containers}
    assert together == {c: row for c, row in one_by_one.items() if row is not None}
    assert {c: row["scan_id"] for c, row in together.items()} == {c: 2 for c in containers[:3]}
    carried = db.findings_in(2, root, containers)
    assert {c: len(f) for c, f in carried.items()} == {c: len(db.findings_of(2, root, c)) for c in containers}
    assert carried[containers[0]] and carried[containers[1]] and not carried[containers[2]]
