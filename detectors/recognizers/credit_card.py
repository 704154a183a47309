"""CREDIT_CARD: 13-19 digits, bare or grouped, with a known issuer prefix and length and a valid Luhn digit.

Replaces Presidio's CreditCardRecognizer, whose pattern misses Mastercard's 2221-2720 series and
19-digit cards, and which accepts any Luhn-valid number whatever its issuer and length.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from stdnum import luhn

from pdscan.detectors.prefilter import Gate

ENTITY = "CREDIT_CARD"

# Issuer identification ranges: (network, first digits from, to, card lengths). The bounds of a range
# have the same number of digits and compare as strings.
_LONG = tuple(range(16, 20))
ISSUERS: tuple[tuple[str, str, str, tuple[int, ...]], ...] = (
    ("visa", "4", "4", (13, 16, 19)),
    ("mastercard", "51", "55", (16,)),
    ("mastercard", "2221", "2720", (16,)),
    ("amex", "34", "34", (15,)),
    ("amex", "37", "37", (15,)),
    ("diners", "300", "305", tuple(range(14, 20))),
    ("diners", "309", "309", tuple(range(14, 20))),
    ("diners", "36", "36", tuple(range(14, 20))),
    ("diners", "38", "39", tuple(range(14, 20))),
    ("discover", "6011", "6011", _LONG),
    ("discover", "644", "649", _LONG),
    ("discover", "65", "65", _LONG),
    ("unionpay", "62", "62", _LONG),
    ("unionpay", "81", "81", _LONG),
    ("jcb", "3528", "3589", _LONG),
    ("jcb", "1800", "1800", (15,)),
    ("jcb", "2131", "2131", (15,)),
    ("uatp", "1", "1", (15,)),
    ("mir", "2200", "2204", _LONG),
    ("maestro", "50", "50", tuple(range(13, 20))),
    ("maestro", "56", "69", tuple(range(13, 20))),
)


def issuer(digits: str) -> str | None:
    """The card network whose prefix and length `digits` has, if any."""
    for name, low, high, lengths in ISSUERS:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return name
    return None


def is_card_number(digits: str) -> bool:
    """A known issuer's prefix and length, and a valid Luhn check digit."""
    return issuer(digits) is not None and luhn.is_valid(digits)


def is_repeated_digit(digits: str) -> bool:
    """One digit over and over (`4444 4444 4444 444x`): a placeholder, not an account."""
    return len(set(digits)) == 1


def is_sequential_digits(digits: str) -> bool:
    """Counting up or down (`1234567890123...`), wrapping from 9 to 0."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    return steps in ({1}, {9})


# Junk checked on the digits before the check digit, which a made-up number fits to pass Luhn.
JUNK = (is_repeated_digit, is_sequential_digits)


class PaymentCardRecognizer(PatternRecognizer):
    """Card numbers: grouped by spaces or dashes (one kind throughout) or bare; issuer + Luhn checked."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        # 4-4-4-4, 4-4-4-4-1..3 (17-19 digits) or 4-4-4-1..3 (13-15 digits)
        Pattern("Card (groups of 4)", r"\b\d{4}([ -])\d{4}\1\d{4}\1(?:\d{4}\1\d{1,3}|\d{1,4})\b", 0.9),
        # Amex 4-6-5 and Diners 4-6-4
        Pattern("Card (4-6-5 or 4-6-4)", r"\b\d{4}([ -])\d{6}\1\d{4,5}\b", 0.9),
        Pattern("Card (bare)", r"\b\d{13,19}\b", 0.6),
    ]
    CONTEXT = ["credit", "card", "cc", "visa", "mastercard", "amex", "discover", "jcb", "diners", "maestro", "unionpay"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITY, name=type(self).__name__, patterns=self.PATTERNS, context=self.CONTEXT
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        """Presidio lifts every validated match to 1.0; keep the pattern's score (a bare number is less sure)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            result.score = result.analysis_explanation.original_score
        return results

    def validate_result(self, pattern_text: str) -> bool:
        return is_card_number(_digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        body = _digits(pattern_text)[:-1]
        return any(junk(body) for junk in JUNK)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


RECOGNIZERS = [PaymentCardRecognizer]
REPLACES = ["CreditCardRecognizer"]
GATES = (
    # 13-19 digits from an issuer's first digit, single spaces or dashes allowed between them.
    # Timestamps break on ':' and 'T', UUIDs on their letters and short groups.
    Gate("credit_card.digits", r"\b[1-68](?:[ -]?\d){12,18}\b", frozenset({ENTITY})),
)
