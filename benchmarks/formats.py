"""Every document, workbook, e-mail and archive format beside plain text: the same lines, one core.

    python benchmarks/formats.py [--lines 6000] [--only pdf,docx] [--dir DIR] [--cpu N] [--json FILE]

benchmarks/formatcorpus.py writes the same lines of real text (loghub logs and WNUT-17 posts, a
line with planted personal data every 20) as plain text and as each format. Each file is scanned
with `pdscan scan FILE --workers 1` in one child process held to one core (benchmarks/perfrun.py:
spaCy and Presidio loaded before the clock starts), twice, the second run counted (the first also
imports the format's reader). Reported per format: the file's bytes and the text pdscan extracted
from it (the connector's batches, read again outside the timing), CPU seconds, MB/s of file bytes,
MB/s of extracted text, units (pages, slides, sheets, messages, members) a second, the ratio to the
plain-text file's MB/s of text, and how the findings differ from the plain text's (by entity and
fingerprint: a line's location differs between formats, the value found does not). Markdown on
stdout. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.formatcorpus import WRITERS, text_lines  # noqa: E402

HERE = Path(__file__).resolve().parent
RUNS = 2  # the last one counted
# sheets are classified by column (as CSV) by default; `--granularity row` checks every cell, as a line
CELL_BY_CELL = {"xlsx", "ods"}


def extracted_bytes(path: Path) -> int:
    """UTF-8 bytes of the values pdscan's file connector reads from `path` (every member of an archive)."""
    from pdscan.connectors.registry import ConnectorOptions, connector_for
    from pdscan.core.model import ItemResult

    connector = connector_for(str(path), ConnectorOptions())
    total = 0
    try:
        for item in connector.items([]):
            result = ItemResult(str(path), item.container)
            for batch in connector.read(item, result):
                total += sum(len(v.encode("utf-8")) for v in batch.values.to_pylist() if isinstance(v, str))
    finally:
        connector.close()
    return total


def findings_of(path: Path) -> Counter:
    """(entity, fingerprint) of each finding of an ndjson output (a cell's or a line's alike); a
    column's finding (a sheet classified by column) as (entity, "column")."""
    found = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        found[(f["entity"], "column" if f["kind"] == "column" else f.get("fingerprint"))] += 1
    return found


def difference(found: Counter, text: Counter) -> str:
    """`same`, or what the format found beyond (+) and short of (-) the plain text, by entity."""
    if found and all(kind == "column" for _, kind in found):
        entities, expected = {e for e, _ in found}, {e for e, _ in text}
        same = "the plain text's entities" if entities == expected else ", ".join(sorted(entities))
        return f"classified by column: one finding per entity found ({same})"
    extra, missing = Counter(), Counter()
    for (entity, _), n in (found - text).items():
        extra[entity] += n
    for (entity, _), n in (text - found).items():
        missing[entity] += n
    if not extra and not missing:
        return "same"
    parts = [f"+{n} {e}" for e, n in sorted(extra.items())] + [f"-{n} {e}" for e, n in sorted(missing.items())]
    return ", ".join(parts)


def run_jobs(jobs: list[dict], cpu: int, folder: Path) -> dict:
    jobs_file, out_file = folder / "jobs.json", folder / "results.json"
    jobs_file.write_text(json.dumps(jobs))
    env = {**os.environ, "PDSCAN_KEY": os.environ.get("PDSCAN_KEY", "benchmark-key")}
    command = [sys.executable, str(HERE / "perfrun.py"), str(jobs_file), str(out_file), "--cpu", str(cpu)]
    subprocess.run(command, check=True, env=env)
    return json.loads(out_file.read_text())


