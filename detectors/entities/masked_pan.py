"""MASKED_PAN: a card number shown masked or truncated (`**** **** **** 1234`); the sample keeps the last four only."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="MASKED_PAN",
    category="pfi",
    description="a card number shown masked or truncated (`**** **** **** 1234`); the sample keeps the last four only",
    masker=masking.mask_last4,
    normalizer=masking.normalize_masked_pan,
    recognizers=("pdscan.detectors.recognizers.masked_pan:MaskedCardRecognizer",),
    gates=("pdscan.detectors.recognizers.masked_pan:GATES",),
    absent={
        "column_hints": "a card column is CREDIT_CARD by its name; a masked number is told by its mask characters",
    },
)
