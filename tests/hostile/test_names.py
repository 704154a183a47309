"""Names that are data (issue 17, points 6-8): a headerless CSV's first row, a JSON key, a row key.

Each case is a real `pdscan scan` beside a good file: the value in the name never appears in
stdout, stderr, the output, the store, a report or `diff`; the findings are still reported, with
a stable placeholder where the value was; with --reveal the value shows.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pdscan.cli import cli
from pdscan.connectors.formats import headers
from pdscan.core.keys import FingerprintKey
from pdscan.core.model import Finding, Location
from pdscan.detectors.pipeline import Detector
from pdscan.nameguard import NameGuard
from tests.connectors.conftest import postgres_server  # noqa: F401  (the session's server)
from tests.hostile import harness

# valid-looking SSNs and addresses used nowhere else, so that a leak is this test's
FIRST = ("Marta Quintero", "zq6first@example.org", "536-22-1987")
ROWS = [("Bruno Salas", "zq6second@example.org", "471-38-2290"), ("Ines Ortega", "zq6third@example.org", "602-11-5378")]
KEY_EMAIL, KEY_SSN = "zq7marker@example.org", "471-38-2291"
PK_SSNS = ["536-22-1988", "471-38-2292", "602-11-5379"]
PLACEHOLDER = r"<%s [0-9a-f]{8}>"


def _env(result: harness.Scan) -> dict:
    return {"PDSCAN_KEY": harness.KEY, "PDSCAN_STORE": str(result.work / "pdscan.db")}


def _diff_json(result: harness.Scan) -> dict:
    done = CliRunner().invoke(cli, ["diff", "--format", "json"], env=_env(result))
    assert done.exit_code in (0, 1), done.output
    return json.loads(done.output)


def _fields(result: harness.Scan, name: str) -> set[str]:
    return {f["location"]["field"] for f in result.found_in(name)}


# --- 6: a headerless CSV ---------------------------------------------------------------------


def _headerless(folder: Path) -> None:
    folder.mkdir()
    harness.good_file(folder)
    (folder / "people.csv").write_text("".join(",".join(r) + "\n" for r in [FIRST, *ROWS]))


def test_headerless_csv_first_row_is_data_not_names(tmp_path: Path):
    folder = tmp_path / "d"
    _headerless(folder)
    result = harness.scan(folder)
    harness.assert_clean(result, planted=list(FIRST))
    found = {f["location"]["field"]: f for f in result.found_in("people.csv")}
    assert set(found) == {"column_1", "column_2", "column_3"}, set(found)
    assert found["column_2"]["entity"] == "EMAIL_ADDRESS"
    assert found["column_2"]["matches"] == 3  # the first row read as data
    assert found["column_3"]["entity"] == "US_SSN" and found["column_3"]["matches"] == 3
    revealed = harness.scan(folder, "--reveal", "--granularity", "row", reports=False)
    values = {f.get("value") for f in revealed.found_in("people.csv")}
    assert {FIRST[1], FIRST[2]} <= values


def test_headerless_csv_first_row_is_found_by_dsar(tmp_path: Path, monkeypatch):
    folder = tmp_path / "d"
    _headerless(folder)
    monkeypatch.setenv("PDSCAN_KEY", harness.KEY)
    monkeypatch.setenv("PDSCAN_STORE", str(tmp_path / "pdscan.db"))
    monkeypatch.chdir(tmp_path)
    args = ["dsar", "find", str(folder), "--email", FIRST[1], "--dry-run", "-o", "a.json", "--evidence", "e.json"]
    done = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert done.exit_code == 1, done.output  # 1: matches found
    records = json.loads((tmp_path / "e.json").read_text())["records"]
    row = next(r for r in records if r["container"].endswith("people.csv"))
    assert row["location"]["row"] == 0 and row["matched"] == ["email"]
    assert {p["field"] for p in row["data"]} == {"column_1", "column_2", "column_3"}


@pytest.mark.parametrize(
    "content, names",
    [
        ("name,email,ssn\n" + "".join(",".join(r) + "\n" for r in ROWS), False),
        ("id,2019,2020\n1,5.5,6.1\n2,3.3,4.4\n", False),  # numbers under year names: a header
        ("".join(",".join(r) + "\n" for r in [FIRST, *ROWS]), True),
        ("1,zq6second@example.org\n2,zq6third@example.org\n", True),
        (",".join(FIRST) + "\n", True),  # one line, and it is a record
        ("ssn,q10001,v1.2\n532-71-4409,x,y\n", False),  # digits inside names are a name's
        ("2019-01,2019-02\n" + "9," * 40_000 + "9\n", False),  # a row longer than the sample: no telling
    ],
    ids=["header", "year-names", "records", "id-and-email", "one-record", "digits-in-names", "long-row"],
)
def test_header_or_record(content: str, names: bool):
    header, _, rest = content.partition("\n")
    assert headers.headerless(header, ",", rest.encode()) is names


# --- 7: JSON object keys -------------------------------------------------------------------


def _keyed(folder: Path) -> None:
    folder.mkdir()
    harness.good_file(folder)
    users = {KEY_EMAIL: {"ssn": ROWS[0][2]}, KEY_SSN: {"email": ROWS[1][1]}, "plain": {"ssn": ROWS[1][2]}}
    (folder / "users.json").write_text(json.dumps({"users": users}))


def test_json_keys_that_are_data_are_masked_and_stable(tmp_path: Path):
    folder = tmp_path / "d"
    _keyed(folder)
    first = harness.scan(folder)
    harness.assert_clean(first, planted=[KEY_EMAIL, KEY_SSN])
    fields = _fields(first, "users.json")
    assert "$.users.plain.ssn" in fields  # a plain key stays as it is
    assert any(re.fullmatch(r"\$\.users\[%s\]\.ssn" % (PLACEHOLDER % "EMAIL_ADDRESS"), f) for f in fields), fields
    assert any(re.fullmatch(r"\$\.users\[%s\]\.email" % (PLACEHOLDER % "US_SSN"), f) for f in fields), fields
    carried = harness.scan(folder)  # unchanged: carried from the store, not masked again
    harness.assert_clean(carried, planted=[KEY_EMAIL, KEY_SSN])
    assert _fields(carried, "users.json") == fields
    again = harness.scan(folder, "--rescan")  # read again: the same placeholders, nothing new
    harness.assert_clean(again, planted=[KEY_EMAIL, KEY_SSN])
    assert _fields(again, "users.json") == fields
    diff = _diff_json(again)
    assert diff["containers_compared"] == 2 and not diff["added"] and not diff["resolved"], diff
    revealed = harness.scan(folder, "--reveal", reports=False)
    assert f'$.users["{KEY_EMAIL}"].ssn' in _fields(revealed, "users.json")


# --- 8: a primary key that is PII, --granularity row ----------------------------------------


def _pk_rows() -> list[tuple[str, str]]:
    return [(ssn, f"zq8row{i}@example.org") for i, ssn in enumerate(PK_SSNS)]


def _assert_row_keys_masked(folder: Path, source: str, table: str) -> None:
    result = harness.scan(folder, source, "--granularity", "row")
    harness.assert_clean(result, planted=PK_SSNS)
    rows = result.found_in(table)
    assert {f["entity"] for f in rows} >= {"EMAIL_ADDRESS", "US_SSN"}, rows
    for f in rows:
        assert re.fullmatch(PLACEHOLDER % "US_SSN", f["location"]["row_key"]), f["location"]
    by_row = {}
    for f in rows:  # one placeholder per row, the same on every finding of the row
        by_row.setdefault(f["location"]["row"], set()).add(f["location"]["row_key"])
    assert all(len(keys) == 1 for keys in by_row.values()) and len(by_row) == len(PK_SSNS)
    revealed = harness.scan(folder, source, "--granularity", "row", "--reveal", reports=False)
    assert {f["location"]["row_key"] for f in revealed.found_in(table)} == set(PK_SSNS)


def test_sqlite_primary_key_that_is_an_ssn_is_masked_in_row_keys(tmp_path: Path):
    folder = tmp_path / "d"
    folder.mkdir()
    harness.good_file(folder)
    (tmp_path / "db").mkdir()
    db = tmp_path / "db" / "crm.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE people (ssn TEXT PRIMARY KEY, email TEXT)")
        conn.executemany("INSERT INTO people VALUES (?, ?)", _pk_rows())
    _assert_row_keys_masked(folder, f"sqlite:///{db}", "main.people")


def test_postgres_primary_key_that_is_an_ssn_is_masked_in_row_keys(tmp_path: Path, postgres_server):  # noqa: F811
    base = postgres_server.admin_url.rsplit("/", 1)[0]
    with create_engine(f"{base}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS names_test"))
        conn.execute(text("CREATE DATABASE names_test"))
    engine = create_engine(f"{base}/names_test", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE people (ssn text PRIMARY KEY, email text)"))
        for ssn, email in _pk_rows():
            conn.execute(text("INSERT INTO people VALUES (:s, :e)"), {"s": ssn, "e": email})
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"))
    engine.dispose()
    folder = tmp_path / "d"
    folder.mkdir()
    harness.good_file(folder)
    _assert_row_keys_masked(folder, postgres_server.url(database="names_test"), "public.people")


# --- the guard itself ------------------------------------------------------------------------


def test_guard_masks_only_data_and_is_idempotent():
    guard = NameGuard(Detector(), FingerprintKey(b"k"))
    assert guard.field("$.users.plain[*].ssn") == "$.users.plain[*].ssn"
    assert guard.field("Customer Name") == "Customer Name"
    masked = guard.field(f'data.$.users["{KEY_EMAIL}"].ssn')  # a JSON column of a table
    assert re.fullmatch(r"data\.\$\.users\[%s\]\.ssn" % (PLACEHOLDER % "EMAIL_ADDRESS"), masked), masked
    assert guard.field(masked) == masked  # a carried finding is not masked again
    assert masked == NameGuard(Detector(), FingerprintKey(b"k")).field(f'data.$.users["{KEY_EMAIL}"].ssn')
    assert masked != NameGuard(Detector(), FingerprintKey(b"other")).field(f'data.$.users["{KEY_EMAIL}"].ssn')
    key = guard.row_key({"id": 7, "ssn": PK_SSNS[0]})
    assert key["id"] == 7 and re.fullmatch(PLACEHOLDER % "US_SSN", key["ssn"])
    finding = Finding("match", "US_SSN", 0.9, "t", "s", Location("c", field=KEY_EMAIL, row_key=PK_SSNS[1]), "***")
    guard.prepare([finding])
    guard.apply(finding)
    assert KEY_EMAIL not in str(finding.location) and PK_SSNS[1] not in str(finding.location)
