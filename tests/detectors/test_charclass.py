"""A gate's needs never claim more than its pattern requires, and the features are computed right."""

import json
import re

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdscan.detectors import prefilter
from pdscan.detectors.charclass import Features, parse
from tests.conftest import DATA, DATASETS

GATES = [g for g in prefilter.all_gates() if g.needs]

# Pieces the gates look for, so random strings reach their rarer branches.
PIECES = [
    *"0123456789aZé λ@:./+,-()#\t\n",
    "card ", "zip ", "rm ", "fl.", "Box ", "Mozilla/5.0 (", "curl/7", "P.O. Box ", "corner of ", "Apt ", "Rua ", "straße ",
    "Main St", "Inc", "my name is ", "Mr. ", "Jan 3, 1990", "phone: ", "www.", "https://", ".com",
    "GB82WEST", "Engineer", "::", "00:1a:2b:3c:4d:5e", "Ana Torres", "Street", "1993-04-07",
]  # fmt: skip


def _texts() -> list[str]:
    """Every line of the labeled datasets and of the test data: the text the gates are built for."""
    out: list[str] = []
    for path in sorted(DATASETS.rglob("*")):
        if path.suffix in {".json", ".csv", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                text = "\n".join(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
                text = json.loads(json.dumps(text))
            out += text.splitlines()
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and path.suffix in {".csv", ".txt", ".log", ".json", ".ndjson", ".tsv"}:
            out += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return out


def _violations(texts: list[str]) -> list[tuple[str, str]]:
    values = pa.array(texts, pa.string())
    features = Features(values)
    bad = []
    for gate in GATES:
        matched = prefilter._mask(values, gate.pattern)
        met = features.meet(gate.needs)
        bad += [(gate.name, texts[i]) for i in np.flatnonzero(matched & ~met)]
    return bad


def test_needs_hold_on_every_line_of_the_labeled_data_and_test_files():
    texts = _texts()
    assert len(texts) > 5000
    assert _violations(texts) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=40))
def test_needs_hold_on_random_strings(texts):
    assert _violations(texts) == []


def _reference(text: str | None) -> tuple[int, int, set[str]]:
    if text is None:
        return 0, 0, set()
    data = text.encode()
    present = set()
    for byte in data:
        char = chr(byte)
        if byte > 0x7F or char.isalpha():
            present |= {"A", "U", "L"} if byte > 0x7F else {"A", "U" if char.isupper() else "L"}
        elif char in " \t\n\v\f\r":
            present.add("S")
        else:
            present.add(char)
    return len(data), sum(48 <= b <= 57 for b in data), present


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(st.sampled_from("aZ9 @.:/+,-é\tx"), max_size=20)), min_size=1),
    st.data(),
)
def test_features_match_a_plain_reading_of_each_value_in_any_slice(values, data):
    start = data.draw(st.integers(0, len(values) - 1))
    stop = data.draw(st.integers(start, len(values)))
    array = pa.array(values, pa.string()).slice(start, stop - start)
    features = Features(array)
    for i, text in enumerate(values[start:stop]):
        length, digits, present = _reference(text)
        assert features.lengths[i] == length
        assert bool(features.meet("d1")[i]) == (digits > 0)
        for cls in ("U", "L", "S", "@", ":", ".", "/", "+", ",", "-"):
            need = cls if cls in "ULS" else f"[{cls}]"
            assert bool(features.meet(need)[i]) == (cls in present), (text, cls)


def test_needs_terms():
    assert parse("") == ()
    (term,) = parse("d9")
    assert (term.digits, term.length) == (9, 9)
    assert len(parse("U L S n4|U L [,] n4")) == 2
    with pytest.raises(ValueError, match="unknown term 'x9'"):
        parse("x9")


def test_masks_keep_every_match_and_ner_gates_exact():
    values = pa.array(
        ["Ana Torres", "ana@example.com", "call 212-555-0143", "536-90-4399", "id 42", "Acme Inc", None, ""]
    )
    gates = prefilter.all_gates()
    masks = prefilter.candidates(values, gates)
    for gate in gates:
        exact = prefilter._mask(values, gate.pattern)
        assert not (exact & ~masks[gate.name]).any(), gate.name
        if gate.ner:
            assert (exact == masks[gate.name]).all(), gate.name
    assert not masks["us_ssn.digits"][0] and not masks["name"][4]


def test_a_column_that_repeats_itself_gets_the_masks_of_every_value(monkeypatch):
    pool = ["active", "Ana Torres", "536-90-4399", "ana@example.com", "SKU-3136", "2026-06-20T10:00:00Z", None, ""]
    repetitive = pa.array([pool[(i * 7) % len(pool)] for i in range(20_000)])
    unique = pa.array([f"order {i} for Ana Torres" if i % 3 else None for i in range(20_000)])
    gates = prefilter.all_gates()
    assert prefilter._distinct(repetitive) is not None and prefilter._distinct(unique) is None
    for values in (repetitive, unique, repetitive.slice(5, 900)):
        got, want = prefilter.candidates(values, gates), prefilter._match(values, gates, prefilter.GateOrder())
        assert all((got[g.name] == want[g.name]).all() for g in gates)
    primed = prefilter.prime([repetitive, unique], gates)  # one call for a record batch's columns
    for values in (repetitive, unique, unique.slice(7, 300)):
        assert primed.lookup(values, gates) is not None  # found, a slice too, not recomputed
        got, want = (
            prefilter.candidates(values, gates, primed=primed),
            prefilter._match(values, gates, prefilter.GateOrder()),
        )
        assert all((got[g.name] == want[g.name]).all() for g in gates)
    assert primed.lookup(pa.array(["Ana Torres"]), gates) is None  # an array of another batch
    assert primed.lookup(repetitive, list(gates)) is None  # masks of other gates


def test_the_gate_order_learns_and_leaves_the_masks_alone():
    values = pa.array([f"mail ana{i}@example.com or call 212-555-{i % 10000:04d}" for i in range(3_000)])
    gates = prefilter.all_gates()
    order = prefilter.GateOrder()
    first = prefilter.candidates(values, gates, order)
    assert order.counts  # the gates that ran again counted their matches
    again = prefilter.candidates(values, gates, order)
    fresh = prefilter.candidates(values, gates)
    assert all((first[g.name] == again[g.name]).all() and (first[g.name] == fresh[g.name]).all() for g in gates)


def test_cardinality_from_a_sample():
    assert prefilter._cardinality(4096, 4096) == float("inf")  # all distinct: a column of unique values
    assert prefilter._cardinality(10, 4096) == pytest.approx(10)
    assert 8_000 < prefilter._cardinality(3_300, 4_096) < 10_000  # 9,000 codes show about 3,300