def measure(names: list[str], lines: int, folder: Path, cpu: int) -> dict:
    text = text_lines(lines)
    files, units, jobs, outs = {}, {}, [], {}
    for name in names:
        filename, writer, unit = WRITERS[name]
        files[name] = folder / filename
        units[name] = (writer(files[name], text), unit)
        for row, extra in ((name, []), (f"{name} by cell", ["--granularity", "row"])):
            if extra and name not in CELL_BY_CELL:
                continue
            outs[row] = (name, folder / f"{row.replace(' ', '-')}.ndjson")
            args = [str(files[name]), "--workers", "1", "--no-store", "--format", "ndjson", "-o", str(outs[row][1])]
            jobs += [{"name": f"{row}#{run}", "args": [*args, "-q", *extra]} for run in range(RUNS)]
    (folder / "one-line.txt").write_text(text[0] + "\n")  # the fixed cost of a scan: planning, opening, writing
    args = [str(folder / "one-line.txt"), "--workers", "1", "--no-store", "--format", "ndjson", "-o", os.devnull, "-q"]
    jobs += [{"name": f"start-up#{run}", "args": args} for run in range(RUNS)]
    load_before = os.getloadavg()
    child = run_jobs(jobs, cpu, folder)
    load_after = os.getloadavg()
    rows, extracted = {}, {}
    for row, (name, out) in outs.items():
        if name not in extracted:
            extracted[name] = extracted_bytes(files[name])
        result = child["results"][f"{row}#{RUNS - 1}"]
        rows[row] = {
            "file_bytes": files[name].stat().st_size,
            "text_bytes": extracted[name],
            "units": units[name][0],
            "unit": units[name][1],
            "cpu_s": result["cpu_s"],
            "seconds": result["seconds"],
            "findings": findings_of(out),
        }
    fixed = child["results"][f"start-up#{RUNS - 1}"]["cpu_s"]
    return {
        "rows": rows, "load": [load_before, load_after], "peak_rss": child["peak_rss"], "load_s": child["load_s"],
        "fixed_cpu_s": fixed,
    }  # fmt: skip


def table(measured: dict) -> str:
    rows = measured["rows"]
    text = rows.get("text")
    base = text["text_bytes"] / text["cpu_s"] / 1e6 if text else None
    out = [
        "| format | file KB | text KB | CPU s | MB/s file | MB/s text | units/s | vs plain text | findings | vs plain text's |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, r in rows.items():
        cpu = r["cpu_s"]
        text_rate = r["text_bytes"] / cpu / 1e6
        ratio = f"{text_rate / base:.2f}x" if base else ""
        diff = difference(r["findings"], text["findings"]) if text else ""
        out.append(
            f"| {name} | {r['file_bytes'] / 1e3:.0f} | {r['text_bytes'] / 1e3:.0f} | {cpu:.2f} "
            f"| {r['file_bytes'] / cpu / 1e6:.3f} | {text_rate:.3f} | {r['units'] / cpu:.1f} {r['unit']} "
            f"| {ratio} | {sum(r['findings'].values())} | {diff} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=6000, help="lines of text in every file")
    parser.add_argument("--only", help="formats, comma-separated (text is always measured)")
    parser.add_argument("--dir", type=Path, help="where the files are written (default: a temp folder)")
    parser.add_argument("--cpu", type=int, help="the core to hold the scans to (default: the last allowed)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    names = list(WRITERS) if not args.only else ["text", *[n for n in args.only.split(",") if n != "text"]]
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise SystemExit(f"unknown formats: {', '.join(unknown)} (known: {', '.join(WRITERS)})")
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        measured = measure(names, args.lines, folder, cpu)
    (before, after) = measured["load"]
    print(f"{args.lines} lines in every file; one core (cpu {cpu}); load average {before[0]:.1f} before, "
          f"{after[0]:.1f} after; model load {measured['load_s']:.1f} s (not counted); a scan of a one-line file "
          f"{measured['fixed_cpu_s']:.2f} CPU s (counted in every row); peak RSS {measured['peak_rss'] / 2**20:.0f} MB\n")  # fmt: skip
    print(table(measured))
    if args.json:
        rows = {n: {**r, "findings": sum(r["findings"].values())} for n, r in measured["rows"].items()}
        args.json.write_text(json.dumps({**measured, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
