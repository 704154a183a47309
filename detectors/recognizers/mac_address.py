"""MAC_ADDRESS: a device's EUI-48 as 00:1A:2B:3C:4D:5E, 00-1a-2b-3c-4d-5e or Cisco's 001a.2b3c.4d5e.

Replaces Presidio's MacAddressRecognizer. Checked with python-stdnum: a universally administered address
whose OUI is in the IEEE registry (or a locally administered one, which has no OUI) stands on its own. One
whose OUI the registry snapshot does not hold is weak: devices are newer than any snapshot, so a context
word (mac, hwaddr, device, client ...) reports it. Group (multicast and broadcast) addresses name no device,
and 00:00:00:00:00:00 is a placeholder, so neither is personal data.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum import mac

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import ChecksumPatternRecognizer

ENTITY = "MAC_ADDRESS"
# Not inside a longer run of hex groups (EUI-64, IPv6, certificate fingerprints) or a word.
_START = r"(?<!\w)(?<!\b[0-9a-f]{1,4}[:.-])"
_END = r"(?!\w|[:.-][0-9a-f])"


def _colons(text: str) -> str:
    hexdigits = "".join(c for c in text if c not in ":-.")
    return ":".join(hexdigits[i : i + 2] for i in range(0, 12, 2))


def is_group_address(address: str) -> bool:
    """Multicast, such as 01:00:5e:.. or 33:33:.., and broadcast ff:ff:ff:ff:ff:ff: no single device."""
    return mac.is_multicast(address)


def is_all_zero(address: str) -> bool:
    """00:00:00:00:00:00, what software writes when it has no address."""
    return address == "00:00:00:00:00:00"


JUNK = (is_group_address, is_all_zero)

# An OUI missing from the registry snapshot: reported only beside a context word (+0.35).
UNREGISTERED_SCORE = 0.3


def is_registered(address: str) -> bool:
    """Locally administered (no OUI to look up), or universally administered with an OUI the IEEE lists."""
    return mac.is_valid(address)


class HardwareAddressRecognizer(ChecksumPatternRecognizer):
    """Six hex pairs with one kind of separator, or three dotted quads; all-digit dotted quads need context."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("MAC (colons or dashes)", _START + r"[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}" + _END, 0.6),
        Pattern("MAC (Cisco)", _START + r"(?=[0-9.]*[a-f])[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}" + _END, 0.6),
        # 1234.5678.9012 is as likely a build or version number
        Pattern("MAC (Cisco, digits only)", _START + r"\d{4}\.\d{4}\.\d{4}" + _END, 0.3),
    ]
    CONTEXT = [
        *("mac", "macaddr", "hwaddr", "ether", "ethernet", "hardware", "bssid", "wifi", "wlan", "nic"),
        *("device", "client", "station", "sta"),
        # snake_case labels are one token to Presidio: `mac_address: ..`, `src_mac=..`
        *("mac_address", "mac_addr", "macaddress", "hw_addr", "src_mac", "dst_mac", "client_mac", "sta_mac"),
        *("device_mac", "wlan_mac", "eth_mac"),
    ]

    def validate_result(self, pattern_text: str) -> bool:
        """Well formed; the registry only weighs (`refine`), it does not veto."""
        return mac.is_valid(_colons(pattern_text), validate_manufacturer=False)

    def refine(self, text, results):
        for result in super().refine(text, results):
            if not is_registered(_colons(text[result.start : result.end])):
                result.score = min(result.score, UNREGISTERED_SCORE)
        return results

    def invalidate_result(self, pattern_text: str) -> bool:
        address = _colons(pattern_text).lower()
        return any(junk(address) for junk in JUNK)


RECOGNIZERS = [HardwareAddressRecognizer]
REPLACES = ["MacAddressRecognizer"]
GATES = (
    # Six hex pairs or three dotted quads. Times (12:30:45) have three groups, UUIDs groups of four and more.
    Gate(
        "mac_address.hex",
        r"(?i)\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b|\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b",
        frozenset({ENTITY}),
        needs="[:-.] n14",
    ),
)
