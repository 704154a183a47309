"""URL: scheme URLs on any host, www. and bare domains on a known TLD; files and reserved names are not visits."""

import pyarrow as pa
import pytest

from pdscan.detectors.recognizers import url
from tests.detectors.conftest import gate_passes

ENTITY = "URL"
ENTITIES = [ENTITY, "EMAIL_ADDRESS"]


CASES = [
    # (value, context words, [(entity, URL found, score), ...])
    (
        "Opened https://shop.acme-store.com/cart?id=17 twice",
        None,
        [(ENTITY, "https://shop.acme-store.com/cart?id=17", 0.6)],
    ),
    ("Visit https://shop.acme-store.com/page.", None, [(ENTITY, "https://shop.acme-store.com/page", 0.95)]),
    ("referrer: http://10.0.0.1:8080/admin", None, [(ENTITY, "http://10.0.0.1:8080/admin", 0.95)]),
    ("ftp://files.kernel.org/pub/", None, [(ENTITY, "ftp://files.kernel.org/pub/", 0.6)]),
    ("https://en.wikipedia.org/wiki/Foo_(bar).", None, [(ENTITY, "https://en.wikipedia.org/wiki/Foo_(bar)", 0.6)]),
    ("(see https://github.com/acme/app)", None, [(ENTITY, "https://github.com/acme/app", 0.6)]),
    ("see www.nytimes.com, then", None, [(ENTITY, "www.nytimes.com", 0.5)]),
    ("bbc.co.uk/news", None, [(ENTITY, "bbc.co.uk/news", 0.5)]),
    ("nytimes.com", None, [(ENTITY, "nytimes.com", 0.5)]),
    ("nytimes.com", ["referrer"], [(ENTITY, "nytimes.com", 0.85)]),
    ("visited bbc.co.uk/news today", None, [(ENTITY, "bbc.co.uk/news", 0.85)]),
    # an email's domain is the email's
    ("mail john@acme-store.com", None, [("EMAIL_ADDRESS", "john@acme-store.com", 1.0)]),
    # near misses Presidio's UrlRecognizer takes: file names, words glued by a dot, cut extensions
    ("run test.py now", None, []),
    ("notes in README.md", None, []),
    ("deploy.sh failed", None, []),
    ("lib.rs and main.cc", None, []),
    ("photo.jpg", None, []),
    ("Mr.Smith said", None, []),
    ("org.apache.kafka.Consumer started", None, []),
    ("Release v2026.2.9 fixed the issue", None, []),
    ("Host mailserver.local accepted message", None, []),
    # documentation names and localhost: nobody's visit
    ("https://example.com/@user/profile is a URL path", None, []),
    ("See [RFC 1918](https://example.com/rfc1918)", None, []),
    ("http://localhost:3000/login", None, []),
    ("https://api.test/v1", None, []),
    ("https://", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_urls(detector, value, context, expected):
    hits = detector.detect(pa.array([value]), context=context)
    assert [(h.entity, h.text, round(h.score, 2)) for h in hits] == expected
    assert all(h.detector == "WebUrlRecognizer" for h in hits if h.entity == ENTITY)
    assert all(value[h.start : h.end] == h.text for h in hits)


@pytest.mark.parametrize("value", sorted({v for v, _, expected in CASES if any(e == ENTITY for e, _, _ in expected)}))
def test_gates_pass_every_url(value):
    assert gate_passes(value, url.GATES)


@pytest.mark.parametrize("value", ["photo.jpg", "Mr.Smith said", "Release v2026.2.9", "config.json", "12:30:45 UTC"])
def test_gates_skip_non_domains(value):
    assert not gate_passes(value, url.GATES)


def test_replaces_presidio_url_recognizer():
    from pdscan.detectors.analyzer import build_analyzer

    names = [r.name for r in build_analyzer().registry.recognizers if "URL" in r.supported_entities]
    assert names == ["WebUrlRecognizer"]
