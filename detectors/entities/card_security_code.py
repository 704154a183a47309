"""CARD_SECURITY_CODE: column name (cvv, cvc) + 3-4 digits."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="CARD_SECURITY_CODE",
    category="pfi",
    description="column name (cvv, cvc) + 3-4 digits",
    masker=masking.mask_generic,
    normalizer=masking.normalize_text,
    withheld=True,
    column_hints=("cvv", "cvv2", "cvc", "cvc2", "cardsecuritycode", "securitycode"),
    column_shape=(r"^\d{3,4}$", 0.7),
    absent={
        "recognizers": "3-4 digits are anything in text: only a column named for them says what they are",
        "gates": "no recognizer: the column name and shape classify its cells",
    },
)
