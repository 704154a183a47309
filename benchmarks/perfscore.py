"""Precision and recall of both tools on the labeled corpora, the look-alikes they hit, and finding
counts per 1,000 lines (the false-positive table).

A finding is (file, line, entity, start, end) for text and (row, column, entity) for a table's cells.
Precision and recall count the entities in SCORED: the identifiers both tools report that no
generated line holds unless it was planted, so every unlabeled one is a false positive. The
others (IP addresses, URLs, dates, user agents ...) are there in logs by nature and are shown in
the counts, not scored.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

SCORED = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "US_BANK_NUMBER", "US_ITIN")


def pdscan_findings(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [f for f in map(json.loads, fh) if "entity" in f]


def pdscan_lines(findings: list[dict]) -> list[tuple[str, int, str, int, int]]:
    """(file name, line, entity, start, end) of pdscan's findings in text."""
    out = []
    for f in findings:
        where = f["location"]
        if f["kind"] == "match" and where.get("line") is not None:
            out.append((Path(where["container"]).name, where["line"], f["entity"], where["start"], where["end"]))
    return out


def prf(found: set, expected: set) -> dict:
    hit = len(found & expected)
    return {
        "tp": hit,
        "fp": len(found - expected),
        "fn": len(expected - found),
        "precision": hit / len(found) if found else 1.0,
        "recall": hit / len(expected) if expected else 1.0,
    }


def score_lines(found, labels: list[dict], nearmiss, lines: dict[str, int] | None = None) -> dict:
    """P/R on (file, line, entity) over SCORED, and look-alikes overlapped by a scored finding, by kind.
    `lines`: only the first lines of each file count (a slice), {file: lines in the slice}."""

    def inside(name: str, line: int) -> bool:
        return lines is None or line <= lines.get(name, 0)

    expected = {(x["file"], x["line"], x["entity"]) for x in labels if inside(x["file"], x["line"])}
    scored = [f for f in found if f[2] in SCORED and inside(f[0], f[1])]
    result = prf({f[:3] for f in scored}, expected)
    spans: dict[tuple[str, int], list] = {}
    for f in scored:
        spans.setdefault((f[0], f[1]), []).append(f)
    hits: Counter = Counter()
    for name, line, start, end, kind in nearmiss:
        if any(s < end and start < e for _, _, _, s, e in spans.get((name, line), ())):
            hits[kind] += 1
    result["nearmiss"] = dict(hits)
    return result


def per_thousand(found, lines_by_file: dict[str, int]) -> dict[str, dict[str, float]]:
    """{file: {entity: findings per 1,000 lines}} (the file "all": every file together)."""
    counts: dict[str, Counter] = {name: Counter() for name in lines_by_file}
    for f in found:
        counts.setdefault(f[0], Counter())[f[2]] += 1
    total = sum(counts.values(), Counter())
    counts["all"] = total
    lines_by_file = {**lines_by_file, "all": sum(lines_by_file.values())}
    return {n: {e: c * 1000 / max(lines_by_file.get(n, 0), 1) for e, c in cnt.items()} for n, cnt in counts.items()}


def column_verdicts(findings: list[dict]) -> set[tuple[str, str]]:
    """(column, entity) of pdscan's column findings."""
    return {(f["location"]["field"], f["entity"]) for f in findings if f["kind"] == "column"}


def cell_matches(findings: list[dict]) -> set[tuple[int, str, str]]:
    """(row, column, entity) of pdscan's cell findings (`--granularity row`)."""
    return {
        (f["location"]["row"], f["location"]["field"], f["entity"])
        for f in findings
        if f["kind"] == "match" and f["location"].get("row") is not None
    }


def cells_to_columns(cells, nonempty: dict[str, int], share: float = 0.3) -> set[tuple[str, str]]:
    """A column is an entity where 30% or more of its non-empty cells hold it (how Presidio's
    cell-by-cell results are read as column verdicts)."""
    counts = Counter((column, entity) for _, column, entity in cells)
    return {(c, e) for (c, e), n in counts.items() if n >= share * max(nonempty.get(c, 0), 1)}


def split_scored(pairs: set[tuple[str, str]]) -> tuple[set, set]:
    """(the pairs of a SCORED entity, the others)."""
    return {p for p in pairs if p[-1] in SCORED}, {p for p in pairs if p[-1] not in SCORED}
