"""STREET_ADDRESS: address parser on address-shaped text."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="STREET_ADDRESS",
    category="address",
    description="address parser on address-shaped text",
    masker=masking.mask_words,
    normalizer=masking.normalize_text,
    column_evidence="weak",
    container=True,
    recognizers=("pdscan.detectors.recognizers.street_address:StreetAddressRecognizer",),
    gates=("pdscan.detectors.recognizers.street_address:GATES",),
    column_hints=(
        "street",
        "address",
        "addr",
        "addr1",
        "addr2",
        "address1",
        "address2",
        "streetaddress",
        "homeaddress",
        "mailingaddress",
        "billingaddress",
        "shippingaddress",
    ),
)
