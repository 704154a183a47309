"""From one corpus's raw runs (pdscan's and Presidio's children) to the numbers the report prints."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from benchmarks.perfcorpora import Corpus
from benchmarks.perfscore import (
    SCORED,
    cell_matches,
    cells_to_columns,
    column_verdicts,
    pdscan_findings,
    pdscan_lines,
    per_thousand,
    prf,
    score_lines,
    split_scored,
)
from benchmarks.tablecorpus import TABLE_LABELS


def _presidio_lines(presidio: dict) -> list[tuple]:
    """(file name, line, entity, start, end) of Presidio's line-by-line and file-by-file findings."""
    out = []
    for r in presidio["results"]:
        if r["kind"] == "lines":
            out += [(Path(r["path"]).name, *f) for f in r["findings"]]
        elif r["kind"] == "files":
            out += [tuple(f) for f in r["findings"]]
    return out


def _rate(nbytes: int, seconds: float) -> float:
    return nbytes / seconds / 1e6 if seconds else 0.0


def _lines_in(nearmiss, lines: dict[str, int] | None) -> Counter:
    return Counter(k for name, n, _, _, k in nearmiss if lines is None or n <= lines.get(name, 0))


def summarize(c: Corpus, raw: dict, work: Path) -> dict:
    return (_table if c.key == "table" else _text)(c, raw, work)


def _common(c: Corpus, raw: dict) -> dict:
    core, presidio = raw["pdscan"], raw["presidio"]
    return {
        "title": c.title,
        "whole_bytes": c.nbytes("whole"),
        "slice_bytes": c.nbytes("slice"),
        "whole_files": sum(1 for p in c.whole.iterdir() if p.is_file()),
        "slice_files": sum(1 for p in c.slice.iterdir() if p.is_file()),
        "slice_lines": sum(c.lines.values()),
        "pdscan_load_s": core["load_s"],
        "pdscan_peak_rss": core["peak_rss"],
        "presidio_load_s": presidio["load_s"],
        "presidio_s": sum(r["seconds"] for r in presidio["results"]),
        "presidio_cpu_s": sum(r["cpu_s"] for r in presidio["results"]),
        "jobs": core["results"],
    }


def _text(c: Corpus, raw: dict, work: Path) -> dict:
    out = _common(c, raw)
    jobs = out["jobs"]
    out["slice_s"], out["slice_cpu_s"] = jobs["slice"]["seconds"], jobs["slice"]["cpu_s"]
    out["whole_s"] = jobs.get("whole", jobs["slice"])["seconds"]
    out["all_cores"] = raw["all_cores"]
    skip_csv = c.key == "small"  # a CSV's findings are by column, not labeled by line

    def lines_of(name: str) -> list[tuple]:
        return [f for f in pdscan_lines(pdscan_findings(work / name)) if not (skip_csv and f[0].endswith(".csv"))]

    mine = lines_of("slice.ndjson")
    theirs = [f for f in _presidio_lines(raw["presidio"]) if not (skip_csv and f[0].endswith(".csv"))]
    if c.labels or c.nearmiss:
        out["pdscan_score"] = score_lines(mine, c.labels, c.nearmiss, c.lines)
        out["presidio_score"] = score_lines(theirs, c.labels, c.nearmiss, c.lines)
        whole = mine if c.whole == c.slice else lines_of("whole.ndjson")
        out["pdscan_whole_score"] = score_lines(whole, c.labels, c.nearmiss)
        out["nearmiss_in_slice"] = dict(_lines_in(c.nearmiss, c.lines))
    if c.files:  # loghub: each file on its own, and the false-positive table
        lines = {p.name: sum(1 for _ in open(p, "rb")) for p in c.files}
        per_file = [f for p in c.files for f in lines_of(f"file-{p.name}.ndjson")]
        out["per_thousand"] = {"pdscan": per_thousand(per_file, lines), "presidio": per_thousand(theirs, lines)}
        out["per_thousand"]["pdscan"]["all"] = per_thousand(mine, {"loghub-all.log": sum(lines.values())})["all"]
        by_file = {Path(r["path"]).name: r for r in raw["presidio"]["results"]}
        out["files"] = {
            p.name: {"bytes": p.stat().st_size, "lines": lines[p.name], "pdscan_s": jobs[f"file:{p.name}"]["seconds"],
                     "presidio_s": by_file[p.name]["seconds"]}
            for p in c.files
        }  # fmt: skip
    else:
        names = {name: n for name, n in c.lines.items() if not (skip_csv and name.endswith(".csv"))}
        out["per_thousand"] = {
            "pdscan": {"all": per_thousand(mine, names)["all"]},
            "presidio": {"all": per_thousand(theirs, names)["all"]},
        }
    return out


