"""MAC_ADDRESS: colon, dash and Cisco forms; broadcast and multicast rejected."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="MAC_ADDRESS",
    category="internet_usage",
    description="colon, dash and Cisco forms; broadcast and multicast rejected",
    masker=masking.mask_mac,
    normalizer=masking.normalize_mac,
    recognizers=("pdscan.detectors.recognizers.mac_address:HardwareAddressRecognizer",),
    gates=("pdscan.detectors.recognizers.mac_address:GATES",),
    replaces=("MacAddressRecognizer",),
    column_hints=("mac", "macaddr", "macaddress", "hwaddr"),
)
