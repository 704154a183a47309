"""EMAIL_ADDRESS: local part as addresses are written, the domain checked against the public suffix list (offline)."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.detectors.gates import Gate

GATES = (
    Gate("email", r"[\w.%+\-]@[\w\-]+\.\w", frozenset({"EMAIL_ADDRESS"}), needs="[@] [.] n5"),
)  # fmt: skip

SPEC = EntitySpec(
    name="EMAIL_ADDRESS",
    category="email",
    description="local part as addresses are written, the domain checked against the public suffix list (offline)",
    masker=masking.mask_email,
    normalizer=masking.normalize_email,
    column_evidence="strong",
    container=True,
    recognizers=("pdscan.detectors.recognizers.email:EmailAddressRecognizer",),
    gates=(*GATES,),
    replaces=("EmailRecognizer",),
    column_hints=("email", "emailaddress", "mail", "emailaddr"),
    dsar_kind="email",
)
