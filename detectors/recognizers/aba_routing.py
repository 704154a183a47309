"""ABA_ROUTING_NUMBER: nine digits with a Federal Reserve prefix and python-stdnum's RTN check digit.

Replaces Presidio's AbaRoutingRecognizer (off by default there): it scores every checksum-valid
nine-digit number 1.0, context or not. A routing number names a bank, not a person, so a bare one is
weak until "routing", "aba", "wire" ... stands nearby.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.us import rtn

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer, digits, is_repeated_digit

ENTITY = "ABA_ROUTING_NUMBER"
# First two digits: 00 US government, 01-12 banks, 21-32 thrifts, 61-72 electronic, 80 traveler's cheques.
PREFIXES = frozenset(f"{p:02d}" for p in [*range(0, 13), *range(21, 33), *range(61, 73), 80])


def has_fed_prefix(digits: str) -> bool:
    """A prefix the Federal Reserve assigns."""
    return digits[:2] in PREFIXES


JUNK = (is_repeated_digit,)


class AbaRoutingNumberRecognizer(ChecksumPatternRecognizer):
    """Bare nine digits need context; the NNNN-NNNN-N form is likelier a routing number, still not alone."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("ABA (dashed)", r"\b\d{4}-\d{4}-\d\b", 0.4),
        Pattern("ABA (bare)", r"\b\d{9}\b", 0.1),
    ]
    CONTEXT = ["routing", "aba", "rtn", "transit", "wire", "ach", "abarouting", "routingnumber"]

    def validate_result(self, pattern_text: str) -> bool:
        number = digits(pattern_text)
        return has_fed_prefix(number) and rtn.is_valid(number)

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(digits(pattern_text)) for junk in JUNK)


RECOGNIZERS = [AbaRoutingNumberRecognizer]
REPLACES = ["AbaRoutingRecognizer"]
GATES = (
    Gate(
        "aba_routing.digits",
        r"\b[0-36-8]\d{3}-?\d{4}-?\d\b",
        frozenset({ENTITY}),
        needs="d9",
        context=tuple(AbaRoutingNumberRecognizer.CONTEXT),
        weak_max=0.4,
    ),
)
