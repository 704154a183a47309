"""The detection pipeline: the prefilter decides what Presidio and spaCy see; bounded windows."""

import json

import pyarrow as pa
import pytest

from pdscan.detectors import filters, prefilter
from pdscan.detectors.pipeline import WINDOW, Detector
from tests.conftest import DATASETS


@pytest.fixture(scope="module")
def detector():
    return Detector()


def test_only_candidates_reach_presidio_and_only_name_shapes_reach_spacy(detector):
    filler = [f"2026-11-01T10:{i % 60:02d}:00Z info cache hit key=session:{i} ttl=300" for i in range(20_000)]
    values = filler + ["password reset for ana.torres@example.com", "Support call from Maria Gonzalez on Tuesday."]
    before = dict(detector.stats)
    hits = detector.detect(pa.array(values))
    seen = {k: detector.stats[k] - before[k] for k in before}
    assert seen["values"] == 20_002
    assert seen["candidates"] == 2 and seen["ner"] == 1
    assert {(h.index, h.entity) for h in hits} == {(20_000, "EMAIL_ADDRESS"), (20_001, "PERSON")}


@pytest.mark.parametrize(
    "gate, text, expected",
    [
        ("credit_card.digits", "card 4539 1488 0343 6467 ok", True),
        ("credit_card.digits", "at 2026-11-01 12:00:01", False),
        ("us_ssn.digits", "ssn 536-90-4399", True),
        ("us_ssn.digits", "v2026.11.01", False),
        ("phone", "call (212) 555-0143", True),
        ("phone", "call +44 20 7946 0958", True),
        ("phone", "at 12:30:45 UTC", False),
        ("ip", "from 203.0.113.42", True),
        ("ip", "from 2001:db8::1", True),
        ("ip", "at 12:30:45 UTC", False),
        ("email", "to a@b.co", True),
        ("email", "hostname mailserver.local", False),
        ("iban", "GB82 WEST 1234 5698 7654 32", True),
        ("name", "call from Ana Torres", True),
        ("name", "Maria Gonzalez", True),
        ("name", "Smith", False),
        ("name", "2026-11-01 info request completed", False),
        ("name", "INFO GET /api 200", False),
    ],
)
def test_gates(gate, text, expected):
    (g,) = [g for g in prefilter.all_gates() if g.name == gate]
    assert bool(prefilter.candidates(pa.array([text]), [g])[gate][0]) is expected


def test_long_values_are_cut_into_windows_and_offsets_stay_true(detector):
    long = "A" * 50_000 + " ssn 536-90-4399, write to ana.torres@example.com " + "b" * 50_000
    hits = {h.entity: h for h in detector.detect(pa.array([long]))}
    for entity, value in (("US_SSN", "536-90-4399"), ("EMAIL_ADDRESS", "ana.torres@example.com")):
        assert long[hits[entity].start : hits[entity].end] == value
    at_cut = "x" * (WINDOW - 10) + " 536-90-4399 " + "y" * 5000
    (hit,) = detector.detect(pa.array([at_cut]), context=None)
    assert at_cut[hit.start : hit.end] == "536-90-4399"


def test_datafog_negative_cases_yield_nothing(detector):
    cases = json.loads((DATASETS / "datafog" / "negative_cases.json").read_text())
    assert len(cases) >= 15
    hits = detector.detect(pa.array([c["input"] for c in cases]))
    assert [(cases[h.index]["id"], h.entity, h.score) for h in hits if h.score >= 0.5] == []


def test_context_from_the_column_name_lifts_weak_candidates(detector):
    assert detector.detect(pa.array(["000123456789"])) == []
    (hit,) = detector.detect(pa.array(["000123456789"]), context=["account", "number"])
    assert hit.entity == "US_BANK_NUMBER" and hit.score >= 0.5


NOISE = [
    # spaCy's small model tags "Caller", "Mac" and "AppleWebKit/605.1.15" in these as PERSON
    ("T-10407 | 2026-09-20T15:07 | chat | Caller could not log in from IP 220.61.9.12; reset sent.", "Caller", False),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36",
        "AppleWebKit/537.36",
        True,  # "like Gecko" is name-shaped
    ),
]


def test_a_name_in_text_is_found(detector):
    found = [h.text for h in detector.detect(pa.array(["Support call from Maria Gonzalez on Tuesday."]))]
    assert found == ["Maria Gonzalez"]


@pytest.mark.parametrize("text, noise, shaped", NOISE)
def test_person_noise_is_not_reported(detector, text, noise, shaped):
    before = detector.stats["ner"]
    assert [h for h in detector.detect(pa.array([text])) if h.entity == "PERSON"] == []
    assert detector.stats["ner"] - before == shaped  # no name-shaped word: the model does not run
    start = text.index(noise)
    assert filters.rejected_by("PERSON", text, start, start + len(noise), frozenset(filters.FILTERS), "SpacyRecognizer")
