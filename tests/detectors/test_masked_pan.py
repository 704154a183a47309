"""MASKED_PAN: card numbers shown masked or truncated (last four, or first six and last four)."""

import pytest

from pdscan.core.masking import mask, normalize
from pdscan.detectors.recognizers import masked_pan
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "MASKED_PAN"

CASES = [
    # (value, context words, [(masked number found, score), ...])
    ("paid with **** **** **** 4242", None, [("**** **** **** 4242", 0.7)]),
    ("Visa XXXX-XXXX-XXXX-1881 charged", None, [("XXXX-XXXX-XXXX-1881", 1.0)]),
    ("xxxx xxxx xxxx 0005", None, [("xxxx xxxx xxxx 0005", 0.7)]),
    ("Amex XXXX-XXXXXX-X1005", None, [("XXXX-XXXXXX-X1005", 1.0)]),
    ("card ending ************5100", None, [("************5100", 0.8)]),
    ("Mastercard 545454******5454 declined", None, [("545454******5454", 0.8)]),
    ("************5100", ["card", "number"], [("************5100", 0.8)]),
    # a run of masks or a truncated number alone is too weak
    ("ref ************5100", None, []),
    ("545454******5454", None, []),
    # not a card: too short, mixed masks, a masked phone or SSN, part of a longer token
    ("order XXXX-XXXX and part 12**34", None, []),
    ("card **** 4242", None, []),
    ("card **** XXXX **** 4242", None, []),
    ("SSN ***-**-6789", None, []),
    ("phone (***) ***-1234", None, []),
    ("card ABCD**** **** **** 4242", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_masked_card_numbers(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "MaskedCardRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_masked_card(value):
    assert gate_passes(value, masked_pan.GATES)


def test_samples_keep_the_last_four_only_and_spellings_share_a_fingerprint():
    assert mask(ENTITY, "545454******5454") == "************5454"
    assert mask(ENTITY, "XXXX-XXXX-XXXX-1881") == "XXXX-XXXX-XXXX-1881"
    assert normalize(ENTITY, "XXXX-XXXX-XXXX-1881") == normalize(ENTITY, "**** **** **** 1881") == "*" * 12 + "1881"
