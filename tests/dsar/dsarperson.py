"""A planted person and near-miss distractors, spread over every kind of source the DSAR tests use.

Each store holds records of the person (TRUE_*) and records of others that differ by one digit,
two swapped digits, one letter or a longer surname. The tests check that every true record is
found and no distractor is.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from stdnum import luhn

NAME = "Marisol Okafor"
EMAIL = "Marisol.Okafor@Example.net"
PHONE = "+1 (415) 555-0187"
SSN = "536-22-4187"
ACCOUNT = "0071234598"
_CARD_HEAD = "455673012894"
CARD_BODY = _CARD_HEAD + "221"
CARD = CARD_BODY + luhn.calc_check_digit(CARD_BODY)  # Luhn-valid, 16 digits
LAST4 = CARD[-4:]
BAD_CARD = CARD[:-5] + str((int(CARD[-5]) + 1) % 10) + LAST4  # same last four, not Luhn-valid

# near misses: none of these may ever be returned
OTHER_EMAIL = "marisol.okafer@example.net"  # one letter
OTHER_PHONE = "415-555-0188"  # one digit
OTHER_SSN = "536-22-4178"  # two digits swapped
OTHER_NAME = "Marisol Okafora"  # same first name, similar surname
OTHER_NAME2 = "Marisol Okafo"

IDENTIFIER_ARGS = ["--name", NAME, "--email", EMAIL, "--phone", PHONE, "--ssn", SSN, "--account", ACCOUNT]
# what must never reach stdout, stderr, a log or the store: every spelling of the identifiers
SECRETS = [NAME, NAME.lower(), "okafor", "Okafor", EMAIL, EMAIL.lower(), "4155550187", "415-555-0187", "536-22-4187",
           "536224187", ACCOUNT, "1234598"]  # fmt: skip


def make_files(root: Path) -> dict[str, set]:
    """CSV, NDJSON and a log; returns container -> expected locators (row or line)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "customers.csv").write_text(
        "id,name,email,phone,ssn,note\n"
        f"1,{NAME},{EMAIL.upper()},(415) 555 0187,{SSN.replace('-', '')},gold\n"  # row 0: true
        f"2,{OTHER_NAME},{OTHER_EMAIL},{OTHER_PHONE},{OTHER_SSN},\n"  # row 1: distractor
        f"3,Ann Lee,ann.lee@example.org,212-555-0100,{OTHER_SSN},card {BAD_CARD}\n"  # row 2: distractor
        f"4,{OTHER_NAME2},x{EMAIL.lower()},1{OTHER_PHONE},5362241870,\n"  # row 3: distractor
    )
    events = [
        {"user": {"email": EMAIL.lower(), "ip": "203.0.113.9"}, "action": "login"},  # line 1: true
        {"user": {"email": OTHER_EMAIL, "ip": "203.0.113.10"}, "action": "login"},
        {"user": {"phone": "+14155550187"}, "action": "call", "billing": {"acct": ACCOUNT}},  # line 3: true
        {"user": {"phone": "+44 415 555 0187"}, "action": "call"},  # another country
        {"user": {"phone": "+1 415 555 01870"}, "action": "call"},
    ]
    (root / "events.ndjson").write_text("".join(json.dumps(e) + "\n" for e in events))
    (root / "support.log").write_text(
        "2026-03-01 ticket 11 opened by Marisol  OKAFOR about billing\n"  # line 1: true, weak (name only)
        f"2026-03-02 ticket 12 opened by {OTHER_NAME} about billing\n"
        f"2026-03-03 verified caller ssn {SSN} and card ending {LAST4} (card {CARD})\n"  # line 3: true, strong
        f"2026-03-04 verified caller ssn {OTHER_SSN}, call back {OTHER_PHONE}\n"
    )
    return {
        str(root / "customers.csv"): {("row", 0)},
        str(root / "events.ndjson"): {("line", 1), ("line", 3)},
        str(root / "support.log"): {("line", 1), ("line", 3)},
    }


def make_sqlite(path: Path) -> dict[str, set]:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone INTEGER,"
        " ssn TEXT);"
        "CREATE TABLE tickets (body TEXT, opened TEXT);"
    )
    conn.executemany(
        "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
        [
            (10, "Marisol", "Okafor", EMAIL, 4155550187, SSN),  # true
            (11, "Marisol", "Okafora", OTHER_EMAIL, 4155550188, OTHER_SSN),
            (12, "Maria", "Okafor", "maria@example.org", 2125550100, "078-05-1120"),
        ],
    )
    conn.executemany(
        "INSERT INTO tickets VALUES (?, ?)",
        [
            ("call back on 415.555.0187 re invoice", "2026-01-01"),  # rowid 1: true
            (f"call back on {OTHER_PHONE} re invoice", "2026-01-02"),
            (f"wrong person: {OTHER_NAME2}, ssn {OTHER_SSN}", "2026-01-03"),
        ],
    )
    conn.commit()
    conn.close()
    return {"main.customers": {("row_key", 10)}, "main.tickets": {("row_key", 1)}}


def found(package: dict) -> dict[str, set]:
    """container -> locators of the records in a package (or plan)."""
    out: dict[str, set] = {}
    for r in package.get("records", package.get("plan", [])):
        loc = r["location"]
        key = (
            ("row_key", loc["row_key"])
            if "row_key" in loc
            else ("line", loc["line"])
            if "line" in loc
            else ("row", loc["row"])
        )
        out.setdefault(r["container"], set()).add(key)
    return out
