"""A column's cells give the hits Presidio's own `analyze` would: column-name context without
tokens (detectors/columncontext.py) and each distinct value detected once (Detector.detect)."""

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from pdscan.detectors import columncontext, pipeline, triage
from pdscan.detectors.analyzer import build_analyzer
from pdscan.detectors.pipeline import Detector, _reads_tokens
from tests.conftest import DATASETS

ROOT = Path(__file__).resolve().parents[2]
TABLES = [ROOT / "examples" / "customers.csv", DATASETS / "piicatcher" / "sample-data.csv"]
# column names whose words are context of some recognizer, and some that are not
# cells the tables lack: IBANs (valid and not), ABA routing numbers, a bare account number
EXTRA = ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR1420041010050500013M02606", "DE89370400440532013001",
         "026009593", "011000015", "123456789012", "4111 1111 1111 1111", "4111 1111 1111 1112"]  # fmt: skip
FIELDS = ["email", "phone", "card_number", "cc_number", "ssn", "iban", "account_number", "routing", "zip", "notes"]


def _columns() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in TABLES:
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                for name, value in row.items():
                    out.setdefault(name, []).append(value or "")
    return out


@pytest.fixture(scope="module")
def cells() -> list[str]:
    return sorted({v for values in _columns().values() for v in values if v} | set(EXTRA))


def _key(results):
    return sorted((r.entity_type, r.start, r.end, r.score, r.recognition_metadata["recognizer_name"]) for r in results)


@pytest.mark.parametrize("field", FIELDS)
def test_column_context_without_tokens_is_presidios_analyze(cells, field):
    analyzer = build_analyzer()
    engine, enhancer = analyzer.nlp_engine, analyzer.context_aware_enhancer
    every = {e for r in analyzer.registry.get_recognizers(language="en", all_fields=True) for e in r.supported_entities}
    entities = sorted(  # the entities no recognizer of which reads spaCy's output
        e for e in every if not any(map(_reads_tokens, analyzer.registry.get_recognizers(language="en", entities=[e])))
    )
    recognizers = analyzer.registry.get_recognizers(language="en", entities=entities)
    assert not any(_reads_tokens(r) for r in recognizers) and columncontext.applies(recognizers)
    words = tuple(w for r in recognizers for w in (r.context or ()))
    context = [field.replace("_", " ").split()[0], *field.split("_")[1:]]
    ids = columncontext.boosted(recognizers, context, enhancer)
    compared = raised = 0
    for text in cells:
        if triage.has_context(text, triage.context_pattern(words)):
            continue  # a context word in the cell: Presidio's analyze runs on its tokens
        expected = analyzer.analyze(
            text, language="en", entities=entities, nlp_artifacts=engine.tokens_only(text), context=context,
            score_threshold=0.0,
        )  # fmt: skip
        got = columncontext.analyze(text, entities, recognizers, ids, enhancer)
        assert _key(got) == _key(expected), text
        compared += 1
        raised += any(r.recognition_metadata["recognizer_identifier"] in ids for r in got)
    assert compared > 100
    if field not in ("notes", "zip"):
        assert ids and raised, "the column name raises some recognizer's results"


def test_boosted_matches_whole_words_of_the_column_name():
    analyzer = build_analyzer()
    recognizers = analyzer.registry.get_recognizers(language="en", entities=["EMAIL_ADDRESS", "CREDIT_CARD"])
    names = {r.id: r.name for r in recognizers}
    enhancer = analyzer.context_aware_enhancer
    assert "EmailAddressRecognizer" in {names[i] for i in columncontext.boosted(recognizers, ["email"], enhancer)}
    assert not columncontext.boosted(recognizers, ["emailing"], enhancer)  # whole words, as the enhancer matches
    assert not columncontext.boosted(recognizers, [], enhancer)


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.name)
def test_detect_gives_the_hits_of_the_cell_by_cell_presidio_path(table, monkeypatch):
    """Each column, repeated so that its values repeat, against the same detection with both
    shortcuts turned off (every cell through `analyze` with its tokens)."""
    columns = _columns_of(table)
    fast = {name: Detector().detect(pa.array(values * 3, pa.string()), field=name) for name, values in columns.items()}
    monkeypatch.setattr(pipeline, "DISTINCT_SHARE", -1.0)
    monkeypatch.setattr(Detector, "_column_boost", lambda self, wanted, context: None)
    slow_detector = Detector()
    for name, values in columns.items():
        slow = slow_detector.detect(pa.array(values * 3, pa.string()), field=name)
        assert fast[name] == slow, name
    assert sum(len(h) for h in fast.values()) > 50


def _columns_of(path) -> dict[str, list[str]]:
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return {name: [r[name] or "" for r in rows] for name in rows[0]}


def test_distinct_values_take_the_record_batchs_primed_masks(monkeypatch):
    """Columns primed together: the distinct values of a repeating column are gated from the
    primed masks (no RE2 pass of their own) and give the hits of a detection without priming."""
    from pdscan.detectors import prefilter

    columns = {name: pa.array(values * 3, pa.string()) for name, values in _columns_of(TABLES[0]).items()}
    alone = {name: Detector().detect(values, field=name) for name, values in columns.items()}
    detector = Detector()
    primed = detector.prime(list(columns.values()))
    passes = []
    real = prefilter._match
    monkeypatch.setattr(prefilter, "_match", lambda *a, **k: passes.append(1) or real(*a, **k))
    together = {name: detector.detect(values, field=name, primed=primed) for name, values in columns.items()}
    assert together == alone
    assert passes == []
