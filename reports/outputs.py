"""Finding writers for `pdscan scan`: text, json, ndjson, csv (sarif: reports/sarif.py). They read findings,
never sources; pdscan.reports.plugin registers them as output formats."""

from __future__ import annotations

import csv
import json
import shutil
from typing import IO, Any

from pdscan import __version__
from pdscan.core.model import Finding
from pdscan.reports.escape import csv_cell


def summary_dict(summary, key_id: str) -> dict[str, Any]:
    out = {
        "pdscan": __version__,
        "key_id": key_id,
        "items": len(summary.items),
        "complete": sum(r.status == "complete" for r in summary.items),
        "partial": dict(summary.count("partial")),
        "skipped": dict(summary.count("skipped")),
        "findings": dict(sorted(summary.findings.items())),
        "minors": summary.minors,
        "bytes": summary.bytes,
        "seconds": round(summary.seconds, 3),
    }
    if summary.interrupted:  # Ctrl-C: the items after these were not reached
        out["interrupted"] = True
    return out


class NdjsonWriter:
    """One finding per line, written as found (a long scan streams)."""

    def __init__(self, out: IO[str]):
        self.out = out

    def write(self, finding: Finding) -> None:
        self.out.write(json.dumps(finding.to_dict(), ensure_ascii=False) + "\n")
        self.out.flush()

    def close(self, summary, key_id: str) -> None:
        pass


class JsonWriter:
    """One document: the findings, the items not fully scanned, and the summary."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.findings: list[dict] = []

    def write(self, finding: Finding) -> None:
        self.findings.append(finding.to_dict())

    def close(self, summary, key_id: str) -> None:
        document = {
            "summary": summary_dict(summary, key_id),
            "findings": self.findings,
            "coverage": [r.to_dict() for r in summary.items if r.status != "complete" or r.sampled],
        }
        json.dump(document, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


CSV_COLUMNS = (
    "kind", "entity", "category", "ccpa_category", "score", "detector", "source", "container", "field", "line",
    "start", "end", "row", "row_key", "sample", "fingerprint", "matches", "sampled", "ratio", "minors", "value",
)  # fmt: skip


class CsvWriter:
    def __init__(self, out: IO[str]):
        self.writer = csv.DictWriter(
            out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
        )
        self.writer.writeheader()

    def write(self, finding: Finding) -> None:
        row = finding.to_dict()
        row.update({k: v for k, v in row.pop("location").items() if k in CSV_COLUMNS})
        self.writer.writerow({k: csv_cell(v) for k, v in row.items() if k in CSV_COLUMNS})

    def close(self, summary, key_id: str) -> None:
        pass


def shown_container(f: Finding) -> str:
    """Where a finding is, for a reader: the path as scanned; a table with its database, so two
    SQLite files' `main.customers` are told apart; an S3 object by its URL."""
    path = dict(f.location.extra).get("path")
    if isinstance(path, str):
        return path
    if "://" in f.source and not f.location.container.startswith(f.source.split("://")[0] + "://"):
        return f"{f.source} {f.location.container}"
    return f.location.container


class TextWriter:
    """A readable table grouped by container, printed when the scan ends.

    Lines fit the terminal width (COLUMNS, else the terminal, else 100): a finding too wide for one line
    wraps between its fields and samples with a hanging indent, so no sample or location is ever cut.
    """

    def __init__(self, out: IO[str], width: int | None = None):
        self.out = out
        self.width = width or shutil.get_terminal_size((100, 24)).columns
        self.findings: list[Finding] = []

    def write(self, finding: Finding) -> None:
        self.findings.append(finding)

    @staticmethod
    def _where(f: Finding) -> str:
        loc = f.location
        if f.kind == "column":
            return f"column {loc.field}"
        parts = []
        if loc.field:
            parts.append(loc.field)
        if loc.row is not None:
            parts.append(f"row {loc.row}")
        if loc.line is not None:
            parts.append(f"line {loc.line}:{loc.start}-{loc.end}")
        return " ".join(parts)

    @staticmethod
    def _shown(f: Finding) -> list[str]:
        """The raw values with --reveal, else the masked samples."""
        if f.values:
            return list(f.values)
        return [f.value] if f.value is not None else list(f.samples or [f.sample])

    def _row(self, f: Finding) -> tuple[list[str], list[str]]:
        """(location, entity, category, score), then what follows them: samples, the column's share, minors."""
        head = [self._where(f), f.entity, f.category or "", f"{f.score:.2f}"]
        tail = [s + "," for s in self._shown(f)]
        tail[-1] = tail[-1][:-1]
        if f.kind == "column":
            tail.append(f"{f.matches}/{f.sampled} ({f.ratio:.0%})")
        if f.minors:
            tail.append(f"[{f.minors} minor(s)]")
        return head, tail

    def close(self, summary, key_id: str) -> None:
        if not self.findings:
            self.out.write("No personal data found.\n")
            return
        containers: dict[str, list[Finding]] = {}
        for f in self.findings:
            containers.setdefault(shown_container(f), []).append(f)
        for container, findings in containers.items():
            self.out.write(f"{container}\n")
            rows = [self._row(f) for f in findings]
            widths = [max(len(head[i]) for head, _ in rows) for i in range(4)]
            samples_at = MARGIN + sum(w + 2 for w in widths)  # where the samples column begins
            indent = samples_at if samples_at <= self.width * 2 // 3 else MARGIN + 4
            for head, tail in rows:
                fields = [c.ljust(w) for c, w in zip(head, widths)] + tail
                self.out.write("\n".join(wrap_fields(fields, self.width, indent)) + "\n")


MARGIN = 2  # a finding's lines are indented under its container


def wrap_fields(fields: list[str], width: int, indent: int) -> list[str]:
    """Fields joined by two spaces (one after a field ending in a comma: samples of one list), in lines
    shorter than `width`, broken only between fields; later lines start at `indent`. A field wider than
    a line gets a line of its own (the terminal may wrap that one: it is never cut here)."""
    lines, line = [], " " * MARGIN + fields[0]
    for prev, fld in zip(fields, fields[1:]):
        sep = " " if prev.endswith(",") else "  "
        if len((line + sep + fld).rstrip()) < width:
            line += sep + fld
        else:
            lines.append(line.rstrip())
            line = " " * indent + fld
    lines.append(line.rstrip())
    return lines
