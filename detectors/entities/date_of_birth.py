"""DATE_OF_BIRTH: a plausible date with "born", "DOB", "date of birth" nearby or under a dob/birthdate column."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="DATE_OF_BIRTH",
    category="identifiers",
    description='a plausible date with "born", "DOB", "date of birth" nearby or under a dob/birthdate column',
    masker=masking.mask_date,
    normalizer=masking.normalize_text,
    recognizers=("pdscan.detectors.recognizers.date_of_birth:DateOfBirthRecognizer",),
    gates=("pdscan.detectors.recognizers.date_of_birth:GATES",),
    column_hints=("dob", "birthdate", "birthday", "dateofbirth", "birthdt"),
)
