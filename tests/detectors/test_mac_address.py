"""MAC_ADDRESS: three notations, one separator throughout; a registered OUI or a context word; no group or zero addresses."""

import pytest

from pdscan.detectors.recognizers import mac_address
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "MAC_ADDRESS"


CASES = [
    # (value, context words, [(address found, score), ...])
    ("00:1A:2B:3C:4D:5E", None, [("00:1A:2B:3C:4D:5E", 0.6)]),
    ("client 00:1a:2b:3c:4d:5e joined", None, [("00:1a:2b:3c:4d:5e", 0.95)]),
    ("joined 00:1a:2b:3c:4d:5e", None, [("00:1a:2b:3c:4d:5e", 0.6)]),
    ("device mac 00:1a:2b:3c:4d:5e", None, [("00:1a:2b:3c:4d:5e", 0.95)]),
    ("00:1a:2b:3c:4d:5e", ["mac", "address"], [("00:1a:2b:3c:4d:5e", 0.95)]),
    # the colon splits "mac" off as a context word of its own
    ("mac:00:1a:2b:3c:4d:5e", None, [("00:1a:2b:3c:4d:5e", 0.95)]),
    ("HWaddr 08-00-27-AA-BB-CC.", None, [("08-00-27-AA-BB-CC", 0.95)]),
    ("port 001a.2b3c.4d5e up", None, [("001a.2b3c.4d5e", 0.6)]),
    ("port 001A.2B3C.4D5E up", None, [("001A.2B3C.4D5E", 0.6)]),
    ("sta da:a1:19:00:00:01", None, [("da:a1:19:00:00:01", 0.95)]),  # randomized (locally administered)
    ("seen da:a1:19:00:00:01", None, [("da:a1:19:00:00:01", 0.6)]),
    ("1234.5678.9012", None, []),  # as likely a build number
    ("1234.5678.9012", ["mac"], [("1234.5678.9012", 0.65)]),
    # group addresses and the zero placeholder name no device
    ("dst ff:ff:ff:ff:ff:ff", None, []),
    ("dst 01:00:5e:00:00:fb", None, []),
    ("dst 33:33:00:00:00:01", None, []),
    ("mac 00:00:00:00:00:00", None, []),
    # universally administered, an OUI the registry snapshot lacks: newer devices, found beside a context word
    ("device MAC 1c:bb:41:33:cb:fb", None, [("1c:bb:41:33:cb:fb", 0.65)]),
    ("mac 04:00:00:12:34:56", None, [("04:00:00:12:34:56", 0.65)]),
    ("hwaddr 1C-BB-41-33-CB-FB", None, [("1C-BB-41-33-CB-FB", 0.65)]),
    ("bssid=1c:bb:41:33:cb:fb", None, [("1c:bb:41:33:cb:fb", 0.65)]),
    ("wlan0 client 1cbb.4133.cbfb", None, [("1cbb.4133.cbfb", 0.65)]),
    ("1c:bb:41:33:cb:fb", ["ether"], [("1c:bb:41:33:cb:fb", 0.65)]),
    # ... and without one, a hex run that only looks like an address
    ("seen 04:00:00:12:34:56", None, []),
    ("1c:bb:41:33:cb:fb", None, []),
    # the registry raises the score: a listed OUI beside the same word
    ("device MAC 00:1a:2b:33:cb:fb", None, [("00:1a:2b:33:cb:fb", 0.95)]),
    # group addresses stay out whatever the context
    ("device mac 01:00:5e:7f:00:01", None, []),
    ("client mac ff:ff:ff:ff:ff:ff", None, []),
    ("bssid 1d:bb:41:33:cb:fb", None, []),
    # mixed separators, too many or too few groups, inside a longer token
    ("mac 00:1a-2b:3c-4d:5e", None, []),
    ("eui64 00:1a:2b:ff:fe:3c:4d:5e", None, []),
    ("00:1a:2b:3c:4d:5e:6f", None, []),
    ("00:1a:2b:3c:4d", None, []),
    ("x00:1a:2b:3c:4d:5e", None, []),
    ("001a.2b3c.4d5e.6f7a", None, []),
    # not addresses at all
    ("from 2001:db8:85a3::8a2e:370:7334", None, []),
    ("The event starts at 12:30:45 UTC", None, []),
    ("Trace id 550e8400-e29b-41d4-a716-446655440000", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_mac_addresses(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "HardwareAddressRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_address(value):
    assert gate_passes(value, mac_address.GATES)


@pytest.mark.parametrize(
    "value", ["2026-11-01T10:00:00Z", "at 12:30:45 UTC", "v2026.11.01", "550e8400-e29b-41d4-a716-446655440000"]
)
def test_gates_skip_timestamps_versions_and_uuids(value):
    assert not gate_passes(value, mac_address.GATES)
