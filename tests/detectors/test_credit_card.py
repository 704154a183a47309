"""CREDIT_CARD: issuer prefix and length, Luhn, one kind of separator, junk rejected."""

import pytest

from pdscan.detectors.recognizers import credit_card
from tests.detectors.conftest import found_values, gate_passes, hits_on

ENTITY = "CREDIT_CARD"


CASES = [
    # (value, context words, the card found in it or None, its score)
    ("Card 4539 1488 0343 6467 was declined", None, "4539 1488 0343 6467", 1.0),
    ("4539 1488 0343 6467", None, "4539 1488 0343 6467", 0.9),
    ("4539-1488-0343-6467", None, "4539-1488-0343-6467", 0.9),
    ("4539148803436467", None, "4539148803436467", 0.6),
    ("4539148803436467", ["card", "number"], "4539148803436467", 0.95),
    ("paid with 5500000000000004 today", None, "5500000000000004", 0.6),
    ("mc 2223 0000 4840 0011", None, "2223 0000 4840 0011", 0.9),  # Mastercard 2-series
    ("2720999999999996", None, "2720999999999996", 0.6),
    ("ref 3782 822463 10005", None, "3782 822463 10005", 0.9),
    ("Card 3400-000000-00009 approved.", None, "3400-000000-00009", 1.0),
    ("ref 3056 930902 5904", None, "3056 930902 5904", 0.9),
    # outside the issuer table but Luhn-valid and called a card: 12-digit Maestro, a JCB-like 35xx
    ("What is the limit for card 501864667909?", None, "501864667909", 0.5),
    ("my credit card 3590730093437731 has been lost", None, "3590730093437731", 0.5),
    ("Sequence 3590730093437731 processed", None, None, None),
    ("card 501864667908", None, None, None),  # Luhn fails
    ("6011 0009 9013 9424", None, "6011 0009 9013 9424", 0.9),
    ("ref 3530111333300000", None, "3530111333300000", 0.6),
    ("ref 6200000000000005", None, "6200000000000005", 0.6),
    ("ref 4111 1111 1111 1111 003", None, "4111 1111 1111 1111 003", 0.9),
    ("mir 2200123456789019", None, "2200123456789019", 0.6),
    # Luhn failures
    ("Card 4539 1488 0343 6468 was declined", None, None, None),
    ("4716-8790-3412-6640", ["card"], None, None),
    # a prefix no issuer uses, or a length its issuer does not issue
    ("9111111111111110", ["card"], None, None),
    ("7111111111111114", ["card"], None, None),
    ("2721000000000004", ["card"], None, None),  # just past Mastercard's 2-series
    ("Number 411111111111111 is too short.", None, None, None),  # 15-digit Visa
    ("Number 41111111111111111 is too long.", None, None, None),
    ("Inventory code 1234567890123456 not card.", None, None, None),
    # junk that passes Luhn, and mixed separators
    ("card 4567 8901 2345 6783", None, None, None),
    ("card 4444 4444 4444 4448", None, None, None),
    ("card 4539 1488-0343 6467", None, None, None),
    # part of a longer token or number
    ("ref ID4539148803436467", None, None, None),
    ("45391488034364670000", ["card"], None, None),
    # not cards at all
    ("at 2026-11-01 12:00:01", None, None, None),
    ("Sequence 1234 5678 90 is not a card", None, None, None),
    ("Trace id 550e8400-e29b-41d4-a716-446655440000", None, None, None),
]


@pytest.mark.parametrize("value, context, found, score", CASES)
def test_card_numbers(detector, value, context, found, score):
    hits = hits_on(detector, value, context, ENTITY, "PaymentCardRecognizer", "CardNumberInContextRecognizer")
    assert [h.text for h in hits] == ([found] if found else [])
    if found:
        assert hits[0].score == pytest.approx(score)


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_card(value):
    assert gate_passes(value, credit_card.GATES)


@pytest.mark.parametrize(
    "value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "1.2.3", "+1 212 555 0143"]
)
def test_gates_skip_timestamps_versions_and_phones(value):
    assert not gate_passes(value, credit_card.GATES)


@pytest.mark.parametrize(
    "digits, expected",
    [
        ("4539148803436467", "visa"),
        ("2223000048400011", "mastercard"),
        ("378282246310005", "amex"),
        ("30569309025904", "diners"),
        ("180016070420458", "jcb"),
        ("411111111111111", None),
        ("9111111111111110", None),
    ],
)
def test_issuer_table(digits, expected):
    assert credit_card.issuer(digits) == expected


def test_junk_predicates():
    assert credit_card.is_sequential_digits("456789012345678")
    assert credit_card.is_sequential_digits("987654321098765")
    assert not credit_card.is_sequential_digits("453914880343646")
    assert credit_card.is_repeated_digit("444444444444444")
    assert not credit_card.is_repeated_digit("411111111111111")
