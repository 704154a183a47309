"""ABA_ROUTING_NUMBER: Federal Reserve prefix and stdnum's RTN check digit; context always needed."""

import pyarrow as pa
import pytest

from pdscan.detectors import prefilter
from pdscan.detectors.pipeline import Detector
from pdscan.detectors.recognizers import aba_routing

ENTITY = "ABA_ROUTING_NUMBER"


@pytest.fixture(scope="module")
def detector():
    return Detector(entities=[ENTITY])


CASES = [
    # (value, context words, [(routing number found, score), ...])
    ("routing 021000021", None, [("021000021", 0.5)]),
    ("ABA 0210-0002-1", None, [("0210-0002-1", 0.75)]),
    ("wire to 026009593", None, [("026009593", 0.5)]),
    ("ACH transit 011000015", None, [("011000015", 0.5)]),
    ("021000021", ["routing", "number"], [("021000021", 0.5)]),
    ("021000021", ["aba"], [("021000021", 0.5)]),
    ("021000021", ["rtn"], [("021000021", 0.5)]),
    ("071000013", ["routing"], [("071000013", 0.5)]),  # prefix 07
    ("111000025", ["routing"], [("111000025", 0.5)]),
    # no context: a bank's number alone is not enough
    ("021000021", None, []),
    ("0210-0002-1", None, []),
    ("021000021", ["order", "id"], []),
    # check digit, prefix, placeholder, shape
    ("routing 021000022", None, []),
    ("routing 131000021", None, []),  # prefix 13 is not assigned
    ("routing 501000017", None, []),  # nor 50
    ("routing 000000000", None, []),
    ("routing 0210000210", None, []),
    ("routing 02100-0021", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_routing_numbers(detector, value, context, expected):
    hits = detector.detect(pa.array([value]), context=context)
    assert [(h.text, round(h.score, 2)) for h in hits] == expected
    assert all(h.entity == ENTITY and h.detector == "AbaRoutingNumberRecognizer" for h in hits)


@pytest.mark.parametrize("value", sorted({v for v, _, expected in CASES if expected}))
def test_gates_pass_every_routing_number(value):
    masks = prefilter.candidates(pa.array([value]), list(aba_routing.GATES))
    assert any(mask[0] for mask in masks.values())


@pytest.mark.parametrize("value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "id 421000021"])
def test_gates_skip_timestamps_and_unassigned_prefixes(value):
    masks = prefilter.candidates(pa.array([value]), list(aba_routing.GATES))
    assert not any(mask[0] for mask in masks.values())
