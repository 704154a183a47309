"""`--format text` fits the terminal width: it wraps between fields, never inside a sample or a location
(real `pdscan scan` processes on the examples, COLUMNS as a terminal would set it)."""

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_pdscan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("text") / "examples"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture(scope="module")
def findings(examples) -> list[dict]:
    run = run_pdscan("scan", examples, "--no-store", "--format", "json")
    return json.loads(run.stdout)["findings"]


def _where(f: dict) -> str:
    loc = f["location"]
    if f["kind"] == "column":
        return f"column {loc['field']}"
    return f"line {loc['line']}:{loc['start']}-{loc['end']}"


def _whole(text: str, piece: str) -> bool:
    """Every occurrence of `piece` lies within one line: none is cut by a line break."""
    lines = text.splitlines()
    on_lines = sum(line.count(piece) for line in lines)
    stripped = [line.strip() for line in lines]
    return on_lines == max(" ".join(stripped).count(piece), "".join(stripped).count(piece))


@pytest.mark.parametrize("columns", [60, 100])
def test_text_output_fits_the_width_and_never_cuts_a_sample_or_location(examples, findings, columns):
    run = run_pdscan("scan", examples, "--no-store", "--format", "text", env={"COLUMNS": str(columns)})
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    rows = [line for line in lines if line.startswith("  ")]  # not the container headings (a path as typed)
    assert max(map(len, rows)) < columns, max(rows, key=len)
    pieces = {s for f in findings for s in (f.get("samples") or [f["sample"]])} | {_where(f) for f in findings}
    assert len(pieces) > 50
    assert sorted(p for p in pieces if not _whole(run.stdout, p)) == []
    # each finding still starts its own line, with its location first
    starts = [line.strip() for line in lines if re.match(r"  (column |line \d)", line)]
    assert len(starts) == len(findings)


def test_a_wide_terminal_keeps_one_finding_per_line(examples, findings):
    run = run_pdscan("scan", examples, "--no-store", "--format", "text", env={"COLUMNS": "200"})
    containers = {f["location"]["container"] for f in findings}
    assert len(run.stdout.splitlines()) == len(findings) + len(containers)
