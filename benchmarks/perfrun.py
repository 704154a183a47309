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

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.perfchild import child_main  # noqa: E402


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


def _warm_up() -> None:
    os.environ.setdefault("PDSCAN_KEY", "benchmark-key")
    from pdscan.detectors.analyzer import build_analyzer

    build_analyzer().analyze("warm up: Jane Doe wrote to jane@example.com", language="en")


def _run_jobs(jobs: list[dict]) -> dict:
    results = {}
    for job in jobs:
        results[job["name"]] = run(job["args"])
        if results[job["name"]]["code"] not in (0, 1):
            raise SystemExit(f"pdscan {' '.join(job['args'])} exited {results[job['name']]['code']}")
    return results


def main() -> None:
    child_main(__doc__, _warm_up, _run_jobs, workers=True)


if __name__ == "__main__":
    main()
