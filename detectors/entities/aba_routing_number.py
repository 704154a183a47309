"""ABA_ROUTING_NUMBER: stdnum us.rtn check digit + Federal Reserve prefix; bare numbers need context."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

SPEC = EntitySpec(
    name="ABA_ROUTING_NUMBER",
    category="pfi",
    description="stdnum us.rtn check digit + Federal Reserve prefix; bare numbers need context",
    masker=masking.mask_last4,
    normalizer=digits,
    recognizers=("pdscan.detectors.recognizers.aba_routing:AbaRoutingNumberRecognizer",),
    gates=("pdscan.detectors.recognizers.aba_routing:GATES",),
    replaces=("AbaRoutingRecognizer",),
    column_hints=("routing", "routingnumber", "routingno", "aba", "abanumber", "rtn"),
    numeric=True,
    absent={
        "test_values": "routing numbers are public bank identifiers: none is test data of its own",
    },
)
