"""The HTML report: one self-contained page (inline CSS, an inline SVG chart; no script, no network)."""

from __future__ import annotations

from html import escape

from pdscan.reports.base import Report, Section, cell

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
CSS = """
body{font-family:Helvetica,Arial,sans-serif;margin:24px 32px;color:#1b1b1b;background:#fff;font-size:14px}
h1{font-size:24px;margin:0 0 12px;color:#12355b}h2{font-size:18px;margin:28px 0 8px;color:#12355b;
border-bottom:2px solid #12355b;padding-bottom:4px}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:4px 16px;margin:0 0 12px}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:6px 10px;margin:8px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:12px}
th,td{border:1px solid #c8ced6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#e8eef5}tr:nth-child(even) td{background:#f7f9fb}
td.skipped,td.partial,td.unknown{color:#a00000;font-weight:bold}td.sampled{color:#8a5a00;font-weight:bold}
td.complete{color:#1d6b2a}.empty{font-style:italic;color:#555}
.wrap{overflow-x:auto}figure{margin:8px 0 16px}figcaption{font-size:12px;color:#444}
@media print{body{margin:8mm}}
"""


def chart_svg(counts: dict[tuple[str, str], int], width: int = 900) -> str:
    """Horizontal bars, one per category, stacked by store, with a legend; all text escaped."""
    if not counts:
        return '<p class="empty">No findings to chart.</p>'
    categories = sorted({c for c, _ in counts}, key=lambda c: (-sum(v for (k, _), v in counts.items() if k == c), c))
    stores = sorted({s for _, s in counts})
    colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(stores)}
    label_w, bar_h, gap, top = 260, 22, 8, 10
    plot_w = width - label_w - 60
    peak = max(sum(v for (k, _), v in counts.items() if k == c) for c in categories)
    parts = []
    y = top
    for category in categories:
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" font-size="12">{escape(category)}</text>'
        )
        x, total = float(label_w), 0
        for store in stores:
            value = counts.get((category, store), 0)
            if not value:
                continue
            w = plot_w * value / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[store]}">'
                f"<title>{escape(category)} in {escape(store)}: {value}</title></rect>"
            )
            x += w
            total += value
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="12">{total}</text>')
        y += bar_h + gap
    y += 10
    for store in stores:
        parts.append(f'<rect x="{label_w}" y="{y}" width="14" height="14" fill="{colors[store]}"/>')
        parts.append(f'<text x="{label_w + 20}" y="{y + 11}" font-size="12">{escape(store)}</text>')
        y += 20
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 6}" viewBox="0 0 {width} {y + 6}" '
        f'role="img" aria-label="Findings by category and store">{"".join(parts)}</svg>'
    )


def table(section: Section) -> str:
    if not section.rows:
        return f'<p class="empty">{escape(section.empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for _, h in section.columns)
    body = []
    for row in section.rows:
        cells = []
        for key, _ in section.columns:
            css = f' class="{escape(str(row[key]))}"' if key == "coverage_status" and row.get(key) else ""
            cells.append(f"<td{css}>{escape(cell(row.get(key)))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def to_html(report: Report) -> str:
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.header())
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in report.notes)
    sections = []
    for section in report.sections:
        intro = f"<p>{escape(section.intro)}</p>" if section.intro else ""
        sections.append(
            f'<section id="{escape(section.id)}"><h2>{escape(section.title)}</h2>{intro}{table(section)}</section>'
        )
    chart = (
        '<section id="chart"><h2>Findings by category and store</h2><figure>'
        f"{chart_svg(report.chart)}<figcaption>Findings (not counting reviewer-suppressed ones) per policy "
        "category, stacked by store (source).</figcaption></figure></section>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(report.title)}</h1><dl class="facts">{facts}</dl>{notes}{chart}{"".join(sections)}'
        "</body></html>\n"
    )
