"""PERSON: spaCy NER on name-shaped text; one-word columns through the column name or a name list."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.detectors.gates import Gate

# Column words of a name split in two (`first_name`, `LastName`): a column name whose own name is
# one of these words, starts or ends with it, holds a part of a person's name.
FIRST_NAME_COLUMNS = ("fname", "firstname", "givenname", "forename")
LAST_NAME_COLUMNS = ("lname", "lastname", "surname", "familyname")
FIRST_NAME_WORDS = ("first", "given", *FIRST_NAME_COLUMNS)
LAST_NAME_WORDS = ("last", "family", *LAST_NAME_COLUMNS)

# Verbs after a first word that make it a name worth NER's time ("Nakamura scored", "Casey is").
FIRST_WORD_VERBS = (
    "said|says|told|asked|wrote|replied|stated|added|announced|tweeted|posted|scored|won|lost|played|signed|"
    "joined|left|knew|knows|thinks|wants|needs|likes|loves|hates|looks|seems|went|goes|came|comes|made|makes|"
    "got|gets|gave|took|called|became|tried|met|married|died|faces|fails|failed|started|speaks|spoke|sits|"
    "talks|did|does|is|was|has|had|will|would|can|could|should"
)

GATES = (
    # A capitalized word that is not just the first word of the value, two in a row, or a first
    # word that a verb or a possessive follows ("Shaq had me weak", "Murkowski's"): the shape of
    # a name in prose or a name column. Everything else never meets spaCy; a lone token
    # ("Smith") is classified by its column name or the name list instead.
    Gate("name", r"\S\s+\p{Lu}\p{Ll}|\p{Lu}\p{Ll}+[\s,]+\p{Lu}|^\W*\p{Lu}\p{Ll}+(?:\s?['’]\s?s\b|\s+(?i:" + FIRST_WORD_VERBS + r")\b)", frozenset({"PERSON"}), ner=True, needs="U L S n4|U L [,] n4|U L n4"),
)  # fmt: skip

SPEC = EntitySpec(
    name="PERSON",
    category="name",
    description="spaCy NER on name-shaped text; one-word columns through the column name or a name list",
    masker=masking.mask_words,
    normalizer=masking.normalize_text,
    column_evidence="weak",
    word_spans=True,
    recognizers=(
        "pdscan.detectors.recognizers.organization:PersonNerRecognizer",
        "pdscan.detectors.recognizers.person_name:PersonNameRecognizer",
    ),
    gates=(
        *GATES,
        "pdscan.detectors.recognizers.person_name:GATES",
    ),
    replaces=("SpacyRecognizer",),
    column_hints=(
        *FIRST_NAME_COLUMNS,
        *LAST_NAME_COLUMNS,
        "fullname",
        "name",
        "maidenname",
        "middlename",
        "mname",
        "contactname",
        "customername",
        "personname",
        "holdername",
        "cardholder",
        "cardholdername",
        "accountholder",
    ),
    column_shape=(r"^[\p{Lu}][\p{L}'.\-]*(?:[ ,]+[\p{Lu}][\p{L}'.\-]*){0,3}$", 0.6),
    dsar_kind="name",
)
