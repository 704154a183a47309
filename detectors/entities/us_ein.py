"""US_EIN: 9 digits with a valid IRS prefix; bare numbers need context."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

SPEC = EntitySpec(
    name="US_EIN",
    category="ssn_ein",
    description="9 digits with a valid IRS prefix; bare numbers need context",
    masker=masking.mask_last4,
    normalizer=digits,
    ambiguous_number=True,
    recognizers=("pdscan.detectors.recognizers.us_ein:UsEinRecognizer",),
    gates=("pdscan.detectors.recognizers.us_ein:GATES",),
    column_hints=("ein", "fein", "taxid", "tin", "employerid", "taxpayerid", "federaltaxid"),
    numeric=True,
    absent={
        "test_values": "the IRS publishes no test EINs",
    },
)
