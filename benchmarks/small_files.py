"""Many small files and objects: files/s and ms per file, locally and from S3 (moto on loopback).

Writes N files of 1-2 KB (benchmarks/smallcorpus.py: NDJSON events, CSV orders, text logs, personal
data in about one file of 100), then times

* `pdscan scan DIR --no-store` with --workers 1 and with every core (wall time of the command,
  and the scan's own time as it reports it, which includes loading spaCy);
* the same scan in this process with the detector loaded, files in bundles (the default) and one
  by one (bundle_bytes=0), and checks that both give byte-identical findings and coverage;
* the fixed cost per file: the same number of one-line files that nothing in them reaches Presidio;
* the same objects from a moto server on 127.0.0.1, by the command and in this process;
* a cProfile of the bundled scan (top lines by own time).

    python benchmarks/small_files.py [--files 2000] [--keep DIR] [--no-s3] [--no-one-by-one] [--profile 20]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

from benchmarks.smallcorpus import MIXED, write_corpus  # noqa: E402
from pdscan.connectors.registry import ConnectorOptions  # noqa: E402
from pdscan.core.keys import FingerprintKey  # noqa: E402
from pdscan.detectors.pipeline import Detector  # noqa: E402
from pdscan.engine import Scanner, ScanOptions  # noqa: E402
from pdscan.parallel import LocalExecutor, default_workers  # noqa: E402
from pdscan.policy import load_policy  # noqa: E402
from pdscan.unitscan import ScanContext  # noqa: E402
from tests.connectors.s3server import DUMMY_ENV, MotoServer  # noqa: E402

KEY = FingerprintKey(b"small-files-bench-key")
BUCKET = "small-files"
_SECONDS = re.compile(r"in ([\d.]+) s$", re.M)


def cli(source: str, workers: int, out: Path, extra: tuple[str, ...] = ()) -> tuple[float, float | None]:
    """(wall seconds, the scan's own seconds as reported) of `pdscan scan SOURCE`."""
    env = {**os.environ, "PDSCAN_KEY": "small-files-bench-key"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pdscan", "scan", source, "--workers", str(workers), "--no-store", "--no-progress",
         "--format", "ndjson", "-o", str(out), *extra],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"pdscan failed ({done.returncode}): {done.stderr[-400:]}")
    match = _SECONDS.search(done.stderr)
    return wall, float(match.group(1)) if match else None


def scan_here(source: str, options: ScanOptions, detector: Detector, executor=None) -> tuple[float, list, list]:
    """(seconds, findings as JSON lines, coverage) of a scan in this process."""
    found: list = []
    scanner = Scanner(detector, KEY, options, emit=found.append, warn=lambda _: None, executor=executor)
    started = time.perf_counter()
    summary = scanner.scan([source])
    seconds = time.perf_counter() - started
    return seconds, [json.dumps(f.to_dict()) for f in found], [r.to_dict() for r in summary.items]


def rate(label: str, files: int, seconds: float, cores: int) -> None:
    print(f"  {label:58s} {seconds:7.2f} s  {files / seconds:7.0f} files/s  {1000 * seconds / files:6.2f} ms/file"
          f"  {files / seconds / cores:6.0f} files/s/core")  # fmt: skip


def fixed_cost_corpus(folder: Path, files: int) -> None:
    """One-line NDJSON files whose values no gate passes: what a file costs besides its data."""
    for i in range(files):
        sub = folder / f"part-{i // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:07d}.ndjson").write_text(json.dumps({"status": "ok", "n": "x" * (i % 7)}) + "\n")


def regex_calls(source: str, options: ScanOptions, detector: Detector) -> tuple[int, float]:
    """(calls, seconds) of pyarrow's match_substring_regex in a scan: each call compiles its RE2 pattern."""
    real = pc.match_substring_regex
    seen = [0, 0.0]

    def counted(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            seen[0] += 1
            seen[1] += time.perf_counter() - started

    pc.match_substring_regex = counted
    try:
        scan_here(source, options, detector)
    finally:
        pc.match_substring_regex = real
    return seen[0], seen[1]


def detector_time(source: str, options: ScanOptions, detector: Detector) -> list[tuple[str, float, int]]:
    """(field, seconds, values) of Detector.detect in a scan, most time first; None is text lines."""
    real = detector.detect
    spent: dict[str, list] = {}

    def timed(values, context=None, field=None, parts=None):
        started = time.perf_counter()
        try:
            return real(values, context, field, parts)
        finally:
            entry = spent.setdefault(str(field), [0.0, 0])
            entry[0] += time.perf_counter() - started
            entry[1] += len(values)

    detector.detect = timed
    try:
        scan_here(source, options, detector)
    finally:
        del detector.detect
    return sorted(((f, t, v) for f, (t, v) in spent.items()), key=lambda x: -x[1])


def profile(source: str, options: ScanOptions, detector: Detector, lines: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    scan_here(source, options, detector)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])


