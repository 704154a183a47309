"""Column classification: name hints as a table, value shares, CPNI beside phone numbers."""

import pyarrow as pa
import pytest

from pdscan.detectors import columns
from pdscan.detectors.pipeline import Detector, supported_entities
from tests.conftest import DATASETS


@pytest.mark.parametrize(
    "field, entity",
    [
        ("ssn", "US_SSN"),
        ("SocialSecurityNumber", "US_SSN"),
        ("cc_number", "CREDIT_CARD"),
        ("ccNumber", "CREDIT_CARD"),
        ("cc_cvc", "CARD_SECURITY_CODE"),
        ("customer_email_address", "EMAIL_ADDRESS"),
        ("$.user.email", "EMAIL_ADDRESS"),
        ("$.contacts[*].phone", "PHONE_NUMBER"),
        ("fname", "PERSON"),
        ("Last-Name", "PERSON"),
        ("maiden_name", "PERSON"),
        ("routing_number", "ABA_ROUTING_NUMBER"),
        ("acct_no", "US_BANK_NUMBER"),
        ("zip", "POSTAL_CODE"),
        ("client_ip", "IP_ADDRESS"),
        ("user_agent", "USER_AGENT"),
        ("birth_date", "DATE_OF_BIRTH"),
        ("employer", "ORGANIZATION"),
        ("job_title", "JOB_TITLE"),
        ("status", None),
        ("zipper_length", None),
        ("description", None),
        ("amount", None),
    ],
)
def test_hints(field, entity):
    assert columns.hinted_entity(field) == entity


@pytest.fixture(scope="module")
def detector():
    return Detector()


def _entities(detector, field, values):
    return {h.entity for h in detector.detect(pa.array(values), field=field)}


def test_single_token_names_through_the_column_name_or_the_name_list(detector):
    surnames = ["Smith", "Garcia", "Nguyen", "Okafor", "Johnson", "Becker"]
    assert _entities(detector, "lname", surnames) == {"PERSON"}
    # no hint: most values are known names
    assert _entities(detector, "c7", surnames) == {"PERSON"}
    # capitalized words that are not names
    assert _entities(detector, "c8", ["Pending", "Shipped", "Cancelled", "Returned", "Pending"]) == set()
    assert _entities(detector, "city", ["Menlo Park", "Goff", "Atlanta"]) == set()


def test_hint_only_entities(detector):
    assert _entities(detector, "company", ["Acme Corp", "Fusion Connect, Inc."]) == {"ORGANIZATION"}
    assert _entities(detector, "job_title", ["Senior Engineer", "Billing Manager"]) == {"JOB_TITLE"}
    assert _entities(detector, "cvv", ["123", "9876"]) == {"CARD_SECURITY_CODE"}
    assert _entities(detector, "zip", ["94025", "30339-1234"]) == {"POSTAL_CODE"}
    assert _entities(detector, "amount", ["123", "9876"]) == set()


@pytest.mark.parametrize(
    "matches, sampled, score, field, expected",
    [
        (1, 10_000, 0.85, "notes", False),  # one stray hit
        (5, 10_000, 0.85, "notes", True),  # sparse but repeated
        (1, 1, 0.85, "notes", True),  # a one-row table
        (1, 500, 0.85, "ssn", True),  # the name says so
        (1, 500, 1.0, "notes", False),
    ],
)
def test_column_verdict(matches, sampled, score, field, expected):
    assert columns.column_verdict("US_SSN", matches, sampled, score, field) is expected


def test_piicatcher_columns(scan):
    run = scan(DATASETS / "piicatcher" / "sample-data.csv")
    found = {(f["location"]["field"], f["entity"]) for f in run.findings}
    expected = {
        ("id", "US_SSN"),
        ("birthdate", "DATE_OF_BIRTH"),
        ("maiden_name", "PERSON"),
        ("lname", "PERSON"),
        ("fname", "PERSON"),
        ("address", "STREET_ADDRESS"),
        ("zip", "POSTAL_CODE"),
        ("phone", "PHONE_NUMBER"),
        ("email", "EMAIL_ADDRESS"),
        ("cc_number", "CREDIT_CARD"),
        ("cc_cvc", "CARD_SECURITY_CODE"),
    }
    supported = set(supported_entities())
    assert found == {(field, entity) for field, entity in expected if entity in supported}
    for f in run.findings:
        assert f["ratio"] >= 0.9, f


def test_cpni_columns_beside_phone_numbers(scan, tmp_path):
    cdr = tmp_path / "cdr.csv"
    rows = ["calling_number,called_number,call_start,duration_sec,rate_plan,trunk_id,status"]
    for i in range(5):
        rows.append(
            f"(404) 555-01{i}2,+1 212 555 01{i}9,2026-11-0{i + 1}T10:00:00Z,{60 * i + 7},Voice Basic,TRK-{i},done"
        )
    cdr.write_text("\n".join(rows) + "\n")
    run = scan(cdr)
    cpni = {f["location"]["field"] for f in run.findings if f["entity"] == "CPNI"}
    assert cpni == {"calling_number", "called_number", "call_start", "duration_sec", "rate_plan", "trunk_id"}
    # the same columns without phone numbers are not CPNI
    plain = tmp_path / "plans.csv"
    plain.write_text("rate_plan,duration_sec\nVoice Basic,60\nUCaaS Pro,30\n")
    assert scan(plain).findings == []
