"""US_SSN: AAA-GG-SSSS with the area, group and serial rules of python-stdnum; bare nine digits need context.

Replaces Presidio's UsSsnRecognizer: its weak `NNNNN-NNNN` pattern also takes ZIP+4 codes, and it rejects
123-45-6789, which the DataFog corpus expects as an SSN (stdnum, and so pdscan, accepts it).
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.us import ssn

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer, digits, is_repeated_digit

ENTITY = "US_SSN"

# Placeholders such as 111-11-1111; stdnum rejects 000/666/9xx areas, 00 groups, 0000 serials and its
# own list of published samples (078-05-1120 ...).
JUNK = (is_repeated_digit,)


class SocialSecurityNumberRecognizer(ChecksumPatternRecognizer):
    """Dashed SSNs stand alone; spaced or dotted ones are weaker, bare nine digits need a word such as "ssn"."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("SSN (dashed)", r"\b\d{3}-\d{2}-\d{4}\b", 0.5),
        Pattern("SSN (spaced or dotted)", r"\b\d{3}([ .])\d{2}\1\d{4}\b", 0.3),
        Pattern("SSN (bare)", r"\b\d{9}\b", 0.1),
    ]
    # "security" alone is left out: "security group 123456789" is not about people.
    CONTEXT = ["ssn", "ssns", "social", "socsec", "socialsecurity"]

    def validate_result(self, pattern_text: str) -> bool:
        return ssn.is_valid(digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(digits(pattern_text)) for junk in JUNK)


RECOGNIZERS = [SocialSecurityNumberRecognizer]
REPLACES = ["UsSsnRecognizer"]
GATES = (
    Gate(
        "us_ssn.digits",
        r"\b\d{3}[- .]?\d{2}[- .]?\d{4}\b",
        frozenset({ENTITY}),
        needs="d9",
        context=tuple(SocialSecurityNumberRecognizer.CONTEXT),
        weak_max=0.3,
        standalone=r"\b\d{3}-\d{2}-\d{4}\b",
    ),
)
