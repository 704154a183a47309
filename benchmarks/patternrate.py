"""MB/s of the prefilter gates alone (one core) over files' values: the pattern stage.

    python benchmarks/patternrate.py FILE [FILE ...]

Two figures a file: every value through every gate (as if no column were ever decided: the worst
case, a dense table), and the gates' time in a real one-process scan of the file (columns decided
on their sample leave the gates), per MB of the values read. Moved here unchanged from the earlier
performance.py; docs/performance.md's earlier measurements used it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pattern_rates(path: Path) -> tuple[float, float]:
    """MB/s of the prefilter gates (one core) over a file's values: every value through every gate,
    and in a scan (columns decided on their sample skip the gates), per MB of the values read."""
    from pdscan.connectors.files import FileConnector
    from pdscan.core.keys import FingerprintKey
    from pdscan.core.model import ItemResult
    from pdscan.detectors import prefilter
    from pdscan.detectors.pipeline import Detector
    from pdscan.engine import Scanner, ScanOptions

    detector = Detector()
    connector = FileConnector(str(path))
    item = next(iter(connector.items([])))
    batches = list(connector.read(item, ItemResult("bench", str(path))))
    size = sum(b.values.nbytes for b in batches)
    every = 0.0
    for _ in range(3):
        started = time.process_time()
        for b in batches:
            prefilter.candidates(b.values, detector.gates)
        every = max(every, size / (time.process_time() - started) / 1e6)
    spent = [0.0]
    candidates = prefilter.candidates

    def timed(values, gates):
        started = time.process_time()
        try:
            return candidates(values, gates)
        finally:
            spent[0] += time.process_time() - started

    prefilter.candidates = timed
    try:
        Scanner(detector, FingerprintKey(b"bench"), ScanOptions(), emit=lambda f: None, warn=lambda _: None).scan(
            [str(path)]
        )
    finally:
        prefilter.candidates = candidates
    return every, size / spent[0] / 1e6


def main() -> None:
    for name in sys.argv[1:]:
        every, scanned = pattern_rates(Path(name))
        print(f"{name}: every value through every gate {every:.0f} MB/s; in a scan {scanned:.0f} MB/s")


if __name__ == "__main__":
    main()
