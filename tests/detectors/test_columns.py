"""Column classification: name hints as a table, value shares, CPNI beside phone numbers."""

import csv
import json
import random

import pyarrow as pa
import pytest
from faker import Faker

from pdscan.detectors import columns
from pdscan.detectors.pipeline import Detector, supported_entities
from tests.conftest import DATASETS
from tests.detectors import columnvalues


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


# Column verdicts on real and hand-written columns (issue 15): a verdict on weak evidence needs a
# share of the values; a decided column gets no weak second entity; ids are not cards.


def _write_column(path, field, values):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["row", field])
        writer.writerows([i, v] for i, v in enumerate(values))
    return path


def _verdicts(scan, path, *args) -> dict[str, dict]:
    run = scan(path, "--no-store", *args)
    return {f["entity"]: f for f in run.findings if f["location"]["field"] != "row"}


def _synth_values(entity: str) -> list[str]:
    texts = json.loads((DATASETS / "presidio-research" / "synth_dataset_v2.json").read_text())
    return list(dict.fromkeys(s["entity_value"] for t in texts for s in t["spans"] if s["entity_type"] == entity))


@pytest.fixture(scope="module")
def addresses():
    values = _synth_values("STREET_ADDRESS")
    assert len(values) == 593
    return values


@pytest.mark.parametrize("field", ["location", "c1", "ship_to", "address"])
def test_a_column_of_real_addresses_is_street_address_only(scan, tmp_path, addresses, field):
    found = _verdicts(scan, _write_column(tmp_path / "a.csv", field, addresses))
    assert set(found) == {"STREET_ADDRESS"}
    assert found["STREET_ADDRESS"]["ratio"] >= 0.45


@pytest.mark.parametrize("field", ["id", "order_id", "orderId", "uuid", "ref", "payment_ref", "userid"])
def test_luhn_valid_ids_are_not_cards(scan, tmp_path, field):
    path = _write_column(tmp_path / "ids.csv", field, columnvalues.luhn_ids())
    assert _verdicts(scan, path) == {}
    assert scan(path, "--no-store", "--fail-on", "pfi").code == 0


def _account_shaped(n: int = 200) -> list[str]:
    rng = random.Random(7)
    return [str(rng.randint(10**9, 10**12 - 1)) for _ in range(n)]


@pytest.mark.parametrize(
    "field, expected", [("order_id", set()), ("ref", set()), ("uuid", set()), ("account_no", {"US_BANK_NUMBER"})]
)
def test_account_shaped_ids_are_accounts_only_under_an_account_name(scan, tmp_path, field, expected):
    found = _verdicts(scan, _write_column(tmp_path / "a.csv", field, _account_shaped()))
    assert set(found) == set(expected)


@pytest.mark.parametrize("field", ["card_number", "cc", "card_id", "pan"])
def test_the_same_numbers_under_a_card_name_are_cards(scan, tmp_path, field):
    path = _write_column(tmp_path / "cards.csv", field, columnvalues.luhn_ids())
    found = _verdicts(scan, path)
    assert set(found) == {"CREDIT_CARD"}
    assert found["CREDIT_CARD"]["ratio"] >= 0.7
    assert scan(path, "--no-store", "--fail-on", "pfi").code == 1


def test_an_id_column_value_that_names_a_card_is_a_card(scan, tmp_path):
    values = [f"card {n}" for n in columnvalues.luhn_ids(20)]
    assert set(_verdicts(scan, _write_column(tmp_path / "ref.csv", "ref", values))) == {"CREDIT_CARD"}


