"""IP_ADDRESS: v4 and v6 (Presidio's recognizer)."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.detectors.gates import Gate

GATES = (
    # IPv4, or IPv6 with '::' or 4+ colons (times such as 12:30:45 have two).
    Gate("ip", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|[0-9A-Fa-f]{0,4}::[0-9A-Fa-f]{0,4}|(?:[0-9A-Fa-f]{1,4}:){4,}[0-9A-Fa-f]{1,4}", frozenset({"IP_ADDRESS"}), needs="d4 [.] n7|[:] n2"),
)  # fmt: skip

SPEC = EntitySpec(
    name="IP_ADDRESS",
    category="ip_address",
    description="v4 and v6 (Presidio's recognizer)",
    masker=masking.mask_ip,
    normalizer=masking.normalize_ip,
    recognizers=("presidio_analyzer.predefined_recognizers:IpRecognizer",),
    gates=(*GATES,),
    column_hints=(
        "ip",
        "ipaddr",
        "ipaddress",
        "clientip",
        "remoteip",
        "remoteaddr",
        "sourceip",
        "srcip",
        "ipv4",
        "ipv6",
    ),
)
