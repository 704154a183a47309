"""POSTAL_CODE in prose: only where words call it a ZIP or postcode."""

import pyarrow as pa
import pytest

from pdscan.detectors.recognizers import postal_code
from tests.detectors.conftest import found_values, gate_passes

ENTITY = "POSTAL_CODE"


CASES = [
    # (value, [code found, ...])
    ("Ship to ZIP 94105 today.", ["94105"]),
    ("ZIP 94105-1234 on file", ["94105-1234"]),
    ("My zip code is 00501", ["00501"]),
    ("Postcode: SW1A 1AA", ["SW1A 1AA"]),
    ("postal code K1A 0B1", ["K1A 0B1"]),
    ("ZIP: 394 13", ["394 13"]),
    ("ZIP: 7412 SL", ["7412 SL"]),
    # near misses: no context word, a broken ZIP+4, lower-case words after a number
    ("Ship 94105 units today.", []),
    ("ZIP 12345-12345 is invalid.", []),
    ("ZIP 12345-12 is invalid.", []),
    ("ZIP: 75534-030", ["75534-030"]),  # Brazil's CEP
    ("zip 94105 is valid", ["94105"]),
]


@pytest.mark.parametrize("value, expected", CASES)
def test_postal_codes(detector, value, expected):
    assert [h.text for h in detector.detect(pa.array([value]))] == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gate_passes_every_code(value):
    assert gate_passes(value, postal_code.GATES)
