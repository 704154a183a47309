"""The DSAR answer (issue 16): what 11 CCR 7024(d) covers is described, never shown; a CVV is in no
output; the evidence file and the deletion plan are internal; outputs refuse what is not a regular
file; cases by type, with a requester reference, a dry run, and stores made before `requester`."""

import json
import os
import sqlite3
import stat
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pdscan.cli import cli
from pdscan.dsar import disclosure
from pdscan.dsar import package as dsar_package
from pdscan.dsar.identifiers import Identifiers
from pdscan.dsar.matcher import Hit
from pdscan.dsar.search import Answer, Inventory, RecordMatch
from pdscan.policy import load_policy
from pdscan.reports.dsar import render
from tests.conftest import TEST_KEY, run_pdscan

EMAIL = "ines.varga@example.org"
SSN = "536-22-4409"
CARD = "4539578763621486"
CVV = "7391"
BANK = "788201343663"
PASSWORD = "hunter2-Zq"
OTHER_CARD = "4111 1111 1111 1111"  # Luhn-valid, in a field with no hint: caught by its shape
# every spelling of a value that must never be shown in full
FULL = [SSN, SSN.replace("-", ""), SSN.replace("-", " "), CARD, " ".join(CARD[i : i + 4] for i in range(0, 16, 4)),
        "-".join(CARD[i : i + 4] for i in range(0, 16, 4)), BANK, PASSWORD, OTHER_CARD, OTHER_CARD.replace(" ", "")]  # fmt: skip


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "people.csv").write_text(
        "email,ssn,card_number,cvv,bank_account,password,misc\n"
        f"{EMAIL},{SSN},{CARD},{CVV},{BANK},{PASSWORD},{OTHER_CARD}\n"
        "someone@example.com,078-05-1120,4111111111111111,123,111,x,\n"
    )
    conn = sqlite3.connect(tmp_path / "billing.db")
    conn.executescript(
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, ssn TEXT, card_number TEXT, cvv TEXT,"
        " bank_account TEXT, passwd TEXT);"
    )
    conn.execute("INSERT INTO accounts VALUES (7, ?, ?, ?, ?, ?, ?)", (EMAIL, SSN.replace("-", ""), CARD, CVV, BANK,
                                                                        PASSWORD))  # fmt: skip
    conn.commit()
    conn.close()
    # the database is named in the config; the exports folder is not (a generic name is used)
    (tmp_path / "pdscan.yaml").write_text("sources:\n  - url: sqlite:///billing.db\n    name: billing system\n")
    return tmp_path


def dsar(*args, input=None):
    return CliRunner().invoke(cli, ["dsar", *map(str, args)], input=input, catch_exceptions=False)


FIND = ("find", "exports", "sqlite:///billing.db", "--email", EMAIL)


def _no_full_values(text: str) -> None:
    for value in FULL:
        assert value not in text, value
    assert CVV not in text


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_consumer_answer_describes_covered_values_and_never_shows_them(world, fmt):
    result = dsar(*FIND, "--format", fmt, "-o", f"answer.{fmt}")
    assert result.exit_code == 1, result.stderr
    text = (world / f"answer.{fmt}").read_text()
    if fmt == "html":
        text = text[: text.index("<style>")] + text[text.index("</style>") :]  # the CSS's td.unknown class
    _no_full_values(text)
    for said in ("a Social Security number ending 4409 is held", "a payment card number ending 1486 is held",
                 "a bank account number ending 3663 is held", "a password is held", "a card security code is stored",
                 "a payment card number ending 1111 is held"):  # fmt: skip
        assert said in text, said
    assert EMAIL in text  # what may be disclosed is
    for internal in ("people.csv", "exports/", "main.accounts", "billing.db", str(world), "unknown", "aho-corasick",
                     "sql-where", "row_key"):  # fmt: skip
        assert internal not in text, internal
    assert "billing system" in text and "customer files" in text
    assert "7024(d)" in text


def test_policy_fallback_for_sources_and_third_parties(world):
    assert dsar(*FIND, "-o", "a.json").exit_code == 1
    categories = {c["category"]: c for c in json.loads((world / "a.json").read_text())["categories"]}
    assert categories["ssn_ein"]["source_categories"] == dsar_package.POLICY_SOURCES_DEFAULT
    assert categories["email"]["third_parties"] == dsar_package.POLICY_THIRD_PARTIES


def test_the_evidence_file_has_locations_and_methods_and_no_cvv_or_full_ssn(world):
    result = dsar(*FIND, "-o", "a.md", "--format", "md", "--evidence", "evidence.json")
    assert result.exit_code == 1, result.stderr
    assert stat.S_IMODE(os.stat(world / "evidence.json").st_mode) == 0o600
    text = (world / "evidence.json").read_text()
    _no_full_values(text)
    evidence = json.loads(text)
    assert evidence["package"] == "dsar-evidence"
    rows = {r["container"]: r for r in evidence["records"]}
    assert rows["main.accounts"]["location"]["row_key"] == 7 and rows["main.accounts"]["key_columns"] == ["id"]
    assert rows["people.csv"]["location"]["row"] == 0 and rows["people.csv"]["matched"] == ["email"]
    assert {c["method"] for c in evidence["coverage"]} == {"sql-where", "aho-corasick"}
    values = {p["field"]: p["value"] for p in rows["main.accounts"]["data"]}
    assert values["ssn"] == "***4409" and values["card_number"] == "***1486" and values["passwd"] == "***"
    assert values["cvv"] == disclosure.CVV_MASK


