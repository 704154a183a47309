"""ORGANIZATION: a company name where its own or nearby words say so (the policy's "company name").

spaCy's ORG entities are too noisy to report alone (the word "SSN" is an ORG to the small
model), so they start weak and need context such as "company" or "employer". A legal form
("Globex Inc", "Lopez PLC", "Fusion Connect, Inc.") is the name's own word saying so and is
reported alone; "Group"/"Holdings" and firm names of three surnames ("Smith, Price and
Simmons") need context. Columns named company/employer are classified by name
(pdscan.detectors.columns).
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from pdscan.detectors.prefilter import Gate

CONTEXT = [
    "company", "employer", "employed", "organization", "organisation", "firm", "business",
    "corporation", "works", "working", "vendor", "customer", "client", "partner", "agency",
    "payer", "payee", "insurer", "insurance", "supplier", "merchant", "contractor", "legal",
]  # fmt: skip
# ORG spans that are a form's label or a code, not a name: "Employer ID Number", "f9"
_LABEL_END = frozenset("number no id ids code name address date".split())
_WORD = re.compile(r"[^\W\d_]{2,}")
_NAME = r"\p{Lu}[\p{L}'’&\-]*(?:\.[\p{Lu}])?"
_LEGAL = (
    r"Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|PLC|Corp\.?|Corporation|GmbH|AG|S\.A\.|N\.V\.|B\.V\.|LLP|Co\."
)


def _is_label_or_code(text: str) -> bool:
    words = text.split()
    return not _WORD.search(text) or words[-1].strip(".:#").casefold() in _LABEL_END


class OrganizationRecognizer(LocalRecognizer):
    READS_NLP = "entities"  # spaCy's ORG entities only: the pipeline gives it the model's output
    ENTITIES = ["ORGANIZATION"]
    SCORE = 0.3
    CONTEXT = CONTEXT

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="OrganizationRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if not nlp_artifacts or "ORGANIZATION" not in entities:
            return []
        out = []
        for ent in nlp_artifacts.entities:
            if ent.label_ != "ORGANIZATION" or ent.text.isupper() or _is_label_or_code(ent.text):
                continue
            explanation = AnalysisExplanation(self.name, self.SCORE, textual_explanation="spaCy ORG entity")
            result = RecognizerResult("ORGANIZATION", ent.start_char, ent.end_char, self.SCORE, explanation)
            result.recognition_metadata = {
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            }
            out.append(result)
        return out


class LegalNameRecognizer(PatternRecognizer):
    """Capitalized words ending in a legal form; firm names of three surnames with context."""

    ENTITIES = ["ORGANIZATION"]
    PATTERNS = [
        Pattern("legal form", rf"(?-i:\b(?:{_NAME}[ \t]+){{0,3}}{_NAME},?[ \t]+(?:{_LEGAL}))(?![\w-])", 0.6),
        Pattern("group", rf"(?-i:\b(?:{_NAME}[ \t]+){{0,3}}{_NAME}[ \t]+(?:Group|Holdings))\b", 0.3),
        Pattern("three surnames", rf"(?-i:\b{_NAME}, {_NAME},? (?:and|&) {_NAME})\b", 0.3),
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="ORGANIZATION", patterns=self.PATTERNS, context=CONTEXT, name="LegalNameRecognizer"
        )


class PersonNerRecognizer(SpacyRecognizer):
    """Presidio's spaCy recognizer limited to PERSON: organizations go through the one above."""

    ENTITIES = ["PERSON"]

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SpacyRecognizer")


RECOGNIZERS = [OrganizationRecognizer, LegalNameRecognizer, PersonNerRecognizer]
REPLACES = ["SpacyRecognizer"]
GATES = (
    # capitalized words after another word: where spaCy may see an organization
    Gate(
        "organization.ner",
        r"\S\s+\p{Lu}\p{L}",
        frozenset({"ORGANIZATION"}),
        ner=True,
        needs="U S n4",
        context=tuple(CONTEXT),
        weak_max=OrganizationRecognizer.SCORE,
    ),
    Gate(
        "organization.legal",
        r"\p{Lu}\S*,?[ \t]+(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|PLC|Corp|Corporation|GmbH|AG|S\.A|N\.V|B\.V|LLP|Co\.|Group|Holdings)\b"
        r"|\p{Lu}\p{L}+, \p{Lu}\p{L}+,? (?:and|&) \p{Lu}",
        frozenset({"ORGANIZATION"}),
        needs="U S n4",
    ),
)
