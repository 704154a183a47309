"""US_ITIN: stdnum validity rules (9xx-7x/8x/9x); bare 9 digits need context."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

SPEC = EntitySpec(
    name="US_ITIN",
    category="ssn_ein",
    description="stdnum validity rules (9xx-7x/8x/9x); bare 9 digits need context",
    masker=masking.mask_last4,
    normalizer=digits,
    ambiguous_number=True,
    recognizers=("pdscan.detectors.recognizers.us_itin:IndividualTaxpayerIdRecognizer",),
    gates=("pdscan.detectors.recognizers.us_itin:GATES",),
    replaces=("UsItinRecognizer",),
    column_hints=("itin",),
    numeric=True,
    absent={
        "test_values": "the IRS publishes no test ITINs",
    },
)
