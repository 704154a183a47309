"""Throughput of pdscan on seeded corpora, beside Presidio's plain analyze on a slice.

    python benchmarks/throughput.py [--mb 50] [--presidio-kb 200] [--keep DIR]

Prints MB/s end to end (read + prefilter + Presidio + findings), the prefilter stage
alone, how many values reached Presidio and spaCy, and Presidio's chars/s line by line.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import write_log  # noqa: E402
from pdscan.connectors.files import FileConnector  # noqa: E402
from pdscan.core.keys import FingerprintKey  # noqa: E402
from pdscan.core.model import ItemResult  # noqa: E402
from pdscan.detectors import prefilter  # noqa: E402
from pdscan.detectors.pipeline import Detector  # noqa: E402
from pdscan.engine import Scanner, ScanOptions  # noqa: E402

TICKETS = (
    "Customer {name} called about a billing error on invoice {n}; asked us to email {email}.",
    "Site visit scheduled with {name} at the Atlanta office, call back on {phone}.",
    "The router firmware was upgraded and the customer confirmed the service is stable again.",
    "Escalated to tier 2 after the third dropped call this week; no customer data needed.",
    "Please update the contact for account {n} to {name}, thanks.",
)


def write_csv(path: Path, size: int, seed: int = 3) -> None:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "email", "phone", "card", "amount", "status", "sku", "created", "remark"])
        written = 0
        i = 0
        while written < size:
            row = [i, fake.name(), fake.email(), fake.numerify("(###) ###-####"), fake.credit_card_number(),
                   f"{rng.uniform(1, 999):.2f}", rng.choice(["active", "closed", "late"]), f"SKU-{rng.randint(1000, 9999)}",
                   f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
                   rng.choice(["ok", "called twice", "prefers email", "no answer"])]  # fmt: skip
            w.writerow(row)
            written += sum(len(str(x)) + 1 for x in row)
            i += 1


def write_tickets(path: Path, size: int, seed: int = 5) -> None:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    with open(path, "w") as fh:
        written = 0
        while written < size:
            line = rng.choice(TICKETS).format(
                name=fake.name(), email=fake.email(), phone=fake.numerify("(###) ###-####"), n=rng.randint(10**5, 10**6)
            )
            fh.write(line + "\n")
            written += len(line) + 1


def scan(path: Path, detector: Detector) -> tuple[float, int, int]:
    findings = []
    scanner = Scanner(detector, FingerprintKey(b"bench"), ScanOptions(), emit=findings.append, warn=lambda _: None)
    started = time.perf_counter()
    scanner.scan([str(path)])
    return time.perf_counter() - started, len(findings), path.stat().st_size


def prefilter_rate(path: Path, detector: Detector) -> float:
    """MB/s of the gates alone over the file's values (columns or lines)."""
    connector = FileConnector(str(path))
    item = next(iter(connector.items([])))
    batches = list(connector.read(item, ItemResult("bench", str(path))))
    size = sum(b.values.nbytes for b in batches)
    started = time.perf_counter()
    for b in batches:
        prefilter.candidates(b.values, detector.gates)
    return size / (time.perf_counter() - started) / 1e6


def presidio_rate(path: Path, kb: int) -> float:
    """chars/s of Presidio's AnalyzerEngine.analyze, line by line, on the first `kb` KB."""
    from benchmarks.perfpresidio import analyzer as presidio_analyzer

    analyzer = presidio_analyzer()
    lines, total = [], 0
    with open(path) as fh:
        for line in fh:
            lines.append(line.rstrip("\n"))
            total += len(line)
            if total >= kb * 1000:
                break
    started = time.perf_counter()
    for line in lines:
        analyzer.analyze(line, language="en")
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="size of each corpus (tickets: a tenth of it)")
    parser.add_argument("--presidio-kb", type=int, default=200, help="slice Presidio analyzes line by line (0: skip)")
    parser.add_argument("--keep", help="write the corpora here and keep them")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="pdscan-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    size = int(args.mb * 1e6)
    corpora = {
        "log (sparse PII)": (folder / "app.log", lambda p: write_log(p, size, pii_every=2_000)),
        "CSV customers (dense PII)": (folder / "customers.csv", lambda p: write_csv(p, size)),
        "support tickets (prose)": (folder / "tickets.txt", lambda p: write_tickets(p, size // 10)),
    }
    detector = Detector()
    _ = detector.analyzer  # load the model outside the timings
    print(
        f"{'corpus':28} {'MB':>7} {'s':>7} {'MB/s':>7} {'prefilter MB/s':>15} {'to Presidio':>12} {'to spaCy':>9} {'findings':>9}"
    )
    for label, (path, make) in corpora.items():
        if not path.exists():
            make(path)
        before = dict(detector.stats)
        seconds, found, nbytes = scan(path, detector)
        seen = {k: detector.stats[k] - before[k] for k in before}
        share = seen["candidates"] / max(seen["values"], 1)
        ner = seen["ner"] / max(seen["values"], 1)
        print(
            f"{label:28} {nbytes / 1e6:7.1f} {seconds:7.1f} {nbytes / 1e6 / seconds:7.2f} "
            f"{prefilter_rate(path, detector):15.0f} {share:11.2%} {ner:8.2%} {found:9d}"
        )
        if args.presidio_kb:
            rate = presidio_rate(path, args.presidio_kb)
            print(f"{'':28} Presidio analyze line by line: {rate / 1e3:.1f} K chars/s -> pdscan is "
                  f"{nbytes / seconds / rate:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
