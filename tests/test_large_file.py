"""A file of a few hundred MB is streamed: peak memory stays flat, every PII line is found."""

import json
import os
import subprocess
import sys

import pytest

from benchmarks.corpus import write_log
from tests.conftest import TEST_KEY

SIZE = 320 << 20
MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code)
"""


@pytest.mark.slow
def test_large_log_is_streamed_with_bounded_memory(tmp_path):
    log = tmp_path / "app.log"
    write_log(log, SIZE, pii_every=20_000)
    out = tmp_path / "findings.ndjson"
    # A fresh parent whose only child is the scan, so RUSAGE_CHILDREN is the scan's peak RSS.
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "pdscan", "scan", str(log),
         "--format", "ndjson", "--output", str(out), "--quiet"],
        capture_output=True, text=True, env={**os.environ, "PDSCAN_KEY": TEST_KEY}, timeout=900,
    )  # fmt: skip
    peak, code = (int(x) for x in measured.stdout.split())
    print(f"\npeak RSS {peak / 2**20:.0f} MiB for a {log.stat().st_size / 2**20:.0f} MiB file")
    assert code == 1
    findings = [json.loads(line) for line in out.read_text().splitlines()]
    pii_lines = [i + 1 for i, line in enumerate(log.open()) if "example.com" in line or "4539 1488" in line]
    emails = [f for f in findings if f["entity"] == "EMAIL_ADDRESS"]
    cards = [f for f in findings if f["entity"] == "CREDIT_CARD"]
    assert sorted(f["location"]["line"] for f in emails + cards) == pii_lines
    # The model and libraries take about 400 MiB (the medium spaCy model's vectors: 200 of them);
    # reading the file whole would add 320+.
    assert log.stat().st_size >= SIZE and peak < 600 * 2**20
