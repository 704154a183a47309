"""POSTAL_CODE in prose: only where words call it a ZIP or postcode."""

import pyarrow as pa
import pytest

from pdscan.detectors import prefilter
from pdscan.detectors.pipeline import Detector
from pdscan.detectors.recognizers import postal_code

ENTITY = "POSTAL_CODE"


@pytest.fixture(scope="module")
def detector():
    return Detector(entities=[ENTITY])


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
    ("ZIP 12345-123 is invalid.", []),
    ("zip 94105 is valid", ["94105"]),
]


@pytest.mark.parametrize("value, expected", CASES)
def test_postal_codes(detector, value, expected):
    assert [h.text for h in detector.detect(pa.array([value]))] == expected


@pytest.mark.parametrize("value", sorted(v for v, expected in CASES if expected))
def test_gate_passes_every_code(value):
    masks = prefilter.candidates(pa.array([value]), list(postal_code.GATES))
    assert any(m[0] for m in masks.values())
