"""PHONE_NUMBER: phonenumbers; US first, international with +."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="PHONE_NUMBER",
    category="phone",
    description="phonenumbers; US first, international with +",
    masker=masking.mask_last2,
    normalizer=masking.normalize_phone,
    ambiguous_number=True,
    recognizers=("pdscan.detectors.recognizers.phone:PhoneNumberRecognizer",),
    gates=("pdscan.detectors.recognizers.phone:GATES",),
    replaces=("PhoneRecognizer",),
    column_hints=(
        "phone",
        "phonenumber",
        "phoneno",
        "mobile",
        "cell",
        "cellphone",
        "tel",
        "telephone",
        "fax",
        "msisdn",
        "homephone",
        "workphone",
        "contactnumber",
        "callingnumber",
        "callednumber",
        "ani",
        "dnis",
    ),
    numeric=True,
    dsar_kind="phone",
    absent={
        "test_values": "no phone number is a well-known test value across countries (555 numbers are fictional, not test data)",
    },
)
