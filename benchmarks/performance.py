"""pdscan against Presidio on one seeded corpus: throughput, ratios, peak memory and accuracy.

    python benchmarks/performance.py [--mb 100] [--slice-kb 1000] [--workers N] [--rss-mb 100,1000] [--dir DIR]

pdscan scans the whole corpus (a child process, all cores unless --workers); Presidio's
AnalyzerEngine runs line by line / cell by cell on the first `--slice-kb` of the same files
(the naive approach is too slow for more) and presidio-structured classifies the tables'
columns. Rates are compared per byte. Accuracy is on the labeled part: planted values in the
log ((line, entity) pairs), the tables' columns, and the tickets' template entities.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import perfcorpus  # noqa: E402
from benchmarks.corpus import write_log  # noqa: E402
from benchmarks.perfpresidio import presidio_lines, presidio_structured, presidio_table  # noqa: E402
from benchmarks.perfscore import prf, table_columns, ticket_labels  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code, time.perf_counter() - t)
"""


def run_pdscan(target: Path, out: Path, workers: int | None) -> tuple[float, int]:
    """(seconds, peak RSS of the largest process) of `pdscan scan target`."""
    args = [
        sys.executable,
        "-m",
        "pdscan",
        "scan",
        str(target),
        "--no-store",
        "--format",
        "ndjson",
        "-o",
        str(out),
        "-q",
    ]
    if workers:
        args += ["--workers", str(workers)]
    env = {**os.environ, "PDSCAN_KEY": os.environ.get("PDSCAN_KEY", "benchmark-key")}
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, env=env)
    peak, code, seconds = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"pdscan failed ({code}): {done.stderr[-500:]}")
    return float(seconds), int(peak)


