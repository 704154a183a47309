"""CREDIT_CARD: issuer prefixes and lengths + Luhn (python-stdnum)."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

# Payment processors' published test cards (digits only): reported as test data, not as customer PFI.
TEST_VALUES = (
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "4000056655665556",
    "4222222222222",
    "4000000000000002",
    "4000000000000077",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "5425233430109903",
    "2223003122003222",
    "2222400070000005",
    "5500000000000004",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "340000000000009",
    "6011111111111117",
    "6011000990139424",
    "3056930009020004",
    "36227206271667",
    "3566002020360505",
    "3530111333300000",
    "6200000000000005",
)

SPEC = EntitySpec(
    name="CREDIT_CARD",
    category="pfi",
    description="issuer prefixes and lengths + Luhn (python-stdnum)",
    masker=masking.mask_card,
    normalizer=digits,
    in_id_columns=False,
    recognizers=(
        "pdscan.detectors.recognizers.credit_card:PaymentCardRecognizer",
        "pdscan.detectors.recognizers.credit_card:CardNumberInContextRecognizer",
    ),
    gates=("pdscan.detectors.recognizers.credit_card:GATES",),
    replaces=("CreditCardRecognizer",),
    column_hints=("cc", "ccnum", "ccnumber", "cardnumber", "cardno", "card", "creditcard", "creditcardnumber", "pan"),
    numeric=True,
    test_values=TEST_VALUES,
    dsar_kind="card_last4",
)