def _answer_with_a_linked_record() -> Answer:
    direct = RecordMatch(
        "sqlite:///crm.db",
        "main.contacts",
        {"container": "main.contacts", "row_key": 1010},
        {"cust_no": "1010", "email": EMAIL},
        [Hit(0, "email", "email", EMAIL)],
        ["cust_no"],
    )
    linked = RecordMatch("sqlite:///crm.db", "main.payment_methods", {"container": "main.payment_methods", "row_key": 3},
                         {"customer_id": "1010", "card_number": CARD, "cvc2": CVV}, [], ["id"],
                         link="contacts.cust_no=1010 -> payment_methods.customer_id")  # fmt: skip
    return Answer(
        matches=[linked, direct], sources=[{"source": "sqlite:///crm.db", "status": "searched", "error": None}]
    )


def test_the_deletion_plan_lists_linked_records_apart():
    case = {"case": "DSAR-1", "received": "2026-12-01", "deadline": "2027-01-15", "kind": "delete"}
    ids = Identifiers()
    ids.add("email", EMAIL, "--email #1")
    plan = dsar_package.build(_answer_with_a_linked_record(), load_policy(), None, Inventory(), case, ids, True)
    assert [r["container"] for r in plan["plan"]] == ["main.contacts"]
    (linked,) = plan["linked"]
    assert linked["strength"] == "linked" and linked["link"] == "contacts.cust_no=1010 -> payment_methods.customer_id"
    assert linked["location"] == {"row_key": 3} and plan["summary"]["linked"] == 1
    for fmt in ("json", "md", "html"):
        text = render(plan, fmt)
        assert "contacts.cust_no=1010 -&gt; payment" in text if fmt == "html" else "cust_no=1010 -> payment" in text
        assert CARD not in text and CVV not in text
    answer = dsar_package.build(_answer_with_a_linked_record(), load_policy(), None, Inventory(), case, ids)
    text = render(answer, "md")
    assert "a payment card number ending 1486 is held" in text and "card security code is stored" in text
    assert CVV not in text and "payment_methods" not in text


def test_dev_null_is_refused_and_its_mode_kept(world):
    before = os.stat("/dev/null")
    for option in ("-o", "--evidence"):
        args = [*FIND, "-o", "a.json"] if option == "--evidence" else list(FIND)
        result = dsar(*args, option, "/dev/null")
        assert result.exit_code == 2 and "/dev/null: not a regular file" in result.stderr
        assert [x for x in result.stderr.splitlines() if "not a regular file" in x] == [
            "Error: /dev/null: not a regular file (a device, pipe or folder); give a file path or -"
        ]
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_uid, after.st_rdev) == (before.st_mode, before.st_uid, before.st_rdev)
    assert not list(world.glob(".null*"))


def test_a_fifo_or_a_folder_is_refused_without_hanging(world):
    os.mkfifo(world / "fifo")
    result = run_pdscan("dsar", *FIND, "-o", "fifo", timeout=120)
    assert result.returncode == 2 and "fifo: not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(world / "fifo").st_mode)
    (world / "folder").mkdir()
    result = dsar(*FIND, "-o", "folder")
    assert result.exit_code == 2 and "folder: not a regular file" in result.stderr


def test_dash_is_stdout(world):
    result = dsar(*FIND, "--format", "md", "-o", "-", "-q")
    assert result.exit_code == 1 and result.stdout.startswith("# Data subject request")
    _no_full_values(result.stdout)
    result = dsar(*FIND, "--stdout", "-q")
    assert json.loads(result.stdout)["package"] == "dsar-right-to-know"
    assert not list(world.glob("-*"))


def test_open_each_type_then_list(world):
    received = date.today() - timedelta(days=3)
    opened = {}
    for kind in ("know", "delete", "opt-out", "limit-cpni"):
        result = dsar("open", "--requester", f"TICKET-{kind}", "--type", kind, "--received", received.isoformat())
        assert result.exit_code == 0, result.stderr
        opened[kind] = result.stdout.strip()
        assert opened[kind].startswith(f"DSAR-{received:%Y%m%d}-")
    due = (received + timedelta(days=45)).isoformat()
    listed = {c["case"]: c for c in json.loads(dsar("list", "--format", "json").stdout)}
    for kind, case_id in opened.items():
        assert listed[case_id]["kind"] == kind and listed[case_id]["requester"] == f"TICKET-{kind}"
        assert listed[case_id]["due"] == due and listed[case_id]["status"] == "open"
    text = dsar("list").stdout
    for kind, case_id in opened.items():
        line = next(x for x in text.splitlines() if x.startswith(case_id))
        assert kind in line and f"TICKET-{kind}" in line and due in line
    assert dsar("extend", opened["opt-out"], "--reason", "waiting for the marketing vendor").exit_code == 0
    extended = {c["case"]: c for c in json.loads(dsar("list", "--format", "json").stdout)}[opened["opt-out"]]
    assert extended["deadline"] == (received + timedelta(days=90)).isoformat()
    assert dsar("open", "--requester", "T-1", "--type", "sell").exit_code == 2


