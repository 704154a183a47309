"""ABA_ROUTING_NUMBER: Federal Reserve prefix and stdnum's RTN check digit; context always needed."""

import pytest

from pdscan.detectors.recognizers import aba_routing
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "ABA_ROUTING_NUMBER"


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
    assert scored(hits_on(detector, value, context, ENTITY, "AbaRoutingNumberRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_routing_number(value):
    assert gate_passes(value, aba_routing.GATES)


@pytest.mark.parametrize("value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "id 421000021"])
def test_gates_skip_timestamps_and_unassigned_prefixes(value):
    assert not gate_passes(value, aba_routing.GATES)
