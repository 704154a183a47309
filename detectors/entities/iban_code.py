"""IBAN_CODE: Presidio's recognizer (checksum)."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.detectors.gates import Gate

GATES = (
    Gate("iban", r"\b[A-Z]{2}\d{2} ?[A-Z0-9]{4}", frozenset({"IBAN_CODE"}), needs="U d2 n8"),
)  # fmt: skip

SPEC = EntitySpec(
    name="IBAN_CODE",
    category="pfi",
    description="Presidio's recognizer (checksum)",
    masker=masking.mask_iban,
    normalizer=masking.normalize_iban,
    column_evidence="strong",
    container=True,
    recognizers=("presidio_analyzer.predefined_recognizers:IbanRecognizer",),
    gates=(*GATES,),
    column_hints=("iban", "ibancode"),
)
