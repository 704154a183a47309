"""What `pdscan scan` shows on stderr: the progress display while a terminal watches, then the
summary of its outcome (what was read, the findings, the gate)."""

from __future__ import annotations

import click

from pdscan.cli.base import plural


class Progress:
    """Items, bytes, rate and time left on stderr while a terminal watches; nothing otherwise."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )
        from rich.progress import Progress as Bar

        self._progress = Bar(
            TextColumn("scanning"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[items]} items"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = None
        self._done = 0
        self._total = 0

    def start(self, items: int, total_bytes: int) -> None:
        self._total = items
        self._progress.start()
        self._task = self._progress.add_task("scan", total=total_bytes or None, items=f"0/{items}")

    def advance(self, size: int) -> None:
        """Bytes of an item or of one part of a split file."""
        self._progress.update(self._task, advance=size)

    def item_done(self) -> None:
        self._done += 1
        self._progress.update(self._task, items=f"{self._done}/{self._total}")

    def stop(self) -> None:
        self._progress.stop()


def say_outcome(outcome, settings, quiet: bool) -> None:
    """The lines on stderr after a scan (only the interruption's with --quiet)."""
    summary = outcome.summary
    if outcome.interrupted:
        say_interrupted(summary, outcome.written)
        return
    if outcome.baseline_written is not None and not quiet:
        click.echo(
            f"pdscan: baseline {settings.baseline_path} written: {plural(outcome.baseline_written, 'finding')}",
            err=True,
        )
    if not quiet:
        print_summary(summary)
        if outcome.placement:
            click.echo(f"pdscan: {outcome.placement}", err=True)
        if outcome.hidden:
            click.echo(
                f"pdscan: {plural(outcome.hidden, 'finding')} labelled false positive not shown "
                "(pdscan label --list)", err=True,
            )  # fmt: skip
        if outcome.gone:
            click.echo(
                f"pdscan: {plural(outcome.gone, 'item')} gone since the last scan: their findings are resolved "
                "(pdscan diff)", err=True,
            )  # fmt: skip
    if outcome.new is not None and not quiet:
        say_new(outcome.new, outcome.against)


def say_interrupted(summary, found: int) -> None:
    """One line: how far the scan got; `found`: the findings written to the output (those labelled
    false positive are recorded, not written)."""
    if summary.planned is None:
        click.echo(f"pdscan: scan interrupted while listing the sources, {found} findings written", err=True)
        return
    done = sum(r.reason != "interrupted" for r in summary.items)
    click.echo(f"pdscan: scan interrupted: {done} of {summary.planned} items done, {found} findings written", err=True)


def say_new(new: list, against: str) -> None:
    """`new`: the categories of the new findings."""
    by_category = {}
    for category in new:
        by_category[category] = by_category.get(category, 0) + 1
    detail = ", ".join(f"{k} {v}" for k, v in sorted(by_category.items()))
    click.echo(f"pdscan: {plural(len(new), 'new finding')} {against}" + (f": {detail}" if new else ""), err=True)


def human_size(nbytes: int) -> str:
    """`36 KB`, `7.4 KB`, `25.3 MB`: a small scan is not `0.0 MB`."""
    if nbytes >= 999_500:
        return f"{nbytes / 1e6:.1f} MB"
    if not nbytes:
        return "0 KB"
    kb = nbytes / 1e3
    return f"{kb:.1f} KB" if kb < 10 else f"{kb:.0f} KB"


def _counts(counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))


def _scans(ids: list[int]) -> str:
    """`scan 3`, `scans 1 and 3`, `scans 1 to 7`: where carried findings come from."""
    if len(ids) == 1:
        return f"scan {ids[0]}"
    return f"scans {ids[0]} and {ids[1]}" if len(ids) == 2 else f"scans {ids[0]} to {ids[-1]}"


def _read_line(summary) -> str:
    """What was read, apart from the items carried unchanged from the store (which were not)."""
    items = summary.items
    carried = [r for r in items if r.carried_from]
    read = [r for r in items if not r.carried_from]
    scanned = sum(r.status != "skipped" for r in read)
    records = sum(r.records for r in read)
    took = f"in {summary.seconds:.1f} s"
    size = human_size(sum(r.bytes for r in read))
    line = f"pdscan: scanned {scanned} of {len(items)} items ({size}, {plural(records, 'record')}) {took}"
    if not carried:
        return line
    unchanged = f"since {_scans(sorted({r.carried_from for r in carried}))}, not read again (--rescan to read them)"
    if not scanned:
        return f"pdscan: {plural(len(carried), 'item')} unchanged {unchanged}; 0 read {took}"
    return f"{line}; {len(carried)} unchanged {unchanged}"


def print_summary(summary) -> None:
    line = _read_line(summary)
    partial, skipped = summary.count("partial"), summary.count("skipped")
    if partial:
        line += f"; partial {sum(partial.values())} ({_counts(partial)})"
    if skipped:
        line += f"; skipped {sum(skipped.values())} ({_counts(skipped)})"
    click.echo(line, err=True)
    total = sum(summary.findings.values())
    line = f"pdscan: {total} findings" + (f": {_counts(summary.findings)}" if total else "")
    if summary.test_data:
        line += f" ({summary.test_data} of them well-known test values)"
    click.echo(line, err=True)