def upload(server: MotoServer, folder: Path) -> int:
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda p: client.put_object(Bucket=BUCKET, Key=str(p.relative_to(folder)), Body=p.read_bytes()),
                      files))  # fmt: skip
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="write the corpus here (reused if complete)")
    parser.add_argument("--no-s3", action="store_true")
    parser.add_argument("--no-one-by-one", action="store_true", help="skip the one-by-one scans (slow)")
    parser.add_argument("--profile", type=int, default=25, help="profile lines (0: no profile)")
    parser.add_argument("--kinds", default=",".join(MIXED), help="file kinds in turn (default: %(default)s)")
    args = parser.parse_args()
    cores = default_workers()
    scratch = Path(tempfile.mkdtemp(prefix="pdscan-small-"))
    corpus = args.keep or scratch / "corpus"
    kinds = tuple(args.kinds.split(","))
    tag = "" if kinds == MIXED else "-" + "-".join(kinds)
    marker = corpus.with_name(f"{corpus.name}.complete-{args.files}{tag}")  # beside it: not a file to scan
    if not marker.exists():
        counts = write_corpus(corpus, args.files, kinds=kinds)
        marker.write_text(json.dumps(counts))
    counts = json.loads(marker.read_text())
    n = counts["files"]
    print(f"corpus: {n} files, {counts['bytes'] / 1e6:.2f} MB ({counts['bytes'] / n:.0f} B/file), "
          f"{counts['pii_files']} with personal data; {cores} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip

    print("command line (wall; the scan's own time includes loading spaCy):")
    for workers in sorted({1, cores}):
        wall, own = cli(str(corpus), workers, scratch / f"cli{workers}.ndjson")
        rate(f"pdscan scan DIR --workers {workers} (wall)", n, wall, workers)
        if own:
            rate(f"pdscan scan DIR --workers {workers} (scan time)", n, own, workers)

    detector = Detector()
    detector.detect(pa.array(["warm up Maria Gonzalez maria@example.com"]))  # spaCy loaded outside the timing
    print("in this process, detector loaded:")
    bundled = ScanOptions()
    seconds, findings, items = scan_here(str(corpus), bundled, detector)
    rate("bundled, 1 core", n, seconds, 1)
    executor = LocalExecutor(ScanContext(detector, KEY, bundled, load_policy(), date.today()), cores)
    try:
        scan_here(str(corpus / "part-0000"), bundled, detector, executor)  # start the workers
        seconds, par_findings, par_items = scan_here(str(corpus), bundled, detector, executor)
        rate(f"bundled, {cores} workers", n, seconds, cores)
    finally:
        executor.close()
    print(f"  same findings and coverage with {cores} workers: {(par_findings, par_items) == (findings, items)}")
    if not args.no_one_by_one:
        seconds, one_findings, one_items = scan_here(str(corpus), ScanOptions(bundle_bytes=0), detector)
        rate("one by one (bundle_bytes=0), 1 core", n, seconds, 1)
        print(f"  byte-identical findings and coverage, bundled and one by one: {(one_findings, one_items) == (findings, items)}"
              f" ({len(findings)} findings)")  # fmt: skip
    for label, options in (("bundled", bundled), ("one by one", ScanOptions(bundle_bytes=0))):
        if label == "bundled" or not args.no_one_by_one:
            calls, spent = regex_calls(str(corpus), options, detector)
            print(
                f"  match_substring_regex, {label}: {calls} calls ({1000 * calls / n:.0f} per 1,000 files), {spent:.2f} s"
            )
    fixed = scratch / "fixed"
    fixed_cost_corpus(fixed, n)
    seconds, _, _ = scan_here(str(fixed), bundled, detector)
    rate("fixed cost: one-line files nothing reaches Presidio in, bundled", n, seconds, 1)
    if not args.no_one_by_one:
        seconds, _, _ = scan_here(str(fixed), ScanOptions(bundle_bytes=0), detector)
        rate("fixed cost, one by one", n, seconds, 1)

    if not args.no_s3:
        os.environ.update(DUMMY_ENV)
        server = MotoServer()
        try:
            upload(server, corpus)
            print(f"S3 (moto on 127.0.0.1:{server.port}, default fetch concurrency 8):")
            for workers in sorted({1, cores}):
                wall, own = cli(f"s3://{BUCKET}/", workers, scratch / f"s3-{workers}.ndjson",
                                ("--endpoint-url", server.endpoint))  # fmt: skip
                rate(f"pdscan scan s3://... --workers {workers} (wall)", n, wall, workers)
                if own:
                    rate(f"pdscan scan s3://... --workers {workers} (scan time)", n, own, workers)
            s3 = ScanOptions(connector=ConnectorOptions(endpoint_url=server.endpoint))
            seconds, s3_findings, _ = scan_here(f"s3://{BUCKET}/", s3, detector)
            rate("in this process, bundled, 1 core", n, seconds, 1)
            same = [json.loads(f)["entity"] for f in s3_findings] == [json.loads(f)["entity"] for f in findings]
            print(f"  the same findings (entities, in order) as the local files: {same}")
        finally:
            server.stop()

    print(
        "Detector.detect in the bundled scan, by field (None: text lines), values as detected (distinct where merged):"
    )
    for fld, seconds, values in detector_time(str(corpus), bundled, detector)[:8]:
        print(f"  {fld:12s} {seconds:7.2f} s  {values:7d} values  {1000 * seconds / n:6.2f} ms per file of the corpus")
    if args.profile:
        print(f"profile of the bundled scan in this process (top {args.profile} by own time):")
        profile(str(corpus), bundled, detector, args.profile)


if __name__ == "__main__":
    main()
