"""ORGANIZATION: a company name where nearby words say so (the policy's "company name").

spaCy's ORG entities are too noisy to report alone (the word "SSN" is an ORG to the small
model), so they start weak and need context such as "company" or "employer". Columns
named company/employer are classified by name (pdscan.detectors.columns).
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from pdscan.detectors.prefilter import Gate


class OrganizationRecognizer(LocalRecognizer):
    ENTITIES = ["ORGANIZATION"]
    SCORE = 0.3
    CONTEXT = [
        "company", "employer", "employed", "organization", "organisation", "firm", "business",
        "corporation", "works", "working", "vendor", "customer", "client", "partner", "agency",
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="OrganizationRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if not nlp_artifacts or "ORGANIZATION" not in entities:
            return []
        out = []
        for ent in nlp_artifacts.entities:
            if ent.label_ != "ORGANIZATION" or not any(c.isalpha() for c in ent.text) or ent.text.isupper():
                continue
            explanation = AnalysisExplanation(self.name, self.SCORE, textual_explanation="spaCy ORG entity")
            result = RecognizerResult("ORGANIZATION", ent.start_char, ent.end_char, self.SCORE, explanation)
            result.recognition_metadata = {
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            }
            out.append(result)
        return out


class PersonNerRecognizer(SpacyRecognizer):
    """Presidio's spaCy recognizer limited to PERSON: organizations go through the one above."""

    ENTITIES = ["PERSON"]

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SpacyRecognizer")


RECOGNIZERS = [OrganizationRecognizer, PersonNerRecognizer]
REPLACES = ["SpacyRecognizer"]
GATES = (
    # capitalized words after another word: where spaCy may see an organization
    Gate("organization.ner", r"\S\s+\p{Lu}\p{L}", frozenset({"ORGANIZATION"}), ner=True),
)
