"""PHONE_NUMBER: phonenumbers' possible numbers, scored by layout and validity; codes and other numbers are not phones."""

import json

import pyarrow as pa
import pytest

from pdscan.detectors.recognizers import phone
from tests.conftest import DATASETS
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "PHONE_NUMBER"


CASES = [
    # national layouts with a word that says phone, before or after
    ("call me at 0494 92 82 32", None, [("0494 92 82 32", 0.6)]),
    ("call 555-0143", None, [("555-0143", 0.6)]),
    ("416 60 039 office", None, [("416 60 039", 0.6)]),
    ("082 490 1693-Office,3660170548-Fax", None, [("082 490 1693", 0.6), ("3660170548", 0.6)]),
    ("(08) 8747 6301", None, [("(08) 8747 6301", 0.5)]),
    ("They're not answering at 78 651 450", None, [("78 651 450", 0.55)]),
    # (value, context words, [(number found, score), ...])
    # US layouts: possible numbers (555 fictional ones too) stand alone, valid ones higher, context higher still
    ("Main line 555-123-4567 is active.", None, [("555-123-4567", 0.5)]),
    ("Call me at (555) 123-4567 tomorrow.", None, [("(555) 123-4567", 0.5)]),  # "call" is a stop word
    ("Use 555.123.4567 during office hours", None, [("555.123.4567", 0.5)]),
    ("555 123 4567", None, [("555 123 4567", 0.5)]),
    ("(212) 555-0100", None, [("(212) 555-0100", 0.65)]),
    ("+1-555-111-2222", None, [("+1-555-111-2222", 0.5)]),
    ("Ops 555-000-1111, backup (555) 222-3333", None, [("555-000-1111", 0.5), ("(555) 222-3333", 0.5)]),
    ("Dial 555-123-4567 x89", None, [("555-123-4567 x89", 0.85)]),
    ("Fax: 463-612-6138x036", None, [("463-612-6138x036", 1.0)]),
    ("555-123-4567", ["phone"], [("555-123-4567", 0.85)]),
    # ten bare digits: only with context
    ("5551234567", None, []),
    ("2125550143", None, []),
    ("Traveler Omar Aziz, phone 5551234567.", None, [("5551234567", 0.65)]),
    ("2125550143", ["mobile"], [("2125550143", 0.75)]),
    # international with "+"; other countries' national layouts with context
    ("London office +44 20 7946 0958", None, [("+44 20 7946 0958", 1.0)]),
    ("+447700677662", None, [("+447700677662", 0.5)]),
    ("Mobile: 723 813 266", None, [("723 813 266", 0.55)]),
    ("Phone: 032 288 79 44", None, [("032 288 79 44", 0.55)]),
    ("020 7946 0958", None, []),
    ("001-518-640-0854 mobile", None, [("001-518-640-0854", 0.65)]),  # dialled from abroad
    ("011 44 20 7946 0958", None, [("011 44 20 7946 0958", 0.65)]),
    # product codes and ids, SSN, card, ZIP+4, IP, dates, times, versions, 7-digit local numbers
    ("Part number: 555-123-4567-A", None, []),
    ("Order #555-123-4567", None, []),
    ("Ticket 555-123-4567 closed", None, []),
    ("X555-123-4567", None, []),
    ("SSN 123-45-6789", None, []),
    ("card 4111111111111111", ["phone"], []),
    ("card 4111 1111 1111 1111", None, []),
    ("ZIP 94105-1234", ["phone"], []),
    ("IP 192.168.1.100", None, []),
    ("2024-01-15 10:30:00", None, []),
    ("The event starts at 12:30:45 UTC", None, []),
    ("version 1.2.3.4567", None, []),
    ("Sequence 1234 5678 90 is not a card", None, []),
    ("Numbers 111222333444 are identifiers", None, []),
    ("call 555-01", None, []),
    ("took 555-0143 ms", None, []),
    ("Order 12345678", ["phone"], []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_phone_numbers(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "PhoneNumberRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_number(value):
    assert gate_passes(value, phone.GATES)


@pytest.mark.parametrize(
    "value", ["2024-01-15T10:30:00Z INFO started", "at 12:30:45 UTC", "v2026.2.9", "Order 12345678"]
)
def test_gates_skip_timestamps_and_ids(value):
    assert not gate_passes(value, phone.GATES)


def test_datafog_phone_forms_are_found(detector):
    """Every phone number the DataFog corpus labels is found at 0.5 or more."""
    cases = [
        c
        for f in ("structured_pii", "mixed_pii", "edge_cases")
        for c in json.loads((DATASETS / "datafog" / f"{f}.json").read_text())
    ]
    cases = [c for c in cases if any(e["type"] == "PHONE" for e in c["expected_entities"])]
    hits = detector.detect(pa.array([c["input"] for c in cases]))
    for i, case in enumerate(cases):
        found = [h for h in hits if h.index == i]
        for e in (e for e in case["expected_entities"] if e["type"] == "PHONE"):
            assert any(h.start <= e["start"] and e["end"] <= h.end for h in found), (case["id"], e["text"])


def test_replaces_presidio_phone_recognizer():
    from pdscan.detectors.analyzer import build_analyzer

    names = [r.name for r in build_analyzer().registry.recognizers if ENTITY in r.supported_entities]
    assert names == ["PhoneNumberRecognizer"]


def test_weak_numbers_pass_the_phone_gates_only_beside_a_phone_word_of_their_own():
    """A phone word inside a token ("Mobile/15E148") or a kind word after a version number lifts
    nothing, so the weak numbers of such a line never reach the recognizer; a phone word that is a
    token of its own, or a kind word after a whole number, still lets them through."""
    import pyarrow as pa

    from pdscan.detectors import prefilter
    from pdscan.detectors.pipeline import Detector

    agent = '"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Version/17.1 Mobile/15E148 Safari/604.1"'
    lines = [
        f'81.250.212.187 - - [29/Nov/2025:00:00:00 +0000] "POST /api/v2/orders/6410438171551681308 HTTP/1.1" '
        f'200 53312 "https://shop.example.com/" {agent}',
        f"2025-11-29 INFO mobile 020 7946 0958 {agent}",
        f"2025-11-29 INFO 020 7946 0958 office {agent}",
    ]
    detector = Detector()
    values = pa.array(lines)
    masks = detector._context_checked(values, prefilter.candidates(values, detector.gates, detector.order), ())
    assert prefilter.candidates(values, detector.gates, detector.order)["phone"].tolist() == [True, True, True]
    assert masks["phone"].tolist() == [False, True, True]
    assert [h.value for h in detector.detect(values) if h.entity == "PHONE_NUMBER"] == ["020 7946 0958"] * 2
