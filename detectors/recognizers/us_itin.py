"""US_ITIN: 9AA-GG-SSSS with the IRS's group ranges; bare nine digits need context.

Replaces Presidio's UsItinRecognizer. python-stdnum 2.2 still allows only groups 70-88, 90-92 and 94-99;
the IRS has also issued 50-65 since 2011, so those are accepted here as well.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.us import itin

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer, digits, is_repeated_digit

ENTITY = "US_ITIN"
# https://www.irs.gov/individuals/individual-taxpayer-identification-number: "... 50 to 65, 70 to 88, 90 to 92
# and 94 to 99". stdnum knows all but the first range.
GROUPS_SINCE_2011 = frozenset(f"{g}" for g in range(50, 66))


def is_advertising_sample(digits: str) -> bool:
    """987-65-4320 to 987-65-4329, the numbers reserved for advertisements."""
    return digits[:8] == "98765432"


JUNK = (is_repeated_digit, is_advertising_sample)


def is_itin(digits: str) -> bool:
    """stdnum's rules, and the groups it does not know yet."""
    if itin.is_valid(digits):
        return True
    return len(digits) == 9 and digits.isdigit() and digits[0] == "9" and digits[3:5] in GROUPS_SINCE_2011


class IndividualTaxpayerIdRecognizer(ChecksumPatternRecognizer):
    """Dashed ITINs stand alone; spaced ones are weaker, bare nine digits need a word such as "itin"."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("ITIN (dashed)", r"\b9\d{2}-\d{2}-\d{4}\b", 0.5),
        Pattern("ITIN (spaced)", r"\b9\d{2} \d{2} \d{4}\b", 0.3),
        Pattern("ITIN (bare)", r"\b9\d{8}\b", 0.2),
    ]
    CONTEXT = ["itin", "itins", "taxpayer", "tax", "tin"]

    def validate_result(self, pattern_text: str) -> bool:
        return is_itin(digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(digits(pattern_text)) for junk in JUNK)


RECOGNIZERS = [IndividualTaxpayerIdRecognizer]
REPLACES = ["UsItinRecognizer"]
GATES = (
    Gate(
        "us_itin.digits",
        r"\b9\d{2}[- ]?(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])[- ]?\d{4}\b",
        frozenset({ENTITY}),
        needs="d9",
        context=tuple(IndividualTaxpayerIdRecognizer.CONTEXT),
        weak_max=0.3,
        standalone=r"\b9\d{2}-\d{2}-\d{4}\b",
    ),
)
