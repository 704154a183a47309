"""US_BANK_NUMBER: 8-17 digits that need a bank word nearby; never a card, a phone, a date or an amount."""

import pytest

from pdscan.detectors.recognizers import us_bank
from tests.detectors.conftest import found_values, gate_passes, hits_on

ENTITY = "US_BANK_NUMBER"


CASES = [
    # (value, context words, the account number found in it or None)
    ("Checking account 000123456789 closed", None, "000123456789"),
    ("acct: 40192837", None, "40192837"),
    ("Acct. 98765432100", None, "98765432100"),
    # glued to the context word spaCy keeps one token, and context matches whole words only
    ("Acct.98765432100", None, None),
    ("Account export job 20240905218977 finished", None, None),  # a job number, though "account" is near
    ("savings 4820193377", None, "4820193377"),
    ("direct deposit to 71234500981234567", None, "71234500981234567"),
    ("wire to bank 730019284615", None, "730019284615"),
    ("000123456789", ["account", "number"], "000123456789"),
    ("000123456789", ["acct"], "000123456789"),
    ("000123456789", ["bankaccount"], "000123456789"),
    # no context: too weak on its own
    ("000123456789", None, None),
    ("ref 4820193377 processed", None, None),
    ("000123456789", ["order", "id"], None),
    # too short or too long
    ("account 1234567", None, None),
    ("account 123456789012345678", None, None),
    # a valid card number, a +phone, a decimal amount, a date, a UUID group, junk
    ("Wire beneficiary Apple Bank account 5500000000000004 due", None, None),
    ("account holder phone +14155550143", None, None),
    ("account balance 12345678.90", None, None),
    ("account opened 20261101", None, None),
    ("account 550e8400-e29b-41d4-a716-446655440000", None, None),
    ("account 11111111", None, None),
    ("account 12345678", None, None),
    ("account 98765432", None, None),
    ("account ID12345678", None, None),
]


@pytest.mark.parametrize("value, context, found", CASES)
def test_bank_numbers(detector, value, context, found):
    hits = hits_on(detector, value, context, ENTITY, "BankAccountNumberRecognizer")
    assert [h.text for h in hits] == ([found] if found else [])
    if found:
        assert hits[0].score == pytest.approx(0.5)


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_account_number(value):
    assert gate_passes(value, us_bank.GATES)


@pytest.mark.parametrize(
    "value",
    ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "Trace 550e8400-e29b-41d4-a716-446655440000",
     "pi 3.14159265358", "+14155550143", "sku ABC12345678"],
)  # fmt: skip
def test_gates_skip_timestamps_uuids_decimals_and_phones(value):
    assert not gate_passes(value, us_bank.GATES)


def test_compact_dates():
    assert us_bank.is_compact_date("20261101") and us_bank.is_compact_date("19991231")
    assert not us_bank.is_compact_date("20261301") and not us_bank.is_compact_date("12345678")
