"""Without --reveal no found value reaches stdout, stderr or an output file, in any format."""

import pytest

from pdscan.reports.formats import output_formats
from tests.conftest import DATA


@pytest.fixture(scope="module")
def revealed_values(tmp_path_factory):
    from click.testing import CliRunner

    from pdscan.cli import cli

    result = CliRunner().invoke(
        cli, ["scan", str(DATA), "--exclude", "*.py", "--format", "ndjson", "--granularity", "row", "--reveal", "--no-store"],
        env={"PDSCAN_KEY": "leak-test"},
    )  # fmt: skip
    import json

    values = {json.loads(line)["value"] for line in result.stdout.splitlines()}
    assert len(values) > 30
    return values


@pytest.mark.parametrize("fmt", tuple(output_formats()))
@pytest.mark.parametrize("granularity", ["column", "row"])
def test_no_raw_value_in_any_output(scan, revealed_values, fmt, granularity, tmp_path):
    out = tmp_path / f"out.{fmt}"
    run = scan(DATA, "--exclude", "*.py", "--format", fmt, "--granularity", granularity, "--output", out)
    assert run.code == 1
    text = out.read_text() + run.stdout + run.stderr
    leaked = sorted(v for v in revealed_values if len(v) >= 5 and v in text)
    assert leaked == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_reveal_in_column_mode_reaches_the_output_never_the_store_or_baseline(workers, tmp_path):
    """--reveal puts raw column samples in the output (in workers too); the SQLite file and the baseline
    hold none of them, nor any other cell of the file."""
    import csv
    import json
    import shutil
    from pathlib import Path

    from tests.conftest import run_pdscan

    source = Path(shutil.copy(Path(__file__).resolve().parents[2] / "examples" / "customers.csv", tmp_path))
    store, baseline = tmp_path / "pdscan.db", tmp_path / "baseline.json"
    run = run_pdscan(
        "scan", source, "--reveal", "--format", "json", "--workers", workers, "--store", store,
        "--baseline", baseline, "--update-baseline",
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    revealed = {v for f in json.loads(run.stdout)["findings"] for v in f.get("values") or []}
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    personal = ("full_name", "email", "phone", "street", "card_number", "ssn")
    cells = {row[name] for row in rows for name in personal}
    assert len(revealed) >= 12 and revealed & cells  # the output has them
    kept = store.read_bytes() + baseline.read_bytes()
    assert sorted(v for v in revealed | cells if v.encode() in kept) == []
