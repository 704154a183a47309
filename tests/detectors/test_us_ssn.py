"""US_SSN: stdnum's area/group/serial rules, one separator throughout, bare digits only with context."""

import pytest

from pdscan.detectors.recognizers import us_ssn
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "US_SSN"


CASES = [
    # (value, context words, [(SSN found, score), ...])
    ("SSN on file: 536-90-4399", None, [("536-90-4399", 0.85)]),
    ("536-90-4399", None, [("536-90-4399", 0.5)]),
    ("536-90-4399", ["ssn"], [("536-90-4399", 0.85)]),
    ("Employee SSN is 123-45-6789 on file.", None, [("123-45-6789", 0.85)]),  # stdnum accepts it
    ("Values 123-45-6789 and 111-22-3333", None, [("123-45-6789", 0.5), ("111-22-3333", 0.5)]),
    # spaCy keeps `Wong","ssn":"222` as one token, and Presidio drops tokens with a ':' from the context
    ('{"user":{"name":"Amy Wong","ssn":"222-33-4444"}}', None, [("222-33-4444", 0.5)]),
    # spaced or dotted: weaker, context makes them
    ("Suspicious token 123 45 6789 appears.", None, []),
    ("social security number 536 90 4399", None, [("536 90 4399", 0.65)]),
    ("536.90.4399", ["ssn"], [("536.90.4399", 0.65)]),
    ("536-90 4399", ["ssn"], []),  # mixed separators
    # bare nine digits: only with context, from the text or the column name
    ("Legacy value 536904399 appears here.", None, []),
    ("ssn 536904399", None, [("536904399", 0.5)]),
    ("536904399", ["ssn", "number"], [("536904399", 0.5)]),
    ("536904399", ["social", "security"], [("536904399", 0.5)]),
    ("536904399", ["order", "id"], []),
    # invalid area, group or serial, stdnum's published samples, placeholders
    ("Invalid SSN 000-12-3456 should be ignored.", None, []),
    ("Invalid SSN 666-12-9999 should be ignored.", None, []),
    ("SSN 912-70-1234", None, []),  # 9xx areas are ITINs
    ("SSN 536-00-4399", None, []),
    ("SSN 536-90-0000", None, []),
    ("SSN 078-05-1120", None, []),
    ("SSN 111-11-1111", None, []),
    ("ssn 000000000", None, []),
    # wrong lengths and other shapes
    ("Bad SSN 123-45-678", None, []),
    ("Bad SSN 123-45-67890", None, []),
    ("ssn 5369043990", None, []),
    ("ZIP 94105-1234", ["ssn"], []),
    ("Main line 555-123-4567 is active.", None, []),
    ("The book ISBN is 978-3-16-148410-0", None, []),
    ("Trace id 550e8400-e29b-41d4-a716-446655440000", ["ssn"], []),
    ("Part number: 555-12-3456-A", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_ssns(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "SocialSecurityNumberRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_ssn(value):
    assert gate_passes(value, us_ssn.GATES)


@pytest.mark.parametrize("value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "call (212) 555-0143"])
def test_gates_skip_timestamps_versions_and_phones(value):
    assert not gate_passes(value, us_ssn.GATES)
