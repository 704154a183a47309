"""POSTAL_CODE in prose: a US ZIP (or ZIP+4), UK, Canadian or other postcode that words call one ("ZIP 94105").

A bare five-digit number is anything (an amount, an id), so the patterns start at 0.05 and only
the context words "zip", "postal", "postcode" lift them to the reporting threshold. A code inside
a street address is part of the STREET_ADDRESS finding instead; postal-code columns are found by
their name (pdscan.detectors.columns).
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.detectors.prefilter import Gate

ENTITY = "POSTAL_CODE"


class PostalCodeRecognizer(PatternRecognizer):
    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("US ZIP or ZIP+4", r"(?<![\w-])\d{5}(?:-\d{4})?\b(?!-\d)", 0.05),
        # other countries' codes: "3520", "394 13", "3610-114", "7412 SL", Brazil's CEP "75534-030"
        Pattern("postal code", r"(?<![\w-])(?:\d{2,4}[ -]\d{2,3}|\d{5}-\d{3}|\d{4})(?-i: [A-Z]{2})?\b(?!-\d)", 0.05),
        Pattern("UK postcode", r"(?-i:\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b)", 0.05),
        Pattern("Canadian postal code", r"(?-i:\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b)", 0.05),
    ]
    CONTEXT = ["zip", "zips", "zipcode", "postal", "postcode", "postcodes"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITY, patterns=self.PATTERNS, context=self.CONTEXT, name="PostalCodeRecognizer"
        )


RECOGNIZERS = [PostalCodeRecognizer]
GATES = (
    Gate(
        "postal_code.context",
        r"(?i)\b(?:zip|zips|zipcode|postal|post ?code|postcodes?)\b[^\d\n]{0,16}(?:\d{3}|[A-Z]{1,2}\d)",
        frozenset({ENTITY}),
        needs="A d1 n4",
    ),
)
