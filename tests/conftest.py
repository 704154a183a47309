import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan.cli import cli

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DATASETS = SHARED / "datasets"
TEST_KEY = "pdscan-test-key"
# Ray started by a test stays on 127.0.0.1 (on Linux it would look up and use the machine's address).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


class Run:
    def __init__(self, result):
        self.result = result
        self.code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr

    @property
    def findings(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _own_store(monkeypatch, tmp_path_factory):
    """Each test records its scans in a store of its own, never in the working directory."""
    monkeypatch.setenv("PDSCAN_STORE", str(tmp_path_factory.mktemp("store") / "pdscan.db"))


@pytest.fixture
def cli_run(monkeypatch):
    """Any `pdscan ARGS` command in-process; returns click's Result (exit_code, stdout, output)."""
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)

    def run(*args: str):
        return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)

    return run


@pytest.fixture
def scan(monkeypatch):
    """Run `pdscan scan ARGS` in-process (ndjson unless told otherwise); returns a Run."""
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)

    def run(*args: str, env: dict | None = None) -> Run:
        args = list(args)
        if "--format" not in args:
            args += ["--format", "ndjson"]
        result = CliRunner().invoke(cli, ["scan", *map(str, args)], env=env, catch_exceptions=False)
        return Run(result)

    return run


def run_pdscan(*args: str, env: dict | None = None, prefix: tuple[str, ...] = (), timeout: float = 600):
    """`python -m pdscan ARGS` in a child process (for tests that need a real process)."""
    full_env = {**os.environ, "PDSCAN_KEY": TEST_KEY, **(env or {})}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pdscan", *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def by_entity(findings: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in findings:
        out.setdefault(f["entity"], []).append(f)
    return out
