"""A report on a terminal: its Markdown rendered by rich, with table cells folded onto more lines, never cut."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown, TableElement


class _FoldedTable(TableElement):
    """rich's Markdown table, whose columns fold a long path or name instead of ending it with an ellipsis."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for table in super().__rich_console__(console, options):
            for column in getattr(table, "columns", ()):
                column.overflow = "fold"
            yield table


class ReportMarkdown(Markdown):
    elements = {**Markdown.elements, "table_open": _FoldedTable}


def show(text: str) -> None:
    """Print Markdown at the terminal's width: headings, lists and tables drawn, escapes (`\\*`) resolved."""
    Console(soft_wrap=False).print(ReportMarkdown(text))