def findings(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def pattern_rates(path: Path) -> tuple[float, float]:
    """MB/s of the prefilter gates (one core) over a file's values: every value through every gate,
    and in a scan (columns decided on their sample skip the gates), per MB of the values read."""
    from pdscan.connectors.files import FileConnector
    from pdscan.detectors import prefilter
    from pdscan.detectors.pipeline import Detector
    from pdscan.engine import Scanner, ScanOptions
    from pdscan.keys import FingerprintKey
    from pdscan.model import ItemResult

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


def records(folder: Path) -> int:
    """Lines, table rows and events in a corpus folder (a CSV's header is not a row)."""
    import pyarrow.parquet as pq

    total = 0
    for path in folder.iterdir():
        if path.suffix == ".parquet":
            total += pq.ParquetFile(path).metadata.num_rows
        else:
            with open(path, "rb") as fh:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
            total -= path.suffix == ".csv"
    return total


def row(label, mb, seconds, rate, rows, presidio, structured, peak, accuracy) -> str:
    ratio = f"{rate / presidio:.0f}x" if presidio else "-"
    vs_structured = f"{rate / structured:.0f}x" if structured else "-"
    return (f"| {label} | {mb:.0f} | {seconds:.1f} | {rate / 1e6:.2f} | {rows / seconds:,.0f} | {presidio / 1e3:.1f} | "
            f"{ratio} | {vs_structured} | {peak / 2**20:.0f} | {accuracy} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100, help="size of the mixed corpus (tickets: a tenth)")
    parser.add_argument("--slice-kb", type=int, default=1000, help="bytes of each corpus Presidio analyzes")
    parser.add_argument("--workers", type=int, help="pdscan --workers (default: all cores)")
    parser.add_argument("--rss-mb", default="", help="also scan logs of these sizes (MB, comma-separated)")
    parser.add_argument("--dir", default="/tmp/pdscan-performance", help="corpus folder (kept, reused)")
    args = parser.parse_args()
    base = Path(args.dir)
    total = int(args.mb * 1e6)
    mixed = corpus(base / f"mixed-{args.mb:g}", lambda d: perfcorpus.write_mixed(d, total))
    prose = corpus(base / f"prose-{args.mb:g}", lambda d: perfcorpus.write_tickets(d / "tickets.txt", total // 10))
    slice_bytes = args.slice_kb * 1000
    print(f"machine: {os.cpu_count()} cores, {_cpu()}; pdscan workers: {args.workers or 'all cores'}\n")
    print("| corpus | MB | s | pdscan MB/s | lines and rows/s | Presidio K chars/s | vs Presidio "
          "| vs presidio-structured | peak RSS MiB | accuracy (P/R) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")

    # mixed: logs with sparse PII + tables + events
    out = base / "mixed.ndjson"
    seconds, peak = run_pdscan(mixed, out, args.workers)
    size = sum(p.stat().st_size for p in mixed.iterdir())
    found = findings(out)
    log = mixed / "app.log"
    labeled = {"EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD", "PERSON"}  # what the log's PII lines hold
    got = {(f["location"]["line"], f["entity"]) for f in found if f["location"]["container"].endswith("app.log")}
    log_acc = prf({g for g in got if g[1] in labeled}, perfcorpus.log_labels(log))
    tables = {k: table_columns(found, k) for k in ("customers.csv", "customers.parquet")}
    expected = set(perfcorpus.TABLE_LABELS.items())
    table_acc = prf(tables["customers.csv"], expected) + " " + prf(tables["customers.parquet"], expected)
    p_log, p_log_found = presidio_lines(log, int(slice_bytes * 0.6))
    p_table, p_table_cols = presidio_table(mixed / "customers.csv", int(slice_bytes * 0.4))
    presidio_rate = slice_bytes / (int(slice_bytes * 0.6) / p_log + int(slice_bytes * 0.4) / p_table)
    s_rate, s_cols = presidio_structured(mixed / "customers.csv", int(slice_bytes * 0.4))
    accuracy = (
        f"pdscan log {log_acc}, tables {table_acc}; Presidio log slice "
        f"{prf({g for g in p_log_found if g[1] in labeled}, perfcorpus.log_labels(log, int(slice_bytes * 0.6)))}, table {prf(p_table_cols, expected)}"
    )
    if s_cols is not None:
        accuracy += f"; presidio-structured table {prf(s_cols, expected)}"
    print(row("mixed log+CSV+Parquet+NDJSON (sparse PII)", size / 1e6, seconds, size / seconds, records(mixed),
              presidio_rate, s_rate, peak, accuracy))  # fmt: skip

    # prose: support tickets, most lines need NER
    tickets = prose / "tickets.txt"
    out = base / "prose.ndjson"
    seconds, peak = run_pdscan(prose, out, args.workers)
    size = tickets.stat().st_size
    got = {(f["location"]["line"], f["entity"]) for f in findings(out)}
    wanted = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    p_rate, p_found = presidio_lines(tickets, slice_bytes // 4, entities=sorted(wanted))
    accuracy = (
        f"pdscan {prf({g for g in got if g[1] in wanted}, ticket_labels(tickets))}; Presidio slice "
        f"{prf({g for g in p_found if g[1] in wanted}, ticket_labels(tickets, slice_bytes // 4))}"
    )
    print(
        row("support tickets (prose)", size / 1e6, seconds, size / seconds, records(prose), p_rate, 0, peak, accuracy)
    )

    print("\npattern stage (prefilter gates, one core, MB/s of the values read):")
    for name in ("customers.csv", "customers.parquet"):
        every, scanned = pattern_rates(mixed / name)
        print(f"  {name}: every value through every gate {every:.0f}; in a scan {scanned:.0f}")
    print(f"  app.log: {pattern_rates(log)[0]:.0f}")
    foreign = corpus(base / "foreign", lambda d: perfcorpus.write_foreign(d / "lines.txt", 4_000_000))
    print(f"  text in German, Russian, Greek and Japanese: {pattern_rates(foreign / 'lines.txt')[0]:.0f}")
    for mb in [float(x) for x in args.rss_mb.split(",") if x]:
        size = int(mb * 1e6)
        path = corpus(base / f"log-{mb:g}MB", lambda d, n=size: write_log(d / "app.log", n, pii_every=20_000))
        path /= "app.log"
        seconds, peak = run_pdscan(path, base / "rss.ndjson", args.workers)
        print(f"log {mb:g} MB: {seconds:.1f} s, {mb / seconds:.1f} MB/s, peak RSS per process {peak / 2**20:.0f} MiB")


def corpus(folder: Path, write) -> Path:
    """A corpus folder, written once: into a scratch folder renamed when complete, so a run
    stopped halfway never leaves a partial corpus for the next one to reuse."""
    if not folder.exists():
        scratch = folder.with_name(folder.name + ".partial")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        write(scratch)
        scratch.rename(folder)
    return folder


def _cpu() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
