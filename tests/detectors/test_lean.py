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


def _mixed_log_lines(tmp_path_factory) -> list[str]:
    from benchmarks.logcorpus import write_logs

    folder = tmp_path_factory.mktemp("mixed")
    write_logs(folder, 300_000, seed=3, pii_rate=1 / 50)
    return [line for log in sorted(folder.glob("*.log")) for line in log.read_text().splitlines()[::3]]


def test_context_check_says_when_the_enhancer_changes_nothing(lines, tmp_path_factory):
    """Where ContextCheck finds no context word of a result's recognizer among the value's tokens,
    Presidio's enhancer (on the value's real tokens) leaves every result as it was."""
    analyzer = build_analyzer()
    engine, enhancer = analyzer.nlp_engine, analyzer.context_aware_enhancer
    recognizers = [r for r in analyzer.registry.recognizers if lean.supported(r) and r.context]
    check = lean.ContextCheck(engine)
    kept = raised = settled = 0
    extra = ["ip 10.0.0.1", "client ip=10.0.0.2 ok", "ip: a b c d e f 10.0.0.3", "the ip of it is 10.0.0.4"]
    for line in lines[::3] + _mixed_log_lines(tmp_path_factory) + extra:
        raw = [result for r in recognizers for result in lean.analyze(r, line)]
        if not raw:
            continue
        enhanced = enhancer.enhance_using_context(line, raw, engine.tokens_only(line), recognizers)
        if check.may_enhance(line, raw, recognizers):
            raised += _key(enhanced) != _key(raw)
            told = check.boosted(line, raw, recognizers, enhancer)
            if told is not None:
                assert _key(told) == _key(enhanced), line
                settled += 1
        else:
            assert _key(enhanced) == _key(raw), line
            kept += 1
    assert kept > 1000 and raised > 20 and settled > 20  # every case occurs on these lines


def test_context_check_reads_spacy_tokens_not_substrings():
    analyzer = build_analyzer()
    phone = next(r for r in analyzer.registry.recognizers if r.name == "PhoneNumberRecognizer")
    check = lean.ContextCheck(analyzer.nlp_engine)
    number = "call 212 555 0143"
    result = phone.analyze(number, ["PHONE_NUMBER"])
    assert result and check.may_enhance(number, result, [phone])  # "call": a token of its own
    glued = "callback_url=/x 212 555 0143"
    result = phone.analyze(glued, ["PHONE_NUMBER"])
    assert result and not check.may_enhance(glued, result, [phone])  # "callback" only inside a token
    assert check.may_enhance("ip 10.0.0.1", [result[0]], [])  # a result of a recognizer it was not given


def test_a_dotted_quad_called_valid_is_one_ipaddress_takes():
    import ipaddress
    import random

    rng = random.Random(7)
    called_valid = 0
    for _ in range(50_000):
        octets = [rng.choice([str(rng.randrange(300)), "0" + str(rng.randrange(100))]) for _ in range(4)]
        text = ".".join(octets) + rng.choice(["", f"/{rng.randrange(40)}", f"/0{rng.randrange(10)}"])
        if lean._plain_ipv4(text):
            called_valid += 1
            ipaddress.ip_interface(text)  # raises where the fast check is wrong
    assert called_valid > 500  # about 1 in 50: every octet and the prefix plain
    assert not lean._plain_ipv4("10.01.0.1") and not lean._plain_ipv4("10.0.0.1/33")


def test_tokens_put_together_from_segments_are_the_values_own(lines, tmp_path_factory):
    """What the enhancer reads (token offsets and lengths, lemmas, keywords) is the same from
    ContextCheck.artifacts as from tokenizing the whole value."""
    engine = build_analyzer().nlp_engine
    check = lean.ContextCheck(engine)
    odd = ["  two  blanks\tand a tab ", "\tlead", "trail  ", "a\u00a0b\u2003c \x1cd", "İstanbul ip:10.0.0.1 ok", "x"]
    for line in lines[::2] + _mixed_log_lines(tmp_path_factory) + odd:
        whole, joined = engine.tokens_only(line), check.artifacts(line)
        assert joined.tokens_indices == whole.tokens_indices, line
        assert [len(t) for t in joined.tokens] == [len(t) for t in whole.tokens], line
        assert joined.lemmas == whole.lemmas and joined.keywords == whole.keywords, line


def test_a_pattern_said_absent_does_not_match(lines, tmp_path_factory):
    """Where a SUPERSETS pattern finds nothing in one RE2 pass, the recognizer's own pattern finds nothing either."""
    import pyarrow as pa

    recognizers = {r.name: r for r in build_analyzer().registry.recognizers}
    odd = ["ab.\u212aZ", "x \u0130o.com", "\u017fhop.de/x", "café.com", "é.com", "a.b.c.io", "1.2.3.4", "x/shop.io"]
    values = lines + _mixed_log_lines(tmp_path_factory) + odd
    for (name, pattern_name), where in lean.absent(pa.array(values)).items():
        recognizer = recognizers[name]
        pattern = next(p for p in recognizer.patterns if p.name == pattern_name)
        compiled = __import__("regex").compile(pattern.regex, flags=recognizer.global_regex_flags)
        for value, cannot in zip(values, where):
            if cannot:
                assert compiled.search(value) is None, (pattern_name, value)
        assert where.sum() > len(values) / 2 and (~where).sum() > 100  # it does tell them apart
