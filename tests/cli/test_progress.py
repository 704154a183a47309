"""Progress shows on a terminal only: items, bytes, rate and time left on stderr."""

import os
import pty
import subprocess
import sys

from tests.conftest import DATA, TEST_KEY


def _scan_with_terminal_stderr(*extra: str) -> tuple[int, str, str]:
    """Run a scan whose stderr is a pseudo-terminal; returns (exit code, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY, "COLUMNS": "150"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pdscan", "scan", str(DATA / "files"), "--no-store", "--format", "ndjson", *extra],
        stdout=subprocess.PIPE, stderr=slave, env=env,
    )  # fmt: skip
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        screen += chunk
    stdout = proc.stdout.read().decode()
    code = proc.wait(timeout=300)
    os.close(master)
    return code, stdout, screen.decode("utf-8", "replace")


def test_progress_on_a_terminal_and_not_with_no_progress():
    code, stdout, screen = _scan_with_terminal_stderr("--workers", "2")
    assert code == 1 and stdout.count("\n") > 10
    assert "scanning" in screen and "items" in screen and "/s" in screen
    code, stdout_quiet, screen = _scan_with_terminal_stderr("--workers", "2", "--no-progress")
    assert code == 1 and stdout_quiet == stdout
    assert "scanning" not in screen and "findings" in screen  # the summary still comes


def test_no_progress_when_stderr_is_not_a_terminal(scan):
    run = scan(DATA / "files", "--no-store", "--workers", "1")
    assert run.code == 1 and "scanning" not in run.stderr and "findings" in run.stderr
