"""The HTML report: one self-contained page (inline CSS, inline SVG charts; no script, no network).

The page is made from Jinja2 templates (`templates/`) with autoescape on, so every name from a
scanned source is text, never markup. Python gives the templates data and chart geometry only.
Chart labels are wrapped, never cut: the label column is as wide as the longest wrapped line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from pdscan.reports.base import Chart, Report, Section, cell

TEMPLATES = Path(__file__).with_name("templates")
PLACES_COLOR, VALUES_COLOR = "#1f77b4", "#ff7f0e"
CHAR_W = 7.5  # px per character at 12 px Helvetica or Arial, a little over the widest average (capitals)
LABEL_CHARS = 44  # a label longer than this wraps onto more lines
LINE_H, ROW_GAP = 15, 8
PANEL_W, NUMBER_W, GAP = 300, 70, 24


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(cell=cell, layout=chart_layout)
    return env


@dataclass
class _Panel:
    title: str
    x: float


def wrap_label(label: str) -> list[str]:
    """The label on as many lines as it needs (paths break anywhere, words at spaces)."""
    return textwrap.wrap(label, LABEL_CHARS, break_long_words=True, break_on_hyphens=False) or [""]


def chart_layout(chart: Chart) -> dict:
    """Coordinates for chart.html.j2: a label column, a places panel and a values panel."""
    rows = [(bar, wrap_label(bar.label)) for bar in chart.bars]
    label_w = max((len(line) for _, lines in rows for line in lines), default=0) * CHAR_W + 8
    places_x = label_w + GAP
    values_x = places_x + PANEL_W + NUMBER_W + GAP
    width = values_x + PANEL_W + NUMBER_W
    peak_places = max((b.places for b in chart.bars), default=0) or 1
    peak_values = max((b.values for b in chart.bars), default=0) or 1
    y, out = 24, []
    for bar, lines in rows:
        height = max(len(lines) * LINE_H + 7, 22)
        places_w = PANEL_W * bar.places / peak_places
        values_w = PANEL_W * bar.values / peak_values
        more = "" if bar.exact else "+"
        out.append(
            {
                "label": bar.label,
                "lines": lines,
                "y": y,
                "bars": [
                    {"x": places_x, "w": round(places_w, 1), "color": PLACES_COLOR, "text": f"{bar.places:,}",
                     "title": f"{bar.places} places"},
                    {"x": values_x, "w": round(values_w, 1), "color": VALUES_COLOR, "text": f"{bar.values:,}{more}",
                     "title": f"{'at least ' if more else ''}{bar.values} values"},
                ],
            }
        )  # fmt: skip
        y += height + ROW_GAP
    return {
        "rows": out,
        "width": round(width),
        "height": y,
        "label_right": round(label_w - 8, 1),
        "panels": [_Panel("Places", places_x), _Panel("Values", values_x)],
    }


def render_page(title: str, facts: list, notes: list, sections: list[Section], charts: list[Chart] = ()) -> str:
    """A page of facts, notes, charts and sections (reports and DSAR packages alike)."""
    template = environment().get_template("page.html.j2")
    return template.render(title=title, facts=facts, notes=notes, sections=sections, charts=list(charts)) + "\n"


def to_html(report: Report) -> str:
    return render_page(report.title, report.header(), report.notes, report.sections, report.charts)
