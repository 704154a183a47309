"""EMAIL_ADDRESS: where an address starts and ends, and what its domain must be."""

import pyarrow as pa
import pytest

from pdscan.detectors.pipeline import Detector


@pytest.fixture(scope="module")
def detector():
    return Detector()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("write to ana.torres@example.org.", ["ana.torres@example.org"]),
        ("email = 'dev@example.com'", ["dev@example.com"]),
        ("o'brien@mail.co.uk replied", ["o'brien@mail.co.uk"]),
        # in a URL's query the address is still the person's
        ('"GET /account/verify?email=vikram_h15@kestrel-health.org HTTP/1.1" 200', ["vikram_h15@kestrel-health.org"]),
        ("mailto:jo@example.org?subject=hi", ["jo@example.org"]),
        # near misses
        ("k8s.io/client-go@v0.28.3/tools/cache/reflector.go:229", []),
        ("connect to admin@localhost:5432", []),
        ("pip install pkg@1.2.3", []),
    ],
)
def test_addresses(detector, text, expected):
    assert [h.text for h in detector.detect(pa.array([text])) if h.entity == "EMAIL_ADDRESS"] == expected
