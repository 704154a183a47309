"""Golden outputs: record what pdscan prints today, compare after a refactoring.

    python benchmarks/golden.py record DIR     # with the pdscan to keep (e.g. before a move)
    python benchmarks/golden.py compare DIR    # with the pdscan under test; exit 1 on a difference

It runs `pdscan scan` (ndjson, json, sarif, csv, text; one worker) on the bundled examples, on a
seeded benchmark corpus, on every real and labeled dataset in ../shared/datasets/, and every
report, history and DSAR command on a store built from the examples. Outputs are compared after
masking what changes from run to run (timestamps, durations, temporary paths, scan ids' times).
A refactoring that keeps behaviour leaves every file identical.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_log  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
KEY = "golden-fingerprint-key-0123456789abcdef"
PERSON = "name: Jason Collins\nemail: wallsjennifer@example.org\n"
VOLATILE = (
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?"), "TS"),
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms|MB/s|KB/s)\b"), "N"),
    (re.compile(r'"(duration|elapsed|seconds|took|started|ended)[a-z_]*": ?[0-9.e+-]+'), r'"\1": N'),
    (re.compile(r"/tmp/golden-[A-Za-z0-9_]+"), "TMP"),
)


def commands(work: Path) -> dict[str, list[str]]:
    """Name -> pdscan arguments, run in `work` (which holds ex/, corpus/ and person.yaml)."""
    store = str(work / "s.db")
    one = ["--workers", "1", "-q"]
    out = {
        "examples_ndjson": ["scan", "ex", "--format", "ndjson", "--no-store", *one],
        "examples_json": ["scan", "ex", "--format", "json", "--no-store", *one],
        "examples_sarif": ["scan", "ex", "--format", "sarif", "--no-store", *one],
        "examples_csv_rows": ["scan", "ex", "--format", "csv", "--granularity", "row", "--no-store", *one],
        "examples_text": ["scan", "ex", "--no-store", *one],
        "corpus_ndjson": ["scan", "corpus", "--format", "ndjson", "--no-store", *one],
        "datasets_ndjson": ["scan", str(DATASETS), "--format", "ndjson", "--no-store", *one],
        "store_scan": ["scan", "ex", "--format", "json", "--store", store, *one],
        "store_rescan": ["scan", "ex", "--format", "json", "--store", store, "--rescan", *one],
        "findings": ["findings", "--store", store],
        "scans": ["scans", "--store", store],
        "diff": ["diff", "--store", store],
    }
    for report in ("inventory", "pfi", "right-to-know"):
        for fmt in ("json", "csv", "md", "html"):
            out[f"report_{report}_{fmt}"] = ["report", report, "--format", fmt, "--store", store]
    for fmt in ("json", "md"):
        out[f"dsar_{fmt}"] = ["dsar", "find", "--identifiers", "person.yaml", "--format", fmt, "--stdout"]
        out[f"dsar_{fmt}"] += ["--dry-run", "--store", store, "ex"]
    return out


def run(out_dir: Path) -> None:
    """Run every command with this interpreter's pdscan; write NAME.out, .err, .rc into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="golden-"))
    try:
        shutil.copytree(ROOT / "examples", work / "ex")
        (work / "corpus").mkdir()
        write_log(work / "corpus" / "app.log", 2_000_000, pii_every=500)
        (work / "person.yaml").write_text(PERSON)
        env = {**os.environ, "PDSCAN_KEY": KEY, "NO_COLOR": "1", "COLUMNS": "120"}
        for name, args in commands(work).items():
            done = subprocess.run(
                [sys.executable, "-m", "pdscan", *args], cwd=work, env=env, capture_output=True, text=True
            )
            for suffix, text in (("out", done.stdout), ("err", done.stderr), ("rc", f"{done.returncode}\n")):
                for spelling in (str(work), str(work).replace("_", "\\_")):  # Markdown escapes the `_`
                    text = text.replace(spelling, "/tmp/golden-work")
                (out_dir / f"{name}.{suffix}").write_text(text)
            print(f"{name}: exit {done.returncode}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def normalized(text: str) -> list[str]:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text.splitlines()


def compare(golden: Path) -> int:
    """Run again into a temporary folder and diff against `golden`; 0 when every file matches."""
    fresh = Path(tempfile.mkdtemp(prefix="golden-now-"))
    try:
        run(fresh)
        differ = []
        for path in sorted(golden.iterdir()):
            new = fresh / path.name
            a, b = normalized(path.read_text()), normalized(new.read_text() if new.exists() else "")
            if a != b:
                differ.append(path.name)
                print("\n".join(list(difflib.unified_diff(a, b, path.name, "now", lineterm="", n=1))[:20]))
        print(f"golden: {len(differ)} of {len(list(golden.iterdir()))} files differ: {' '.join(differ)}")
        return 1 if differ else 0
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("verb", choices=("record", "compare"))
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    if args.verb == "record":
        run(args.dir)
        return 0
    return compare(args.dir)


if __name__ == "__main__":
    sys.exit(main())
