"""US_EIN: NN-NNNNNNN with a prefix the IRS assigns (python-stdnum's campus table); bare nine digits need context.

An EIN is dashed after two digits, an SSN after three and five, so the dashed shapes never overlap.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.us import ein

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer, digits, is_repeated_digit

ENTITY = "US_EIN"
JUNK = (is_repeated_digit,)


class UsEinRecognizer(ChecksumPatternRecognizer):
    """Dashed EINs stand alone (they share their shape with some case numbers, hence no more than 0.5)."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("EIN (dashed)", r"\b\d{2}-\d{7}\b", 0.5),
        Pattern("EIN (bare)", r"\b\d{9}\b", 0.1),
    ]
    # "employer identification", "tax id", "federal tax id": the enhancer compares single words.
    CONTEXT = ["ein", "eins", "fein", "employer", "tax", "taxid", "taxpayer", "irs"]

    def validate_result(self, pattern_text: str) -> bool:
        return ein.is_valid(digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(digits(pattern_text)) for junk in JUNK)


RECOGNIZERS = [UsEinRecognizer]
GATES = (
    Gate(
        "us_ein.digits",
        r"\b\d{2}-?\d{7}\b",
        frozenset({ENTITY}),
        needs="d9",
        context=tuple(UsEinRecognizer.CONTEXT),
        weak_max=0.1,
        standalone=r"\b\d{2}-\d{7}\b",
    ),
)
