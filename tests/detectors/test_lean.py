"""The lean pattern runner gives what each recognizer's own `analyze` gives, on real logs and labeled text."""

import json

import pytest

from pdscan.detectors import lean
from pdscan.detectors.analyzer import build_analyzer
from tests.conftest import DATASETS


def _lines() -> list[str]:
    lines = []
    for log in sorted((DATASETS / "loghub").glob("*.log")):
        lines += log.read_text(encoding="utf-8", errors="replace").splitlines()[::4]
    synth = json.loads((DATASETS / "presidio-research" / "synth_dataset_v2.json").read_text())
    lines += [line for doc in synth for line in doc["full_text"].splitlines()]
    # every shape of Presidio's IPv6 patterns, and near misses
    lines += [
        "from fe80::1%eth0 and 2001:db8:85a3:0:0:8a2e:370:7334",
        "mapped ::ffff:192.0.2.1, embedded 64:ff9b::192.0.2.33 and 1:2:3:4:5:6:192.0.2.7/96",
        "loopback ::1, unspecified ::, route ::/0, 1::, ::2:3:4:5:6:7:8, 1:2:3:4:5:6:7::",
        "times 12:30:45:10:11:12 and MAC 00:1a:2b:3c:4d:5e, FF:F2:9F:16:E2:23:00:0D",
    ]
    return lines


def _key(results):
    return sorted((r.entity_type, r.start, r.end, r.score, r.recognition_metadata["recognizer_name"]) for r in results)


@pytest.fixture(scope="module")
def lines():
    return _lines()


def test_every_pattern_recognizer_of_pdscan_runs_lean():
    supported = [r.name for r in build_analyzer().registry.recognizers if lean.supported(r)]
    assert {
        "IpRecognizer",
        "EmailAddressRecognizer",
        "WebUrlRecognizer",
        "PaymentCardRecognizer",
        "UsEinRecognizer",
    } <= set(supported)
    assert "IbanRecognizer" not in supported  # it overrides analyze itself


def test_lean_results_are_the_recognizers_own(lines):
    recognizers = [r for r in build_analyzer().registry.recognizers if lean.supported(r)]
    found = 0
    for recognizer in recognizers:
        entities = recognizer.supported_entities
        for line in lines:
            expected = _key(recognizer.analyze(line, entities))
            assert _key(lean.analyze(recognizer, line)) == expected, (recognizer.name, line)
            found += len(expected)
    assert found > 1000  # the lines do hold matches
