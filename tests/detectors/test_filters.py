"""False-positive filters, through the detector: what each rejects and what it must keep."""

import pyarrow as pa
import pytest

from pdscan.detectors.pipeline import Detector


@pytest.fixture(scope="module")
def ip_detector():
    return Detector(entities=["IP_ADDRESS"])


def _ips(detector, value):
    return [h.text for h in detector.detect(pa.array([value]))]


@pytest.mark.parametrize(
    "value, expected",
    [
        # versions: after a version label or a product token, or the tail of a longer dotted number
        ("Mozilla/5.0 (Windows NT 5.1; mt-MT; rv:1.9.2.20) Gecko/2015-06-05 13:19:41 Firefox/3.6.11", []),
        ("Mozilla/5.0 (Linux; Android 11; moto g(30)) Chrome/118.0.0.0 Mobile Safari/537.36", []),
        ("Mozilla/5.0 (iPhone) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.35.112;FBSV/17.1.2]", []),
        ("okhttp/4.9.2 Instagram 312.1.0.34.111 Android", []),
        ("firmware: 10.2.0.1 installed", []),
        ("upgraded to version 4.0.0.1", []),
        # addresses: alone, after a host name (Java), with a port (tcpdump), in a URL or a path
        ("client 10.0.0.1 connected", ["10.0.0.1"]),
        ("Connecting to Host from MININT-FNANLI5/127.0.0.1 to master", ["127.0.0.1"]),
        ("IP 192.168.1.2.443 > 10.0.0.1.53: UDP", ["192.168.1.2", "10.0.0.1"]),
        ("GET https://203.0.113.9/login HTTP/1.1", ["203.0.113.9"]),
        ("GET /api/hosts/198.51.100.7 HTTP/1.1", ["198.51.100.7"]),
        ("Failed password for root from 203.0.113.5 port 22", ["203.0.113.5"]),
        ("src=198.51.100.23 dst=10.1.1.1", ["198.51.100.23", "10.1.1.1"]),
    ],
)
def test_ip_is_version(ip_detector, value, expected):
    assert _ips(ip_detector, value) == expected


def test_ip_is_version_can_be_switched_off():
    detector = Detector(entities=["IP_ADDRESS"], disabled_filters=("ip_is_version",))
    assert _ips(detector, "upgraded to version 4.0.0.1") == ["4.0.0.1"]
