"""POSTAL_CODE: US ZIP, Canadian and UK postal codes, with context or under a column so named."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="POSTAL_CODE",
    category="address",
    description="US ZIP, Canadian and UK postal codes, with context or under a column so named",
    masker=masking.mask_generic,
    normalizer=masking.normalize_text,
    column_evidence="weak",
    recognizers=("pdscan.detectors.recognizers.postal_code:PostalCodeRecognizer",),
    gates=("pdscan.detectors.recognizers.postal_code:GATES",),
    column_hints=("zip", "zipcode", "postal", "postalcode", "postcode"),
    column_shape=(r"^\d{5}(?:-\d{4})?$|^[A-Z]\d[A-Z] ?\d[A-Z]\d$|^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", 0.6),
)
