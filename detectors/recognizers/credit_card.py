"""CREDIT_CARD: 13-19 digits, bare or grouped, with a known issuer prefix and length and a valid Luhn digit.

Replaces Presidio's CreditCardRecognizer, whose pattern misses Mastercard's 2221-2720 series and
19-digit cards, and which accepts any Luhn-valid number whatever its issuer and length.
The issuer table and the junk predicates live in `_base`, shared with the bank-account recognizer.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum import luhn

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ISSUERS as ISSUERS  # re-exported, as before
from pdscan.detectors.recognizers._base import (
    ChecksumPatternRecognizer,
    digits,
    is_card_number,
    is_repeated_digit,
    is_sequential_digits,
)
from pdscan.detectors.recognizers._base import issuer as issuer  # re-exported, as before

ENTITY = "CREDIT_CARD"

# Junk checked on the digits before the check digit, which a made-up number fits to pass Luhn.
JUNK = (is_repeated_digit, is_sequential_digits)


class PaymentCardRecognizer(ChecksumPatternRecognizer):
    """Card numbers: grouped by spaces or dashes (one kind throughout) or bare; issuer + Luhn checked.

    The pattern's score is kept after validation: a bare number is less sure.
    """

    ENTITIES = [ENTITY]
    PATTERNS = [
        # 4-4-4-4, 4-4-4-4-1..3 (17-19 digits) or 4-4-4-1..3 (13-15 digits)
        Pattern("Card (groups of 4)", r"\b\d{4}([ -])\d{4}\1\d{4}\1(?:\d{4}\1\d{1,3}|\d{1,4})\b", 0.9),
        # Amex 4-6-5 and Diners 4-6-4
        Pattern("Card (4-6-5 or 4-6-4)", r"\b\d{4}([ -])\d{6}\1\d{4,5}\b", 0.9),
        Pattern("Card (bare)", r"\b\d{13,19}\b", 0.6),
    ]
    CONTEXT = ["credit", "card", "cc", "visa", "mastercard", "amex", "discover", "jcb", "diners", "maestro", "unionpay"]

    def validate_result(self, pattern_text: str) -> bool:
        return is_card_number(digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        body = digits(pattern_text)[:-1]
        return any(junk(body) for junk in JUNK)


class CardNumberInContextRecognizer(ChecksumPatternRecognizer):
    """Any Luhn-valid 12-19 digit number that words call a card ("my card 3598899323053410").

    Issuer tables lag behind (12-digit Maestro, new IIN ranges): with "card", "cc" or "credit"
    nearby a Luhn-valid number from a banking industry digit (3-6) is reported whatever its
    exact prefix. Without context it stays at 0.1.
    """

    ENTITIES = [ENTITY]
    PATTERNS = [Pattern("Card (Luhn, any issuer)", r"\b[3-6]\d{11,18}\b", 0.1)]
    CONTEXT = PaymentCardRecognizer.CONTEXT

    def validate_result(self, pattern_text: str) -> bool:
        return luhn.is_valid(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(pattern_text[1:-1]) for junk in JUNK)


RECOGNIZERS = [PaymentCardRecognizer, CardNumberInContextRecognizer]
REPLACES = ["CreditCardRecognizer"]
# Not the tail of a longer token: "blk_-6400421658804613208", "v2/4111111111111111", "12.4111111111111111"
# are dropped by the is_glued_to_token filter whatever the recognizer says.
_NOT_GLUED = r"(?:^|[^\w\-./:]|[^\w][\-/]|[^\d][.:])"
GATES = (
    # The recognizer's layouts (4-4-4-4[-1..3], 4-4-4-1..4, 4-6-4/5, 13-19 bare digits) from an issuer's
    # first digit; separators may differ here. Timestamps and ids written with other groups never match.
    Gate(
        "credit_card.digits",
        rf"{_NOT_GLUED}[1-68](?:\d{{3}}(?:[ -]\d{{4}}){{2}}[ -]\d{{1,4}}(?:[ -]\d{{1,3}})?|\d{{3}}[ -]\d{{6}}[ -]\d{{4,5}}|\d{{12,18}})\b",
        frozenset({ENTITY}),
        needs="d13",
    ),
    Gate(
        "credit_card.context", r"(?i)\b(?:card|cc|credit)\b[^\d\n]{0,30}\d{12,19}\b", frozenset({ENTITY}), needs="A d12"
    ),
)
