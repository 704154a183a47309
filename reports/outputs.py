"""Finding writers for `pdscan scan`: text, json, ndjson, csv, sarif. They read findings, never sources."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from pdscan import __version__
from pdscan.model import Finding
from pdscan.reports.escape import csv_cell
from pdscan.reports.sarif import SarifWriter


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


class TextWriter:
    """A readable table grouped by container, printed when the scan ends."""

    def __init__(self, out: IO[str]):
        self.out = out
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

    def close(self, summary, key_id: str) -> None:
        if not self.findings:
            self.out.write("No personal data found.\n")
            return
        containers: dict[str, list[Finding]] = {}
        for f in self.findings:
            containers.setdefault(f.location.container, []).append(f)
        for container, findings in containers.items():
            self.out.write(f"{container}\n")
            rows = []
            for f in findings:
                share = f"  {f.matches}/{f.sampled} ({f.ratio:.0%})" if f.kind == "column" else ""
                shown = f.value if f.value is not None else ", ".join(f.samples or [f.sample])
                minors = f"  [{f.minors} minor(s)]" if f.minors else ""
                rows.append((self._where(f), f.entity, f.category or "", f"{f.score:.2f}", shown + share + minors))
            widths = [max(len(r[i]) for r in rows) for i in range(4)]
            for r in rows:
                self.out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[4] + "\n")


WRITERS = {"text": TextWriter, "json": JsonWriter, "ndjson": NdjsonWriter, "csv": CsvWriter, "sarif": SarifWriter}
