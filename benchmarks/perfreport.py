"""The benchmark's markdown: per-core ratios on the same bytes first, the friendlier numbers after."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import date
from importlib import metadata
from pathlib import Path

FP_ENTITIES = (
    "PERSON",
    "CREDIT_CARD",
    "US_BANK_NUMBER",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "US_SSN",
    "IP_ADDRESS",
    "URL",
)
ORDER = ("loghub", "logs", "table", "prose", "small", "old")


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f}"


def _rate(nbytes: float, seconds: float) -> float:
    return nbytes / seconds / 1e6 if seconds else 0.0


def _pr(score: dict | None) -> str:
    if not score:
        return "-"
    return f"{score['precision']:.2f} / {score['recall']:.2f} ({score['tp']} TP, {score['fp']} FP, {score['fn']} FN)"


def _ratio(mine: float, theirs: float) -> str:
    return f"**{mine / theirs:,.0f}x**" if theirs else "-"


def _rss(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def header(cpu: int, quick: bool, results: dict) -> str:
    loads = ", ".join(f"{k} {r['loadavg'][0]:.1f}-{r['loadavg'][1]:.1f}" for k, r in results.items())
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("presidio-analyzer", "spacy"))
    return (
        f"Run of {date.today()}{' (--quick)' if quick else ''}: pdscan {commit}, {versions}, Python "
        f"{platform.python_version()}; {os.cpu_count()} cores ({model}). Both tools' one-core runs are held "
        f"to core {cpu} (sched_setaffinity), each with its model loaded before the clock starts. "
        f"Load average (1 min) before and after each corpus: {loads}: on a shared machine the wall-clock "
        "seconds carry the others' load; the CPU-second ratio does not."
    )


def per_core(results: dict) -> list[str]:
    rows = [
        "| corpus | bytes both tools scanned (of the corpus) | pdscan 1 core s | pdscan MB/s | Presidio 1 core s "
        "| Presidio KB/s | per-core ratio | ratio by CPU seconds | pdscan P/R | Presidio P/R |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]

    def row(label, r, nbytes, mine_s, theirs_s, mine_score, theirs_score, mine_cpu, theirs_cpu):
        share = "all of it" if r["slice_bytes"] == r["whole_bytes"] else f"{_mb(r['whole_bytes'])} MB, slice"
        rows.append(f"| {label} | {_mb(nbytes)} MB ({share}) | {mine_s:.1f} | {_rate(nbytes, mine_s):.2f} | "
                    f"{theirs_s:.1f} | {_rate(nbytes, theirs_s) * 1e3:.1f} | "
                    f"{_ratio(_rate(nbytes, mine_s), _rate(nbytes, theirs_s))} | {_ratio(theirs_cpu, mine_cpu).strip('*')} | "
                    f"{_pr(mine_score)} | {_pr(theirs_score)} |")  # fmt: skip

    for key in ORDER:
        r = results.get(key)
        if r is None:
            continue
        if key == "table":
            theirs = r["presidio_lines_s"] + r["presidio_cells_s"]
            for mode, what in (
                ("every", "every cell checked"),
                ("row", "--granularity row"),
                ("sampled", "sampled default"),
            ):
                m = r["modes"][mode]
                row(f"{r['title']}, pdscan {what}", r, r["slice_bytes"], m["slice_s"], theirs, r["pdscan_score"],
                    r["presidio_score"], m["slice_cpu_s"], r["presidio_cpu_s"])  # fmt: skip
        else:
            row(r["title"], r, r["slice_bytes"], r["slice_s"], r["presidio_s"], r.get("pdscan_score"),
                r.get("presidio_score"), r["slice_cpu_s"], r["presidio_cpu_s"])  # fmt: skip
    return rows


def whole(results: dict) -> list[str]:
    rows = [
        "| corpus | MB | pdscan 1 core s | MB/s | pdscan all cores s (start to exit) | MB/s | peak RSS MiB: "
        "1-core process / largest all-cores process | pdscan P/R on the whole corpus |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for key in ORDER:
        r = results.get(key)
        if r is None:
            continue
        runs = [("", r.get("whole_s"), r["all_cores"])] if key != "table" else [
            (f", {m}", r["modes"][m]["whole_s"], r["all_cores"][m]) for m in ("every", "sampled")]  # fmt: skip
        for suffix, one, every in runs:
            n = r["whole_bytes"]
            rows.append(f"| {r['title']}{suffix} | {_mb(n)} | {one:.1f} | {_rate(n, one):.2f} | {every['seconds']:.1f} "
                        f"({every['workers']} workers) | {_rate(n, every['seconds']):.2f} | "
                        f"{_rss(r['pdscan_peak_rss'])} / {_rss(every['peak_rss'])} | {_pr(r.get('pdscan_whole_score'))} |")  # fmt: skip
    return rows


def _columns(found: dict | None) -> str:
    """The scored columns found wrongly, then the column findings of unscored entities."""
    if not found:
        return "-"
    return f"{', '.join(found.get('wrong', [])) or 'none'}; {', '.join(found['other']) or '-'}"


def tables(r: dict) -> list[str]:
    n, csv_n = r["slice_bytes"], r["csv_bytes"]
    presidio = _rate(n, r["presidio_lines_s"] + r["presidio_cells_s"])
    cells, structured = _rate(csv_n, r["presidio_cells_s"]), _rate(csv_n, r["structured_s"])
    rows = [
        f"Slice: {_mb(n)} MB, of which the CSV {_mb(csv_n)} MB, {r['csv_rows']:,} rows (both tools, every row).",
        "",
        "| tool, mode | logs + CSV s | MB/s | vs Presidio (lines + cells) | CSV alone s | vs Presidio cell by cell "
        "| vs presidio-structured | CSV P/R (columns, or cells with row) | columns wrongly found; other column findings |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for mode, label in (("every", "pdscan, every cell (column_sample: 0)"), ("row", "pdscan, --granularity row"),
                        ("sampled", "pdscan, sampled default")):  # fmt: skip
        m = r["modes"][mode]
        mine = _rate(n, m["slice_s"])
        csv_s = m.get("csv_s")
        csv_rate = _rate(csv_n, csv_s) if csv_s else 0
        score = m.get("cells") or m.get("columns")
        rows.append(f"| {label} | {m['slice_s']:.1f} | {mine:.2f} | {_ratio(mine, presidio)} | "
                    f"{f'{csv_s:.1f}' if csv_s else '-'} | {_ratio(csv_rate, cells) if csv_s else '-'} | "
                    f"{_ratio(csv_rate, structured) if csv_s else '-'} | {_pr(score)} | {_columns(m.get('columns'))} |")  # fmt: skip
    rows.append(f"| Presidio, line by line and cell by cell | {r['presidio_lines_s'] + r['presidio_cells_s']:.1f} | "
                f"{presidio:.4f} | 1x | {r['presidio_cells_s']:.1f} | 1x | - | cells {_pr(r['presidio_cells'])}; "
                f"columns (30% of cells) {_pr(r['presidio_columns'])} | {_columns(r['presidio_columns'])} |")  # fmt: skip
    s = r["structured_columns"]
    if s is not None:
        rows.append(f"| presidio-structured (CSV alone, every row) | - | - | - | {r['structured_s']:.1f} | - | 1x | "
                    f"columns {_pr(s)} | {_columns(s)} |")  # fmt: skip
    return rows


def nearmiss(results: dict) -> list[str]:
    rows = ["| corpus | look-alike | in the slice | hit by pdscan | hit by Presidio |", "|---|---|--:|--:|--:|"]
    for key in ORDER:
        r = results.get(key)
        if not r or "nearmiss_in_slice" not in r:
            continue
        for kind, count in sorted(r["nearmiss_in_slice"].items()):
            mine = r["pdscan_score"]["nearmiss"].get(kind, 0)
            rows.append(f"| {key} | {kind} | {count:,} | {mine} | {r['presidio_score']['nearmiss'].get(kind, 0)} |")
    return rows


def per_thousand(results: dict) -> list[str]:
    rows = [
        "| corpus, file | lines | " + " | ".join(FP_ENTITIES) + " | other |",
        "|---|--:|" + "--:|" * (len(FP_ENTITIES) + 1),
    ]
    for key in ORDER:
        r = results.get(key)
        if not r:
            continue
        counts = r["per_thousand"]
        lines = {name: f["lines"] for name, f in r.get("files", {}).items()}
        lines["all"] = sum(lines.values()) or r["slice_lines"]
        for name in [*sorted(n for n in lines if n != "all"), "all"]:
            mine, theirs = counts["pdscan"].get(name, {}), counts["presidio"].get(name, {})
            cells = [f"{mine.get(e, 0):.1f} / {theirs.get(e, 0):.1f}" for e in FP_ENTITIES]
            other = [sum(v for e, v in d.items() if e not in FP_ENTITIES) for d in (mine, theirs)]
            label = f"{key}, {name}" if name != "all" else f"{key}, all{' (concatenated)' if key == 'loghub' else ''}"
            rows.append(f"| {label} | {lines[name]:,} | " + " | ".join(cells) + f" | {other[0]:.1f} / {other[1]:.1f} |")
    return rows


def loghub_files(r: dict) -> list[str]:
    rows = ["| file | KB | lines | pdscan 1 core s | MB/s | Presidio 1 core s | KB/s | per-core ratio |",
            "|---|--:|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
    for name, f in sorted(r["files"].items()):
        mine, theirs = _rate(f["bytes"], f["pdscan_s"]), _rate(f["bytes"], f["presidio_s"])
        rows.append(f"| {name} | {f['bytes'] / 1e3:.0f} | {f['lines']:,} | {f['pdscan_s']:.1f} | {mine:.2f} | "
                    f"{f['presidio_s']:.1f} | {theirs * 1e3:.1f} | {_ratio(mine, theirs)} |")  # fmt: skip
    return rows


def small(r: dict) -> list[str]:
    n = r["slice_files"]
    mine, theirs = n / r["slice_s"], n / r["presidio_s"]
    every = r["whole_files"] / r["all_cores"]["seconds"]
    return [
        "| files (slice / corpus) | pdscan 1 core files/s | Presidio 1 core files/s (each file one analyze call) "
        "| per-core ratio | pdscan all cores files/s (start to exit, whole corpus) |",
        "|---|--:|--:|--:|--:|",
        f"| {n:,} / {r['whole_files']:,} | {mine:,.0f} | {theirs:,.1f} | {_ratio(mine, theirs)} | {every:,.0f} |",
    ]


def markdown(results: dict, cpu: int, quick: bool) -> str:
    out = [header(cpu, quick, results), "", "### Per core, on the same bytes", "", *per_core(results), ""]
    loads = [f"{k} {r['pdscan_load_s']:.1f} s" for k, r in results.items()]
    out += [f"pdscan start-up (imports, spaCy, Presidio), not in the seconds above: {', '.join(loads)}.", ""]
    out += ["### The whole corpora", "", *whole(results), ""]
    if "table" in results:
        out += ["### Tables: every cell, row by row, sampled", "", *tables(results["table"]), ""]
    if any("nearmiss_in_slice" in r for r in results.values()):
        out += ["### Look-alikes hit (a finding of a scored entity overlapping one)", "", *nearmiss(results), ""]
    out += ["### Findings per 1,000 lines (pdscan / Presidio)", "", *per_thousand(results), ""]
    if "loghub" in results:
        out += ["### loghub, file by file", "", *loghub_files(results["loghub"]), ""]
    if "small" in results:
        out += ["### Many small files", "", *small(results["small"]), ""]
    return "\n".join(out)
