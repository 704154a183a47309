"""What the two children of benchmarks/performance.py share (perfrun.py: pdscan, perfpresidio.py:
Presidio): the command line `JOBS.json OUT.json [--cpu N]`, the model loaded before any timing,
and OUT.json with the load time, the peak RSS and each job's result."""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path


def child_main(
    doc: str, warm_up: Callable[[], None], run_jobs: Callable[[list], object], workers: bool = False
) -> None:
    """Parse the command line, pin to the core, time `warm_up`, run the jobs, write OUT.json.

    `workers`: the peak RSS is that of this process or its largest child (pdscan's workers), whichever is larger.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("jobs", help="a JSON list of jobs")
    parser.add_argument("out", help="where the results are written (JSON)")
    parser.add_argument("--cpu", type=int, help="pin this process to one core")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})  # threads started later are held to it too
    started = time.perf_counter()
    warm_up()
    load = time.perf_counter() - started
    results = run_jobs(json.loads(Path(args.jobs).read_text()))
    who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) if workers else (resource.RUSAGE_SELF,)
    peak = max(resource.getrusage(w).ru_maxrss for w in who) * 1024
    Path(args.out).write_text(json.dumps({"load_s": load, "peak_rss": peak, "results": results}))
