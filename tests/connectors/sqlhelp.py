"""Helpers shared by the database tests: reading pdscan's output back."""

from __future__ import annotations

import json
import re

from tests.conftest import by_entity  # noqa: F401  (re-exported for the test modules)
from tests.connectors.servers import free_port
from tests.connectors.sqldata import SAMPLE_CSV


def columns(findings: list[dict], table: str) -> set[tuple[str, str]]:
    """(field, entity) of the column findings in one table."""
    return {(f["location"]["field"], f["entity"]) for f in findings if f["location"]["table"] == table}


def records(stderr: str) -> int:
    """Rows read, from the summary line."""
    return int(re.search(r"\((?:[\d.]+ [KM]B, )?(\d+) records\)", stderr).group(1))


def coverage(stdout: str) -> dict[str, tuple[str, str]]:
    """container -> (status, reason) for the items not fully scanned, from --format json."""
    return {c["container"]: (c["status"], c["reason"]) for c in json.loads(stdout)["coverage"]}


def file_columns(scan) -> set[tuple[str, str]]:
    """What the file connector finds in the sample CSV: a table of the same data must give the same."""
    run = scan(SAMPLE_CSV)
    found = {(f["location"]["field"], f["entity"]) for f in run.findings}
    assert ("email", "EMAIL_ADDRESS") in found and ("id", "US_SSN") in found
    return found


def timeless(run) -> tuple:
    """Exit code, JSON document and stderr of a `--format json` run, without the time it took
    (nor the Ray engine's count of units per node, which a local run has not)."""
    doc = json.loads(run.stdout)
    doc["summary"].pop("seconds")
    stderr = re.sub(r"^pdscan: ray: .*\n", "", run.stderr, flags=re.M)
    return run.code, doc, re.sub(r" in [\d.]+ s\b", "", stderr)


def same_in_workers(scan, *args: str) -> dict:
    """A scan in two worker processes gives exactly the output of a scan in one; its JSON document."""
    one, two = (scan(*args, "--workers", n, "--format", "json", "--no-store") for n in ("1", "2"))
    assert timeless(two) == timeless(one)
    return json.loads(one.stdout)


def check_wrong_password(scan, server) -> None:
    """A rejected password: one line naming the URL with its password masked, exit 2, no secret shown."""
    secret = "Wr0ng-S3cret-pw"
    run = scan(server.url(password=secret), "-q")
    assert run.code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line == f"pdscan: error: cannot connect to {server.url(password='***')}: authentication failed"
    assert secret not in run.stdout + run.stderr


def check_unreachable(scan, scheme: str) -> None:
    """Nothing listens on the port: one line, exit 2."""
    port = free_port()
    run = scan(f"{scheme}://reader:pw@127.0.0.1:{port}/db", "-q")
    assert run.code == 2
    expected = f"pdscan: error: cannot connect to {scheme}://reader:***@127.0.0.1:{port}/db: connection refused"
    assert run.stderr.strip().splitlines() == [expected]
