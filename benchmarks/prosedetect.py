"""The detector stage on prose: pdscan against Presidio on the same lines, one core, CPU seconds.

    python benchmarks/prosedetect.py [--lines N] [--every N] [--profile OUT]

Two texts: support tickets (`tablecorpus.write_tickets`, one ticket a line) and real posts
(../shared/datasets/wnut17/dev.conll then train.conll, one sentence a line, its tokens joined by spaces). Timed as
benchmarks/logdetect.py times logs: pdscan's `Detector.detect` gets all N lines as one Arrow
array, Presidio's `AnalyzerEngine` analyzes every Nth line one by one; rates are bytes per CPU
second of this process, model loading excluded. `--profile OUT` writes pdscan's cProfile stats
(OUT.tickets, OUT.wnut17) and (slower than without it). NER share: the CPU seconds of spaCy's `nlp.pipe`
(the model) over pdscan's.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from logdetect import presidio_engine  # noqa: E402

WNUT17 = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "wnut17" / "dev.conll"


def tickets(count: int) -> list[str]:
    from tablecorpus import write_tickets

    with tempfile.TemporaryDirectory() as folder:
        write_tickets(Path(folder), count * 300)
        return (Path(folder) / "tickets.txt").read_text(encoding="utf-8").splitlines()[:count]


def posts(count: int) -> list[str]:
    out, words = [], []
    text = WNUT17.read_text(encoding="utf-8") + "\n\n" + WNUT17.with_name("train.conll").read_text(encoding="utf-8")
    for line in text.splitlines() + [""]:
        if line.strip():
            words.append(line.split("\t")[0])
        elif words:
            out.append(" ".join(words))
            words = []
    return out[:count]


class TimedPipe:
    """spaCy's `nlp.pipe` with the CPU seconds of the model's runs added up (it runs to the end at once)."""

    def __init__(self, nlp) -> None:
        self.nlp, self.pipe, self.seconds = nlp, nlp.pipe, 0.0

    def __call__(self, texts, **kwargs):
        started = time.process_time()
        docs = list(self.pipe(texts, **kwargs))
        self.seconds += time.process_time() - started
        return iter(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--every", type=int, default=5, help="Presidio analyzes every Nth line (default 5)")
    parser.add_argument("--profile", type=Path, help="write pdscan's cProfile stats to OUT.tickets, OUT.wnut17")
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args()

    import pyarrow as pa

    from pdscan.detectors.pipeline import Detector

    warm = pa.array(["warm-up: Ana Ruiz, 212-555-0143, ana@example.org, 10.0.0.1"])
    Detector().detect(warm)
    presidio = None if args.no_presidio else presidio_engine()
    if presidio:
        presidio.analyze("warm-up: Ana Ruiz, 212-555-0143", language="en")

    print("| text | lines | pdscan KB/s | Presidio KB/s | per core | NER share | hits |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for name, lines in (("tickets", tickets(args.lines)), ("wnut17", posts(args.lines))):
        size = sum(len(line.encode()) for line in lines)
        detector = Detector()  # a fresh one: nothing of these lines in its NER cache
        nlp = detector.analyzer.nlp_engine.nlp["en"]
        nlp.pipe = timed = TimedPipe(nlp)
        started = time.process_time()
        hits = detector.detect(pa.array(lines))
        ours = time.process_time() - started
        del nlp.pipe
        share = f"{timed.seconds / ours:.0%}"
        if args.profile:  # the profiler's own cost inflates Python-level calls: seconds above are without it
            names = {"Detector": Detector, "pa": pa, "lines": lines}
            out = str(args.profile.with_suffix(f".{name}"))
            cProfile.runctx("Detector().detect(pa.array(lines))", globals(), names, out)
        base = ratio = "-"
        if presidio:
            sample = lines[:: args.every]
            started = time.process_time()
            for line in sample:
                presidio.analyze(line, language="en")
            theirs = time.process_time() - started
            rate = sum(len(line.encode()) for line in sample) / theirs
            base, ratio = f"{rate / 1e3:.1f}", f"{size / ours / rate:.1f}x"
        print(f"| {name} | {len(lines):,} | {size / ours / 1e3:.1f} | {base} | {ratio} | {share} | {len(hits)} |")


if __name__ == "__main__":
    main()
