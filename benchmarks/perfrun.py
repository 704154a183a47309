"""pdscan's side of the benchmark, in a child process: load once, then time `pdscan scan` runs.

    python benchmarks/perfrun.py JOBS.json OUT.json [--cpu N]

JOBS.json is a list of {"name", "args"} (the arguments after `pdscan scan`). The process loads
spaCy and Presidio first (as the baseline's child does), then runs each job through the CLI in
this process, so a `--workers 1` job is timed without start-up, like Presidio's analyze calls.
With `--cpu` the process (and every thread it starts) is held to one core. OUT.json gets the load
time, each job's seconds, CPU seconds (this process and any workers) and exit code, and the peak
RSS of this process and of its largest worker.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(args: list[str]) -> dict:
    from pdscan.cli import cli

    cpu = _cpu()
    started = time.perf_counter()
    try:
        code = cli.main(["scan", *args], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    return {"seconds": time.perf_counter() - started, "cpu_s": _cpu() - cpu, "code": code or 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jobs")
    parser.add_argument("out")
    parser.add_argument("--cpu", type=int, help="pin this process to one core")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    os.environ.setdefault("PDSCAN_KEY", "benchmark-key")
    started = time.perf_counter()
    from pdscan.detectors.analyzer import build_analyzer

    build_analyzer().analyze("warm up: Jane Doe wrote to jane@example.com", language="en")
    load = time.perf_counter() - started
    results = {}
    for job in json.loads(Path(args.jobs).read_text()):
        results[job["name"]] = run(job["args"])
        if results[job["name"]]["code"] not in (0, 1):
            raise SystemExit(f"pdscan {' '.join(job['args'])} exited {results[job['name']]['code']}")
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    Path(args.out).write_text(json.dumps({"load_s": load, "peak_rss": peak * 1024, "results": results}))


if __name__ == "__main__":
    main()
