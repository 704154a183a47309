"""Shared by the identifier recognizers: a pattern recognizer whose checksum only filters, and junk predicates.

It defines no recognizer of its own.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from stdnum import luhn

from pdscan.core.text import digits as digits  # re-exported: the identifier recognizers take it from here


class ChecksumPatternRecognizer(PatternRecognizer):
    """Built from the class constants ENTITIES, PATTERNS and CONTEXT; a passed checksum keeps the pattern's score."""

    ENTITIES: list[str] = []
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITIES[0], name=type(self).__name__, patterns=self.PATTERNS, context=self.CONTEXT
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        """Presidio lifts every validated match to 1.0; keep the pattern's score, so validation only filters
        and bare digits still need context."""
        return self.refine(text, super().analyze(text, entities, nlp_artifacts, regex_flags))

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """After the patterns: each result keeps its pattern's score."""
        for result in results:
            result.score = result.analysis_explanation.original_score
        return results


def is_repeated_digit(digits: str) -> bool:
    """One digit over and over (`4444 4444 4444 444x`): a placeholder, not an account."""
    return len(set(digits)) == 1


def is_sequential_digits(digits: str) -> bool:
    """Counting up or down (`1234567890123...`), wrapping from 9 to 0."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    return steps in ({1}, {9})


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
    """A known issuer's prefix and length, and a valid Luhn check digit (a bank account must not be one)."""
    return issuer(digits) is not None and luhn.is_valid(digits)