def _csv_truth(path: Path) -> tuple[dict[str, int], set]:
    """({column: non-empty cells}, {(row, column, entity)} of the labeled columns) of a customer CSV."""
    nonempty: Counter = Counter()
    cells = set()
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            for column, value in row.items():
                if value:
                    nonempty[column] += 1
                    if column in TABLE_LABELS:
                        cells.add((i, column, TABLE_LABELS[column]))
    return dict(nonempty), cells


def _table(c: Corpus, raw: dict, work: Path) -> dict:
    out = _common(c, raw)
    jobs, presidio = out["jobs"], raw["presidio"]["results"]
    csv_path = c.slice / "customers.csv"
    out["csv_bytes"], out["csv_rows"] = csv_path.stat().st_size, c.lines["customers.csv"]
    nonempty, truth_cells = _csv_truth(csv_path)
    truth_columns = set(TABLE_LABELS.items())
    by_kind = {r["kind"]: r for r in presidio}
    out["presidio_lines_s"] = sum(r["seconds"] for r in presidio if r["kind"] == "lines")
    out["presidio_cells_s"] = by_kind["cells"]["seconds"]
    out["presidio_cpu_s"] = sum(r["cpu_s"] for r in presidio if r["kind"] in ("lines", "cells"))
    out["structured_s"] = by_kind["structured"]["seconds"]
    out["all_cores"] = raw["all_cores"]
    logs = {n: k for n, k in c.lines.items() if n.endswith(".log")}
    mine_every = pdscan_findings(work / "slice-every.ndjson")
    out["pdscan_score"] = score_lines(pdscan_lines(mine_every), c.labels, c.nearmiss, logs)
    out["presidio_score"] = score_lines(_presidio_lines(raw["presidio"]), c.labels, c.nearmiss, logs)
    out["pdscan_whole_score"] = score_lines(
        pdscan_lines(pdscan_findings(work / "whole-every.ndjson")), c.labels, c.nearmiss
    )
    out["nearmiss_in_slice"] = dict(_lines_in(c.nearmiss, logs))
    out["per_thousand"] = {
        "pdscan": {"all": per_thousand(pdscan_lines(mine_every), logs)["all"]},
        "presidio": {"all": per_thousand(_presidio_lines(raw["presidio"]), logs)["all"]},
    }
    out["slice_lines"] = sum(logs.values())

    def columns(found: set) -> dict:
        scored, other = split_scored(found)
        wrong = sorted(f"{col}:{e}" for col, e in scored - truth_columns)
        return {**prf(scored, truth_columns), "wrong": wrong, "other": sorted(f"{col}:{e}" for col, e in other)}

    def csv_only(findings: list[dict]) -> list[dict]:
        return [f for f in findings if f["location"]["container"].endswith("customers.csv")]

    modes = {}
    for mode in ("sampled", "every", "row"):
        found = csv_only(pdscan_findings(work / f"slice-{mode}.ndjson"))
        entry = {"slice_s": jobs[f"slice-{mode}"]["seconds"], "slice_cpu_s": jobs[f"slice-{mode}"]["cpu_s"]}
        if mode != "row":
            entry["whole_s"] = jobs[f"whole-{mode}"]["seconds"]
        if mode != "sampled":
            entry["csv_s"] = jobs[f"csv-{mode}"]["seconds"]
        if mode == "row":
            entry["cells"] = prf({x for x in cell_matches(found) if x[2] in SCORED}, truth_cells)
        else:
            entry["columns"] = columns(column_verdicts(found))
            entry["whole_columns"] = columns(column_verdicts(csv_only(pdscan_findings(work / f"whole-{mode}.ndjson"))))
        modes[mode] = entry
    out["modes"] = modes
    cells = {tuple(x) for x in by_kind["cells"]["findings"]}
    out["presidio_cells"] = prf({x for x in cells if x[2] in SCORED}, truth_cells)
    out["presidio_columns"] = columns(cells_to_columns(cells, nonempty))
    mapping = by_kind["structured"].get("columns")
    out["structured_columns"] = None if mapping is None else columns(set(mapping.items()))
    return out
