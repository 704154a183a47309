"""Precision and recall on the labeled parts of the performance corpus."""

from __future__ import annotations

from pathlib import Path

# Which entities each support-ticket template holds (benchmarks.throughput.TICKETS), by a phrase of it.
TICKET_ENTITIES = {
    "called about a billing error": {"PERSON", "EMAIL_ADDRESS"},
    "Site visit scheduled with": {"PERSON", "PHONE_NUMBER"},
    "Please update the contact": {"PERSON"},
}


def prf(got: set, expected: set) -> str:
    hit = len(got & expected)
    precision = hit / len(got) if got else 1.0
    recall = hit / len(expected) if expected else 1.0
    return f"{precision:.2f}/{recall:.2f}"


def table_columns(findings: list[dict], container: str) -> set[tuple[str, str]]:
    return {
        (f["location"]["field"], f["entity"])
        for f in findings
        if f["kind"] == "column" and f["location"]["container"].endswith(container)
    }


def ticket_labels(path: Path, limit: int | None = None) -> set[tuple[int, str]]:
    out, seen = set(), 0
    with open(path) as fh:
        for number, line in enumerate(fh, 1):
            seen += len(line)
            if limit is not None and seen > limit:
                break
            for phrase, entities in TICKET_ENTITIES.items():
                if phrase in line:
                    out |= {(number, e) for e in entities}
    return out