def test_find_with_the_case_of_a_deletion_request_writes_a_plan(world):
    case_id = dsar("open", "--requester", "T-9", "--type", "delete").stdout.strip()
    result = dsar(*FIND, "--case", case_id, "-o", "plan.json")
    assert result.exit_code == 1, result.stderr
    plan = json.loads((world / "plan.json").read_text())
    assert plan["package"] == "dsar-deletion-plan" and plan["case"]["case"] == case_id and "linked" in plan
    _no_full_values((world / "plan.json").read_text())


def test_dry_run_opens_no_case_and_writes_no_audit(world):
    from pdscan.dsar.cases import CaseLog
    from pdscan.store import Store

    result = dsar(*FIND, "--dry-run", "-o", "a.json")
    assert result.exit_code == 1 and "--dry-run: no case opened" in result.stderr
    assert json.loads((world / "a.json").read_text())["pieces"]
    log = CaseLog(Store(os.environ["PDSCAN_STORE"]))
    assert log.list(include_closed=True) == [] and log.audit_trail() == []
    assert dsar(*FIND, "-o", "b.json").exit_code == 1
    assert len(log.list()) == 1 and [a["action"] for a in log.audit_trail()] == ["find"]


def test_a_store_made_before_requester_keeps_working(tmp_path):
    from pdscan.dsar.cases import CaseLog
    from pdscan.store import Store

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)  # the table as it was defined before issue 16
    conn.executescript(
        "CREATE TABLE dsar_cases (id VARCHAR(40) NOT NULL PRIMARY KEY, kind VARCHAR(10) NOT NULL,"
        " fingerprints TEXT NOT NULL, key_id VARCHAR(64) NOT NULL, received VARCHAR(10) NOT NULL,"
        " due VARCHAR(10) NOT NULL, status VARCHAR(10) NOT NULL, extended_to VARCHAR(10), extension_reason TEXT,"
        " closed VARCHAR(32), created VARCHAR(32) NOT NULL);"
        "INSERT INTO dsar_cases VALUES ('DSAR-20261101-aaaaaa', 'know', '{}', 'k', '2026-11-01', '2026-12-16',"
        " 'open', NULL, NULL, NULL, '2026-11-01T00:00:00');"
    )
    conn.commit()
    conn.close()
    path.chmod(0o600)  # sqlite3 made it under the umask: a store others may read is refused (issue 17)
    log = CaseLog(Store(str(path)))
    (old,) = log.list()
    assert old.id == "DSAR-20261101-aaaaaa" and old.requester is None
    new = log.open("limit-cpni", {}, "k", date(2026, 11, 2), 45, "TICKET-1")
    assert log.get(new.id).requester == "TICKET-1" and log.get(new.id).kind == "limit-cpni"
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(dsar_cases)")]
    assert "requester" in columns
    CaseLog(Store(str(path)))  # a second open does not add it again


@pytest.mark.parametrize(
    "field, value, kind",
    [
        ("ssn", "536-22-4409", "ssn"),
        ("customer_tax_id", "12-3456789", "ein"),  # the column hint says EIN
        ("cardNumber", "4539 5787 6362 1486", "card"),
        ("iban", "DE89370400440532013000", "iban"),
        ("routing_number", "021000021", "routing"),
        ("passport_no", "X1234567", "passport"),
        ("drivers_license", "D1234567", "drivers_license"),
        ("insurance_member_id", "W123456789", "health_id"),
        ("pwd", "letmein", "password"),
        ("security_answer", "Fluffy", "security_qa"),
        ("notes", "536-22-4409", "ssn"),  # no hint: the shape
        ("ref", "DE89 3704 0044 0532 0130 00", "iban"),
        ("card_type", "visa", None),
        ("card_expiry", "12/29", None),
        ("account_status", "active", None),
        ("email", "a@example.org", None),
        ("zip", "94105-1234", None),
    ],
)
def test_covered(field, value, kind):
    assert disclosure.covered(field, None, value) == kind


@pytest.mark.parametrize("field", ["cvv", "CVC2", "card_cvv", "security_code", "card_verification_value", "csc"])
def test_is_cvv(field):
    assert disclosure.is_cvv(field)


def test_not_cvv():
    assert not disclosure.is_cvv("card_number") and not disclosure.is_cvv("email")
