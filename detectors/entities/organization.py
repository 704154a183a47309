"""ORGANIZATION: spaCy ORG and legal-form names, reported only with words such as "company", "employer" nearby."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="ORGANIZATION",
    category="company_title",
    description='spaCy ORG and legal-form names, reported only with words such as "company", "employer" nearby',
    masker=masking.mask_generic,
    normalizer=masking.normalize_text,
    column_evidence="weak",
    word_spans=True,
    recognizers=(
        "pdscan.detectors.recognizers.organization:OrganizationRecognizer",
        "pdscan.detectors.recognizers.organization:LegalNameRecognizer",
    ),
    gates=("pdscan.detectors.recognizers.organization:GATES",),
    column_hints=("company", "companyname", "employer", "organization", "organisation", "org", "businessname", "firm"),
    column_shape=(r"^[^\s].*[A-Za-z].*$", 0.6),
)
