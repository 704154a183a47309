"""MASKED_PAN: a card number written masked or truncated, as receipts, invoices and support tools show it.

`**** **** **** 1234`, `XXXX-XXXX-XXXX-1234`, `************1234` (the last four digits only) and
`411111******1111` (the issuer's first six and the last four, PCI DSS's widest display). It is card
information the policy's PFI covers, but not a PAN: the PFI report counts it apart from full card
numbers. The mask characters are `*`, `X`, `x` and `•`; one kind throughout a number.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer

ENTITY = "MASKED_PAN"
_M = r"[*Xx•]"
_NOT_AFTER = r"(?<![\w*•#-])"  # not the tail of a longer token or mask
_NOT_BEFORE = r"(?![\w*•])"


def _one_mask_kind(text: str) -> bool:
    masks = {c for c in text if c in "*Xx•"}
    return len(masks) == 1


class MaskedCardRecognizer(ChecksumPatternRecognizer):
    """Grouped masks (3 groups of 4, then 4 digits) stand alone; a run of masks, or six digits, masks and
    four digits, is likelier a card with "card", "visa" ... nearby."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern(
            "Masked card (groups of 4)",
            _NOT_AFTER + rf"{_M}{{4}}([ -]){_M}{{4}}\1{_M}{{4}}\1\d{{4}}" + _NOT_BEFORE,
            0.7,
        ),
        Pattern("Masked card (Amex 4-6-5)", _NOT_AFTER + rf"{_M}{{4}}([ -]){_M}{{6}}\1{_M}\d{{4}}" + _NOT_BEFORE, 0.7),
        Pattern("Masked card (run)", _NOT_AFTER + rf"{_M}{{8,15}}\d{{4}}" + _NOT_BEFORE, 0.45),
        Pattern(
            "Truncated card (first 6, last 4)", _NOT_AFTER + rf"[2-6]\d{{5}}{_M}{{3,9}}\d{{4}}" + _NOT_BEFORE, 0.45
        ),
    ]
    CONTEXT = ["card", "credit", "debit", "cc", "visa", "mastercard", "amex", "discover", "ending", "last4", "pan"]

    def validate_result(self, pattern_text: str) -> bool:
        return _one_mask_kind(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        body = "".join(c for c in pattern_text if c.isalnum() or c in "*•")
        return not 12 <= len(body) <= 19


RECOGNIZERS = [MaskedCardRecognizer]
GATES = (
    Gate(
        "masked_pan.masks",
        r"(?:[*Xx•]{4}[ -]?){2,3}\d{4}|[*Xx•]{4}[ -][*Xx•]{6}[ -][*Xx•]\d{4}|[*Xx•]{8,15}\d{4}|"
        r"\b[2-6]\d{5}[*Xx•]{3,9}\d{4}",
        frozenset({ENTITY}),
        needs="d4 n12",
    ),
)
