"""Ctrl-C delivered at every line of the write path, in turn: a real SIGINT to this process, sent
from a trace function at the chosen line, while `run_scan` writes its findings.

The subprocess tests (tests/cli/test_interrupts.py) press Ctrl-C at whatever moment the scan has
reached; here the moment is chosen, so a window between counting a finding and writing it, or
between taking a finding off the queue and writing it, cannot hide. Whatever the line, the count
said, the -o file and the store hold the same findings, a prefix of the whole scan's, and every
item recorded as done has all its findings written.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

import pdscan.app.scan
import pdscan.engine
import pdscan.history
import pdscan.interrupts
import pdscan.reports.outputs
from benchmarks.corpus import write_log
from pdscan.app.scan import ScanSettings, run_scan
from pdscan.core.errors import EXIT_INTERRUPTED
from pdscan.store import Store
from tests.conftest import TEST_KEY

# the files whose lines are the interrupt points: engine, service, store recorder, writers, the guard
WATCHED = {
    m.__file__ for m in (pdscan.engine, pdscan.app.scan, pdscan.history, pdscan.reports.outputs, pdscan.interrupts)
}
BIG = 70_000  # over pdscan.engine.SMALL_ITEM: each file is its own item, scanned alone
SMALL = 3_000  # bundled: with workers, all of them are one unit, its result received at once
WRITE = pdscan.reports.outputs.NdjsonWriter.write.__code__


class InterruptAt:
    """A trace function that sends SIGINT to this process at the `at`th line run in WATCHED, counting
    from the first finding handed to the output's writer (lines before it write nothing). It notes
    the line at which the writer got the first finding of `second` (the item after the first)."""

    def __init__(self, at: int | None, second: str = ""):
        self.at = at
        self.second = second
        self.seen = 0
        self.second_at: int | None = None
        self.sent = False
        self.lines: list[tuple] = []  # (code, line number) of each line counted

    def __call__(self, frame, event, arg):
        return self._line if frame.f_code.co_filename in WATCHED else None

    def _line(self, frame, event, arg):
        if event != "line" or self.sent:
            return self._line
        code = frame.f_code
        if code is WRITE and frame.f_lineno == code.co_firstlineno + 1:  # the writer's first line
            if self.second_at is None and frame.f_locals["finding"].location.container == self.second:
                self.second_at = self.seen + 1
        if self.seen or code is WRITE:
            self.seen += 1
            self.lines.append((code, frame.f_lineno))
            if self.seen == self.at:
                self.sent = True
                os.kill(os.getpid(), signal.SIGINT)  # handled at the next point Python checks for signals
        return self._line


def _scan(folder: Path, out: Path, store: Path, workers: int, tracer: InterruptAt | None = None):
    settings = ScanSettings(
        paths=(str(folder),), workers=workers, fmt="ndjson", output=str(out), store_url=f"sqlite:///{store}"
    )
    sys.settrace(tracer)
    try:
        outcome = run_scan(settings)
    finally:
        sys.settrace(None)
    return outcome, out.read_text(encoding="utf-8").splitlines()


def _first_runs(lines: list[tuple]) -> list[int]:
    seen: set[tuple] = set()
    points = []
    for at, line in enumerate(lines, 1):
        if line not in seen:
            seen.add(line)
            points.append(at)
    return points


def _container(line: str) -> str:
    return json.loads(line)["location"]["container"]


def _check(outcome, lines: list[str], expected: list[str], store: Path) -> set[str]:
    """The invariants of an interrupted scan; returns the items recorded as done."""
    assert outcome.interrupted and outcome.exit_code == EXIT_INTERRUPTED
    counted = sum(outcome.summary.findings.values())
    assert counted == outcome.written == len(lines)  # `N findings written` is the file's length
    assert lines == expected[: len(lines)]  # none skipped, none repeated, in order
    scans = Store(f"sqlite:///{store}").scan_list()
    assert [(s["interrupted"], s["findings"]) for s in scans] == [(True, len(lines))]
    done = {r.container for r in outcome.summary.items if r.reason != "interrupted"}
    for container in done:  # an item recorded as done has every finding written
        assert [x for x in expected if _container(x) == container] == [x for x in lines if _container(x) == container]
    return done


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)


def _corpus(folder: Path, size: int, files: int, pii_every: int) -> Path:
    folder.mkdir()
    for i in range(files):
        write_log(folder / f"app{i}.log", size, pii_every=pii_every, seed=i)
    return folder


def test_ctrl_c_at_any_line_of_the_write_path_keeps_count_file_and_store_equal(tmp_path, key):
    folder = _corpus(tmp_path / "logs", BIG, 3, pii_every=450)  # a few findings a file
    dry = InterruptAt(None, second="app1.log")
    whole, expected = _scan(folder, tmp_path / "all.ndjson", tmp_path / "all.db", workers=1, tracer=dry)
    first = sum(_container(x) == "app0.log" for x in expected)
    assert not whole.interrupted and first and {_container(x) for x in expected} == {"app0.log", "app1.log", "app2.log"}
    # each line run from the first finding written to the writing of the second item's first, at its
    # first run (its later runs, for the next findings, are the same step)
    points = _first_runs(dry.lines[: dry.second_at])
    assert len(points) > 30
    for at in points:
        run = tmp_path / f"at{at}"
        run.mkdir()
        outcome, lines = _scan(folder, run / "f.ndjson", run / "pdscan.db", workers=1, tracer=InterruptAt(at))
        done = _check(outcome, lines, expected, run / "pdscan.db")
        # the first item was being written, or was done: it is done, its findings all written
        assert "app0.log" in done and len(lines) >= first, (at, done, len(lines))


def test_ctrl_c_while_a_workers_result_is_written_writes_all_of_it(tmp_path, key):
    # small files in one bundle: one worker scans them all, its result arrives at once
    folder = _corpus(tmp_path / "logs", SMALL, 4, pii_every=10)
    dry = InterruptAt(None, second="app1.log")
    whole, expected = _scan(folder, tmp_path / "all.ndjson", tmp_path / "all.db", workers=2, tracer=dry)
    assert not whole.interrupted and len({_container(x) for x in expected}) == 4
    points = _first_runs(dry.lines[: dry.second_at])
    for at in (points[0], points[len(points) // 2], points[-1]):  # a worker pool starts for each: three lines
        run = tmp_path / f"at{at}"
        run.mkdir()
        outcome, lines = _scan(folder, run / "f.ndjson", run / "pdscan.db", workers=2, tracer=InterruptAt(at))
        done = _check(outcome, lines, expected, run / "pdscan.db")
        # received before the Ctrl-C: every item of the bundle is written and done
        assert lines == expected and len(done) == 4, (at, done, len(lines))
