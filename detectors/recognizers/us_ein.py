"""US_EIN: NN-NNNNNNN with a prefix the IRS assigns (python-stdnum's campus table); bare nine digits need context.

An EIN is dashed after two digits, an SSN after three and five, so the dashed shapes never overlap.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from stdnum.us import ein

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers.credit_card import is_repeated_digit

ENTITY = "US_EIN"
JUNK = (is_repeated_digit,)


class UsEinRecognizer(PatternRecognizer):
    """Dashed EINs stand alone (they share their shape with some case numbers, hence no more than 0.5)."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("EIN (dashed)", r"\b\d{2}-\d{7}\b", 0.5),
        Pattern("EIN (bare)", r"\b\d{9}\b", 0.1),
    ]
    # "employer identification", "tax id", "federal tax id": the enhancer compares single words.
    CONTEXT = ["ein", "eins", "fein", "employer", "tax", "taxid", "taxpayer", "irs"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITY, name=type(self).__name__, patterns=self.PATTERNS, context=self.CONTEXT
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        """Presidio lifts every validated match to 1.0; keep the pattern's score, so bare digits still need context."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            result.score = result.analysis_explanation.original_score
        return results

    def validate_result(self, pattern_text: str) -> bool:
        return ein.is_valid(_digits(pattern_text))

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(_digits(pattern_text)) for junk in JUNK)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


RECOGNIZERS = [UsEinRecognizer]
GATES = (Gate("us_ein.digits", r"\b\d{2}-?\d{7}\b", frozenset({ENTITY})),)
