"""The format contracts and their registries: `OutputFormat` writes a scan's findings as they are
found (`pdscan scan --format`), `ReportFormat` renders a compliance report or a DSAR answer
(`pdscan report --format`, `pdscan dsar find --format`).

Both are filled from the `pdscan_output_formats` hook (pdscan.core.hookspecs): pdscan's own
formats register through it from pdscan.reports.plugin, a plugin's the same way. A name given
twice keeps the first (the built-ins come first), so a plugin cannot replace a built-in format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol

from pdscan.core.model import Finding
from pdscan.core.plugins import collect

HOOK = "pdscan_output_formats"


class Writer(Protocol):
    """What an output format's writer does: takes each finding, then the scan's summary at the end."""

    def write(self, finding: Finding) -> None: ...

    def close(self, summary, key_id: str) -> None: ...


@dataclass(frozen=True)
class OutputFormat:
    """A way `pdscan scan` writes findings: its name, what it writes, and the writer to make per scan."""

    name: str  # the --format choice
    media_type: str
    suffix: str  # a file of this format ends so
    writes: str  # what the output holds, in a few words (help and docs)
    writer: Callable[[IO[str]], Writer]  # writer(out): a new writer onto `out`
    streams: bool = False  # each finding is written as found (else at close)


@dataclass(frozen=True)
class ReportFormat:
    """A way a report is rendered: its name, what it writes, and the renderers it has.

    `report(Report) -> str` renders a compliance report (inventory, pfi, right-to-know);
    `answer(dict) -> str` a DSAR package; a format may have either or both."""

    name: str  # the --format choice
    media_type: str
    suffix: str
    writes: str
    report: Callable | None = None
    answer: Callable | None = None


def _registry(kind: type) -> dict:
    found: dict = {}
    for fmt in collect(HOOK):
        if isinstance(fmt, kind) and fmt.name not in found:
            found[fmt.name] = fmt
    return found


def output_formats() -> dict[str, OutputFormat]:
    """Every output format, by name: the built-ins first (text, json, ndjson, csv, sarif)."""
    return _registry(OutputFormat)


def report_formats() -> dict[str, ReportFormat]:
    """Every report format that renders compliance reports, by name (json, csv, md, html)."""
    return {n: f for n, f in _registry(ReportFormat).items() if f.report is not None}


def answer_formats() -> dict[str, ReportFormat]:
    """Every report format that renders a DSAR answer, by name (json, md, html)."""
    return {n: f for n, f in _registry(ReportFormat).items() if f.answer is not None}
