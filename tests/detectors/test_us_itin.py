"""US_ITIN: 9xx areas with the IRS's group ranges (stdnum's plus 50-65), bare digits only with context."""

import pytest

from pdscan.detectors.recognizers import us_itin
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "US_ITIN"


CASES = [
    # (value, context words, [(ITIN found, score), ...])
    ("ITIN 912-70-1234 on the W-7", None, [("912-70-1234", 0.85)]),
    ("912-70-1234", None, [("912-70-1234", 0.5)]),
    ("912-99-1234", None, [("912-99-1234", 0.5)]),
    ("912-55-1234", None, [("912-55-1234", 0.5)]),  # issued since 2011, unknown to stdnum 2.2
    ("912-55-1234", ["itin"], [("912-55-1234", 0.85)]),
    ("912 70 1234", None, []),
    ("912 70 1234", ["itin"], [("912 70 1234", 0.65)]),
    ("912701234", None, []),
    ("912701234", ["itin"], [("912701234", 0.55)]),
    ("individual taxpayer number 912701234", None, [("912701234", 0.55)]),
    # groups the IRS never issues, areas that are not 9xx
    ("ITIN 912-66-1234", None, []),
    ("ITIN 912-89-1234", None, []),
    ("ITIN 912-93-1234", None, []),
    ("ITIN 912-49-1234", None, []),
    ("ITIN 812-70-1234", None, []),
    # the advertising block and placeholders
    ("Backup SSN 987-65-4321 recorded.", None, []),
    ("ITIN 999-99-9999", None, []),
    # other shapes
    ("ITIN 912-70-12345", None, []),
    ("ITIN 9127-01234", None, []),
    ("912-70-1234-A", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_itins(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "IndividualTaxpayerIdRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_itin(value):
    assert gate_passes(value, us_itin.GATES)


@pytest.mark.parametrize("value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "SSN 536-90-4399", "912-66-1234"])
def test_gates_skip_other_numbers(value):
    assert not gate_passes(value, us_itin.GATES)
