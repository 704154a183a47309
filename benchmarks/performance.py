"""pdscan against Presidio, like with like: the same bytes, one core against one core, the same work.

    python benchmarks/performance.py [--quick] [--only loghub,logs,table,prose,small,old] [--json FILE]
                                     [--dir DIR] [--cpu N] [--loghub DIR] [--logs-mb 4] ...

Per corpus (benchmarks/perfcorpora.py): pdscan `--workers 1` and Presidio's AnalyzerEngine, each in a
child process held to the same core, each with its model loaded before the clock starts, on the
same bytes (a slice of identical bytes when Presidio cannot take the whole corpus in time): the
per-core ratio. Then pdscan on every core over the whole corpus, start to exit (the wall-clock
figure), peak RSS, precision and recall of both tools on the same slice, the look-alikes each
hit, and findings per 1,000 lines. Tables: pdscan's sampled default, every cell checked
(`column_sample: 0`) and `--granularity row`, beside Presidio cell by cell and presidio-structured
on the same rows. Markdown on stdout. Not run in CI. Presidio's part of a full run is about 12 minutes
on 2 cores; at 0.02-0.04 MB/s per core (the code of 2026-12-02) pdscan's part adds about 25 more,
at the targets' rates a minute or two. --quick: 7 minutes on that code.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import perfcorpora, perfreport, perfsummary  # noqa: E402
from benchmarks.perfcorpora import Corpus, _head  # noqa: E402

HERE = Path(__file__).resolve().parent
LOGHUB = HERE.parents[1] / "shared" / "datasets" / "loghub"
TIMEOUT = 3600
MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code, time.perf_counter() - t)
"""
EVERY_CELL = "column_sample: 0\n"  # the config that turns column sampling off
SIZES = {  # (full run, --quick)
    "loghub_lines": (None, 200),
    "logs_mb": (4.0, 1.0), "logs_slice_kb": (600, 100),
    "table_mb": (2.0, 1.0), "table_slice_kb": (150, 60),
    "prose_mb": (1.0, 0.2), "prose_slice_kb": (150, 20),
    "small_files": (1000, 300), "small_slice": (200, 100),
    "old_mb": (4.0, 1.0), "old_slice_kb": (300, 60),
}  # fmt: skip
CORPORA = ("loghub", "logs", "table", "prose", "small", "old")


def _env() -> dict:
    return {**os.environ, "PDSCAN_KEY": os.environ.get("PDSCAN_KEY", "benchmark-key")}


def scan_args(target: Path, out: Path, *extra: str) -> list[str]:
    return [str(target), "--no-store", "--format", "ndjson", "-o", str(out), "-q", *extra]


def one_core(jobs: list[dict], work: Path, cpu: int, script: str) -> dict:
    """Run a child (perfrun.py or perfpresidio.py) on one core over `jobs`; its JSON result."""
    spec, out = work / f"{script}.jobs.json", work / f"{script}.out.json"
    spec.write_text(json.dumps(jobs))
    cmd = [sys.executable, str(HERE / f"{script}.py"), str(spec), str(out), "--cpu", str(cpu)]
    done = subprocess.run(cmd, cwd=work, env=_env(), capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode:
        raise SystemExit(f"{script} failed ({done.returncode}): {done.stderr[-800:]}")
    return json.loads(out.read_text())


def all_cores(target: Path, out: Path, work: Path, *extra: str) -> dict:
    """`pdscan scan` on every core in a fresh process: seconds start to exit, peak RSS of the largest process."""
    cores = str(os.cpu_count() or 1)
    args = [sys.executable, "-m", "pdscan", "scan", *scan_args(target, out, "--workers", cores, *extra)]
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], cwd=work, env=_env(), capture_output=True,
                          text=True, timeout=TIMEOUT)  # fmt: skip
    peak, code, seconds = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"pdscan failed ({code}): {done.stderr[-800:]}")
    return {"seconds": float(seconds), "peak_rss": int(peak), "workers": int(cores)}


def warmup(c: Corpus, work: Path) -> dict:
    """A first scan of a few KB of every file kind in the corpus, so lazy imports are not timed."""
    folder = work / "warmup"
    folder.mkdir(exist_ok=True)
    for p in sorted(c.slice.iterdir())[:8]:
        _head(p, folder / p.name, 5000)
    return {"name": "warmup", "args": scan_args(folder, work / "warmup.ndjson", "--workers", "1")}


def bench_text(c: Corpus, work: Path, cpu: int) -> dict:
    """Logs, prose and small files: line by line (small files: file by file) against Presidio."""
    jobs = [warmup(c, work), {"name": "slice", "args": scan_args(c.slice, work / "slice.ndjson", "--workers", "1")}]
    if c.whole != c.slice:
        jobs.append({"name": "whole", "args": scan_args(c.whole, work / "whole.ndjson", "--workers", "1")})
    for p in c.files:
        jobs.append({"name": f"file:{p.name}", "args": scan_args(p, work / f"file-{p.name}.ndjson", "--workers", "1")})
    sources = c.files or sorted(c.slice.iterdir())
    if c.key == "small":
        presidio_jobs = [{"kind": "files", "paths": [str(p) for p in sources]}]
    else:
        presidio_jobs = [{"kind": "lines", "path": str(p)} for p in sources]
    return {
        "pdscan": one_core(jobs, work, cpu, "perfrun"),
        "all_cores": all_cores(c.whole, work / "all.ndjson", work),
        "presidio": one_core(presidio_jobs, work, cpu, "perfpresidio"),
    }


