"""US_EIN: NN-NNNNNNN with an IRS prefix (stdnum), bare digits only with context, never an SSN's shape."""

import pytest

from pdscan.detectors.recognizers import us_ein
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "US_EIN"


CASES = [
    # (value, context words, [(EIN found, score), ...])
    ("EIN: 12-3456789", None, [("12-3456789", 0.85)]),
    ("12-3456789", None, [("12-3456789", 0.5)]),
    ("91-1144442", ["ein"], [("91-1144442", 0.85)]),
    ("Employer Identification Number 04-2103594", None, [("04-2103594", 0.85)]),
    # bare nine digits: only with context, from the text or the column name
    ("911144442", None, []),
    ("911144442", ["ein"], [("911144442", 0.5)]),
    ("911144442", ["fein"], [("911144442", 0.5)]),
    ("911144442", ["federal", "tax", "id"], [("911144442", 0.5)]),
    ("FEIN 911144442", None, [("911144442", 0.5)]),
    ("Tax ID: 911144442", None, [("911144442", 0.5)]),
    ("IRS number 911144442", None, [("911144442", 0.5)]),
    ("911144442", ["order", "id"], []),
    ("PO 45-5164379 was approved by procurement", None, []),  # an identifier label before it
    # prefixes the IRS does not assign
    ("EIN 07-1144442", None, []),
    ("EIN 00-1234567", None, []),
    ("EIN 89-1234567", None, []),
    ("EIN 96-1234567", None, []),
    ("ein 071144442", None, []),
    # placeholders and other shapes: an SSN, a phone, too long or short, part of a code
    ("EIN 11-1111111", None, []),
    ("EIN 123-45-6789", None, []),
    ("EIN 911-14-4442", None, []),
    ("EIN 555-1234567", None, []),
    ("EIN 12-34567890", None, []),
    ("EIN 12-345678", None, []),
    ("EIN 12-3456789-01", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_eins(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "UsEinRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_ein(value):
    assert gate_passes(value, us_ein.GATES)


@pytest.mark.parametrize("value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "SSN 536-90-4399"])
def test_gates_skip_timestamps_and_ssns(value):
    assert not gate_passes(value, us_ein.GATES)
