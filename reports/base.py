"""A compliance report as data: titled sections of rows, rendered as json, csv, md or html."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pdscan import __version__
from pdscan.reports.escape import text as cell  # noqa: F401  (the reports' one value-as-text)
from pdscan.reports.model import PolicyTerms
from pdscan.reports.view import View


@dataclass
class Section:
    id: str  # the key in json
    title: str
    columns: list[tuple[str, str]]  # (key, heading): the table a page shows
    rows: list[dict[str, Any]]
    intro: str = ""
    empty: str = "None."
    details: list[tuple[str, str]] = field(default_factory=list)  # (key, heading): shown under each row, folded

    @property
    def flat(self) -> list[tuple[str, str]]:
        """Every column, the folded ones too (csv)."""
        return self.columns + self.details


@dataclass(frozen=True)
class Bar:
    """One label of a chart: how many places hold the data and how many values they hold."""

    label: str
    places: int
    values: int
    exact: bool = True  # False: "at least" (part of a place went unread)


@dataclass
class Chart:
    """Labels compared by places and by values, two bars each (never by raw finding counts)."""

    id: str
    title: str
    bars: list[Bar]
    caption: str = ""


@dataclass
class Report:
    kind: str
    title: str
    policy: PolicyTerms
    view: View
    sections: list[Section]
    facts: list[tuple[str, str]] = field(default_factory=list)  # shown at the top: (label, value)
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    generated: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def main(self) -> Section:
        """The report's one flat table (csv)."""
        return self.sections[0]

    def header(self) -> list[tuple[str, str]]:
        """What every report says about itself: when, from which scans, under which policy."""
        view = self.view
        scans = f"scan {view.scan_id}" if view.scan_id else f"{len(view.scans)} finished scans (latest view)"
        return [
            ("Generated", self.generated),
            ("Policy", f"{self.policy.name} ({self.policy.id})"),
            ("Scans", f"{scans}; latest started {view.as_of}"),
            ("Suppressed by reviewer labels", str(view.suppressed)),
            *self.facts,
        ]

    def to_dict(self) -> dict[str, Any]:
        view = self.view
        return {
            "report": self.kind,
            "title": self.title,
            "pdscan": __version__,
            "generated": self.generated,
            "policy": {"id": self.policy.id, "name": self.policy.name},
            "scans": [s["id"] for s in view.scans] if view.scan_id is None else [view.scan_id],
            "as_of": view.as_of,
            "suppressed": view.suppressed,
            "facts": dict(self.facts),
            "notes": self.notes,
            "charts": {c.id: [vars(b) for b in c.bars] for c in self.charts},
            **{s.id: s.rows for s in self.sections},
        }