def bench_table(c: Corpus, work: Path, cpu: int) -> dict:
    """Logs + CSV: pdscan's three ways with tables, Presidio line by line and cell by cell, presidio-structured."""
    config = work / "every-cell.yaml"
    config.write_text(EVERY_CELL)
    modes = {"sampled": (), "every": ("--config", str(config)), "row": ("--granularity", "row")}
    jobs = [warmup(c, work)]
    for mode, extra in modes.items():
        for part, target in (("slice", c.slice), ("whole", c.whole), ("csv", c.slice / "customers.csv")):
            # the CSV alone: every cell and by row; the whole corpus: not by row
            if (part, mode) in (("csv", "sampled"), ("whole", "row")):
                continue
            out = work / f"{part}-{mode}.ndjson"
            jobs.append({"name": f"{part}-{mode}", "args": scan_args(target, out, "--workers", "1", *extra)})
    logs = [p for p in sorted(c.slice.iterdir()) if p.suffix == ".log"]
    csv_path = str(c.slice / "customers.csv")
    presidio_jobs = [{"kind": "lines", "path": str(p)} for p in logs]
    presidio_jobs += [{"kind": "cells", "path": csv_path}, {"kind": "structured", "path": csv_path}]
    return {
        "pdscan": one_core(jobs, work, cpu, "perfrun"),
        "all_cores": {
            mode: all_cores(c.whole, work / f"all-{mode}.ndjson", work, *modes[mode]) for mode in ("sampled", "every")
        },  # fmt: skip
        "presidio": one_core(presidio_jobs, work, cpu, "perfpresidio"),
    }


def build(args, base: Path) -> list[Corpus]:
    size = {
        k: (v[1] if args.quick else v[0]) if getattr(args, k) is None else getattr(args, k) for k, v in SIZES.items()
    }
    makers = {
        "loghub": lambda: perfcorpora.loghub(base, Path(args.loghub), size["loghub_lines"]),
        "logs": lambda: perfcorpora.mixed_logs(base, size["logs_mb"], size["logs_slice_kb"]),
        "table": lambda: perfcorpora.log_and_csv(base, size["table_mb"], size["table_slice_kb"]),
        "prose": lambda: perfcorpora.prose(base, size["prose_mb"], size["prose_slice_kb"]),
        "small": lambda: perfcorpora.small_files(base, int(size["small_files"]), int(size["small_slice"])),
        "old": lambda: perfcorpora.old_log(base, size["old_mb"], size["old_slice_kb"]),
    }
    return [makers[k]() for k in args.only.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpora and slices (minutes, not tens of minutes)")
    parser.add_argument("--only", default="loghub,logs,table,prose,small",
                        help="corpora to run, comma-separated, of " + ",".join(CORPORA) + " (old: the earlier log, not by default)")  # fmt: skip
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--reuse-runs", action="store_true", help="score the runs kept in DIR/runs again, do not run")
    parser.add_argument("--from-json", help="print the report of a saved run (DIR/results.json, --json) and stop")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "pdscan-performance-v2"),
                        help="corpus folder (kept, reused)")  # fmt: skip
    parser.add_argument("--cpu", type=int, default=(os.cpu_count() or 1) - 1, help="the core both tools run on")
    parser.add_argument("--loghub", default=str(LOGHUB), help="the loghub *_2k.log files")
    parser.add_argument("--loghub-lines", type=int, help="first lines of each loghub file (default: all; quick 200)")
    for key in SIZES:
        if key != "loghub_lines":
            parser.add_argument(
                "--" + key.replace("_", "-"), type=float, help=f"default {SIZES[key][0]} (quick {SIZES[key][1]})"
            )
    args = parser.parse_args()
    unknown = set(args.only.split(",")) - set(CORPORA)
    if unknown:
        parser.error(f"--only: unknown corpora {', '.join(sorted(unknown))}")
    if "loghub" in args.only and not Path(args.loghub).is_dir():
        parser.error(
            f"{args.loghub}: not found (the shared datasets lie beside the repository; or --only without loghub)"
        )
    base = Path(args.dir)
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        print(perfreport.markdown(saved["results"], saved["cpu"], saved["quick"]))
        return
    corpora = build(args, base / "corpora")
    results = {}
    for c in corpora:
        work = base / "runs" / c.key
        work.mkdir(parents=True, exist_ok=True)
        print(f"running {c.key} ...", file=sys.stderr, flush=True)
        before = os.getloadavg()[0]
        stored = work / "raw.json"
        if args.reuse_runs and stored.exists():
            raw = json.loads(stored.read_text())
        else:
            raw = bench_table(c, work, args.cpu) if c.key == "table" else bench_text(c, work, args.cpu)
            stored.write_text(json.dumps(raw))
        results[c.key] = perfsummary.summarize(c, raw, work)
        results[c.key]["loadavg"] = (before, os.getloadavg()[0])
        saved = json.dumps({"cpu": args.cpu, "quick": args.quick, "results": results}, indent=1, default=str)
        (base / "results.json").write_text(saved)  # after every corpus: a stopped run keeps what it measured
        if args.json:
            Path(args.json).write_text(saved)
    print(perfreport.markdown(results, args.cpu, args.quick))


if __name__ == "__main__":
    main()