@pytest.mark.parametrize(
    "name, text",
    [
        ("api.log", "2026-11-02 10:00:01 INFO api request done id=4093609377352800 status=200\n"),
        ("cells.csv", 'notes,status\n"Order placed, id=4093609377352800",ok\n"see id=4093609377352800",ok\n'),
        ("events.ndjson", '{"msg": "lookup id=4093609377352800 ok"}\n{"msg": "cache id=4093609377352800"}\n'),
    ],
)
def test_a_luhn_valid_number_after_id_in_text_is_no_card(scan, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    run = scan(path, "--no-store", "--fail-on", "pfi")
    assert run.code == 0
    assert not [f for f in run.findings if f["entity"] == "CREDIT_CARD"]


# Names that happen to be in a few product descriptions: the designer, a dedication.
STRAY = [
    "Hand-stitched leather wallet, designed by Maria Gonzalez in Lisbon.",
    "Signed print of the launch poster, as gifted to Daniel Okafor in 2019.",
    "Linen apron from the spring line by Priya Raman; machine washable at 40 C.",
    "Walnut chess set, a tribute to Thomas Becker's first tournament board.",
]


@pytest.mark.parametrize("field", ["details", "c4", "text"])
def test_stray_names_among_product_descriptions_make_no_person(scan, tmp_path, field):
    values = columnvalues.descriptions(500)
    for i, text in zip((40, 160, 280, 400), STRAY):
        values[i] = text
    assert "PERSON" not in _verdicts(scan, _write_column(tmp_path / "p.csv", field, values))


@pytest.mark.parametrize("field", ["c2", "participant", "full_name"])
def test_a_column_of_real_names_is_still_person(scan, tmp_path, field):
    names = [n for n in _synth_values("PERSON") if " " in n][:300]
    found = _verdicts(scan, _write_column(tmp_path / "n.csv", field, names))
    assert set(found) == {"PERSON"}
    assert found["PERSON"]["ratio"] >= 0.6


def _faker_agents() -> list[str]:
    fake = Faker()
    fake.seed_instance(15)
    return [fake.user_agent() for _ in range(200)]


@pytest.mark.parametrize("field", ["user_agent", "c3"])
@pytest.mark.parametrize("agents", [columnvalues.user_agents, _faker_agents], ids=["by hand", "faker"])
def test_a_column_of_user_agents_is_user_agent_and_no_ip(scan, tmp_path, field, agents):
    found = _verdicts(scan, _write_column(tmp_path / "ua.csv", field, agents()))
    assert set(found) == {"USER_AGENT"}
    assert found["USER_AGENT"]["ratio"] >= 0.85


def _ev(matches, sampled=593, score=0.8, distinct=None):
    return columns.Evidence(matches, sampled, score, matches if distinct is None else distinct)


@pytest.mark.parametrize(
    "field, found, expected",
    [
        # weak evidence: a share of the values and two distinct ones
        ("notes", {"PERSON": _ev(14)}, set()),
        ("notes", {"PERSON": _ev(40)}, {"PERSON"}),
        ("notes", {"PERSON": _ev(40, distinct=1)}, set()),
        ("notes", {"STREET_ADDRESS": _ev(3)}, set()),
        # validated formats: a few repeated hits, however sparse
        ("notes", {"US_SSN": _ev(3)}, {"US_SSN"}),
        ("notes", {"PHONE_NUMBER": _ev(5, 10_000)}, {"PHONE_NUMBER"}),
        # a decided column keeps a strong second entity, not a weak one under the decision share
        ("c1", {"STREET_ADDRESS": _ev(297), "PERSON": _ev(60)}, {"STREET_ADDRESS"}),
        ("c1", {"USER_AGENT": _ev(500), "ORGANIZATION": _ev(50)}, {"USER_AGENT"}),
        ("contact", {"EMAIL_ADDRESS": _ev(500), "PHONE_NUMBER": _ev(20)}, {"EMAIL_ADDRESS", "PHONE_NUMBER"}),
        ("notes", {"PERSON": _ev(250), "EMAIL_ADDRESS": _ev(200)}, {"PERSON", "EMAIL_ADDRESS"}),
        # the name decides a column: its hint stays, a weak other entity goes
        ("customer_name", {"PERSON": _ev(20), "ORGANIZATION": _ev(40)}, {"PERSON"}),
        # undecided: each entity on its own evidence
        ("notes", {"PERSON": _ev(100), "STREET_ADDRESS": _ev(60)}, {"PERSON", "STREET_ADDRESS"}),
    ],
)
def test_column_verdicts(field, found, expected):
    assert columns.column_verdicts(field, found) == expected


@pytest.mark.parametrize(
    "field, expected",
    [
        ("id", True),
        ("order_id", True),
        ("orderId", True),
        ("$.items[*].uuid", True),
        ("ref", True),
        ("userid", True),
        ("sessionid", True),
        ("card_id", False),
        ("account_id", False),
        ("acctid", False),
        ("paid", False),
        ("valid", False),
        ("android", False),
        ("card_number", False),
        ("notes", False),
    ],
)
def test_names_identifiers(field, expected):
    assert columns.names_identifiers(field) is expected


@pytest.mark.parametrize("field", ["message", "text", "log_line", "notes"])
def test_a_free_text_column_name_is_no_phone_context(field):
    """Real BGL log lines start with 10-digit epoch seconds: on a text line they are no phone (no
    context word), and a column named `message` or `text` does not make them one ("text me" and
    "message me" are phone context in a sentence, not as the name of a column of free text)."""
    lines = (DATASETS / "loghub" / "BGL_2k.log").read_text(encoding="utf-8").splitlines()[:200]
    detector = Detector()
    assert not [h for h in detector.detect(pa.array(lines)) if h.entity == "PHONE_NUMBER"]
    assert not [h for h in detector.detect(pa.array(lines), field=field) if h.entity == "PHONE_NUMBER"]
    # a column that names phones still raises them
    numbers = ["2125550187", "3125550143", "4155550122"]
    found = detector.detect(pa.array(numbers), field="text_phone")
    assert {h.entity for h in found} == {"PHONE_NUMBER"}
