"""The summary line of `pdscan scan` says what was read: unchanged items carried from the store are
not counted as scanned, and small scans show KB, not 0.0 MB (real processes, a real store)."""

import re
import shutil
from pathlib import Path

import pytest

from pdscan.cli import human_size
from tests.conftest import run_pdscan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def estate(tmp_path) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.yaml"))  # the data, not its config
    return folder


def _summary(folder: Path, store: Path, *args: str) -> str:
    run = run_pdscan("scan", folder, "--store", store, "--workers", "1", "-o", store.parent / "out.ndjson", *args)
    assert run.returncode == 1, run.stderr
    (line,) = [x for x in run.stderr.splitlines() if "items" in x]
    return line


def test_summary_counts_only_what_was_read_and_names_the_scan_it_carried(estate, tmp_path):
    store = tmp_path / "pdscan.db"
    size = sum(p.stat().st_size for p in estate.iterdir())
    assert 10_000 < size < 1_000_000 and human_size(size) == f"{round(size / 1000)} KB"
    first = _summary(estate, store)
    assert re.match(rf"pdscan: scanned 4 of 4 items \({human_size(size)}, 231 records\) in [\d.]+ s$", first), first
    second = _summary(estate, store)
    assert second.startswith(
        "pdscan: 4 items unchanged since scan 1, not read again (--rescan to read them); 0 read in "
    ), second
    assert "MB" not in second and "scanned" not in second
    tickets = estate / "support_tickets.txt"
    with open(tickets, "a", encoding="utf-8") as fh:
        fh.write("Ticket 99: call me back, no data here.\n")
    third = _summary(estate, store)
    assert re.match(
        rf"pdscan: scanned 1 of 4 items \({re.escape(human_size(tickets.stat().st_size))}, \d+ records\) in [\d.]+ s; "
        r"3 unchanged since scan 1, not read again \(--rescan to read them\)$",
        third,
    ), third
    fourth = _summary(estate, store)
    assert fourth.startswith("pdscan: 4 items unchanged since scans 1 and 3, not read again"), fourth
    forced = _summary(estate, store, "--rescan")
    assert forced.startswith("pdscan: scanned 4 of 4 items (") and "unchanged" not in forced


@pytest.mark.parametrize(
    ("nbytes", "shown"),
    [
        (0, "0 KB"),
        (400, "0.4 KB"),
        (7_374, "7.4 KB"),
        (36_300, "36 KB"),
        (999_400, "999 KB"),
        (999_600, "1.0 MB"),
        (25_340_000, "25.3 MB"),
    ],
)
def test_sizes_below_a_megabyte_are_shown_in_kilobytes(nbytes, shown):
    assert human_size(nbytes) == shown
