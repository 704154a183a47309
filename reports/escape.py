"""Names from scanned sources made inert in the outputs people open: one rule for CSV, one for Markdown.

File, table, column and field names come from whoever made the data. A CSV cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
(`=HYPERLINK(...)`); OWASP's rule puts a single quote before it, and every cell is quoted by the
writers. Numbers pdscan computed (a score, a line, a negative row key read as a number) are not
text from a source and cannot hold a formula, so they stay as numbers. In Markdown, HTML (`<script>`)
and link or image syntax (`[x](javascript:...)`, `![i](...)`) would be rendered by a viewer: `<`,
`&`, `[` and `]` become character references, which CommonMark never reads as structure. Then no
tag, autolink, link or image can start, so `>` (a quote only at a line's start, which a cell never
is: "a -> b" stays readable), `(`, `)` and `!` stay as they are ("7024(d)"); emphasis, code, table
and heading marks (`*`, `` ` ``, `|`, a leading `#`, and `_` except inside a word, where CommonMark
never reads it as emphasis: "payment_methods" stays readable) get a backslash.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_REFERENCES = {"&": "&amp;", "<": "&lt;", "[": "&#91;", "]": "&#93;"}
_MD_MARKS = re.compile(r"[\\`*|~]|_+")


def text(value: Any) -> str:
    """A value as text for a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(text(v) for v in value)
    return str(value)


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet runs: text starting with a formula character gets a leading `'`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    shown = text(value)
    return "'" + shown if shown.startswith(FORMULA_START) else shown


def _backslash(match: re.Match) -> str:
    mark, text_ = match.group(), match.string
    before, after = text_[match.start() - 1 : match.start()], text_[match.end() : match.end() + 1]
    if mark[0] == "_" and before.isalnum() and after.isalnum():
        return mark  # intraword: never emphasis
    return "".join("\\" + c for c in mark)


def md_cell(value: Any) -> str:
    """Text for Markdown (a table cell, a list item, a quote) that renders as the same characters."""
    shown = "".join(_MD_REFERENCES.get(c, c) for c in text(value))
    shown = _MD_MARKS.sub(_backslash, shown).replace("\r", " ").replace("\n", " ")
    return "\\" + shown if shown.startswith("#") else shown  # a heading where the text starts a line
