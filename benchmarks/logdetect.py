"""The detector stage on real logs: pdscan against Presidio on the same lines, one core, CPU seconds.

    python benchmarks/logdetect.py [--every N] [FILE ...]

Default files: the loghub logs in ../shared/datasets/loghub/. pdscan's `Detector.detect` gets every
line of a file as one Arrow array, as the text reader hands them over; Presidio's `AnalyzerEngine`
(all its English recognizers, the same spaCy model, loaded as `AnalyzerEngine()` loads it) analyzes
every Nth line of the same file one by one. Rates are bytes per CPU second of this process (one
core, start-up and model loading excluded for both), so the ratio compares the same work on the
same bytes. Findings per 1,000 lines are pdscan's, on every line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LOGHUB = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "loghub"


def presidio_engine():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from pdscan.detectors import offline
    from pdscan.detectors.analyzer import SPACY_MODEL

    offline.configure()
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    return offline.stock_presidio_offline(
        AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--every", type=int, default=10, help="Presidio analyzes every Nth line (default 10)")
    args = parser.parse_args()
    files = args.files or sorted(LOGHUB.glob("*.log"))

    import pyarrow as pa

    from pdscan.detectors.pipeline import Detector

    detector = Detector()
    detector.detect(pa.array(["warm-up: Ana Ruiz, 212-555-0143, ana@example.org, 10.0.0.1"]))
    presidio = presidio_engine()
    presidio.analyze("warm-up: Ana Ruiz, 212-555-0143", language="en")

    print("| file | lines | pdscan MB/s | Presidio KB/s | per core | findings per 1,000 lines (pdscan) |")
    print("|---|--:|--:|--:|--:|---|")
    totals = [0, 0.0, 0, 0.0]  # pdscan bytes, seconds; Presidio bytes, seconds
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        size = sum(len(line.encode()) for line in lines)
        started = time.process_time()
        hits = detector.detect(pa.array(lines))
        ours = time.process_time() - started
        sample = lines[:: args.every]
        sample_size = sum(len(line.encode()) for line in sample)
        started = time.process_time()
        for line in sample:
            presidio.analyze(line, language="en")
        theirs = time.process_time() - started
        totals = [totals[0] + size, totals[1] + ours, totals[2] + sample_size, totals[3] + theirs]
        found = Counter(h.entity for h in hits)
        per = ", ".join(f"{e} {n * 1000 / len(lines):.2f}" for e, n in sorted(found.items()))
        rate, base = size / ours, sample_size / theirs
        print(f"| {path.name} | {len(lines):,} | {rate / 1e6:.2f} | {base / 1e3:.1f} | {rate / base:.0f}x | {per} |")
    rate, base = totals[0] / totals[1], totals[2] / totals[3]
    print(f"| all | | {rate / 1e6:.2f} | {base / 1e3:.1f} | {rate / base:.0f}x | |")


if __name__ == "__main__":
    main()
