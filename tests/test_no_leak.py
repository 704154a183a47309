"""Without --reveal no found value reaches stdout, stderr or an output file, in any format."""

import pytest

from pdscan.cli import FORMATS
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


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("granularity", ["column", "row"])
def test_no_raw_value_in_any_output(scan, revealed_values, fmt, granularity, tmp_path):
    out = tmp_path / f"out.{fmt}"
    run = scan(DATA, "--exclude", "*.py", "--format", fmt, "--granularity", granularity, "--output", out)
    assert run.code == 1
    text = out.read_text() + run.stdout + run.stderr
    leaked = sorted(v for v in revealed_values if len(v) >= 5 and v in text)
    assert leaked == []
