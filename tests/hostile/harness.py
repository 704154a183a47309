"""The hostile-input corpus's runner: a real `pdscan` process on a folder of built cases.

Each case is a folder holding one or more bad items beside good files with planted values. The
scan runs as its own process (so a hang or a memory blow-up is the process's, not the test
runner's) with a timeout that fails the test, and its peak memory is measured. `assert_clean`
then checks what every case must hold: the reason codes, the good files scanned and reported,
and no planted value anywhere (stdout, stderr, the output, the store, every report) without --reveal.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

KEY = "pdscan-hostile-key"
MEMORY_LIMIT_MB = 1024  # the bound on every case
PEAK = Path(__file__).with_name("peak.py")  # runs each scan and measures its own peak RSS
GOOD_SSN = "532-71-4409"  # planted in the good file beside each bad one
GOOD_TEXT = f"customer SSN {GOOD_SSN} on file\n"


@dataclass
class Scan:
    code: int
    stdout: str
    stderr: str
    output: dict
    peak_mb: float
    work: Path  # the folder holding the output, the store and the reports (not the scanned one)
    files: dict[str, str] = field(default_factory=dict)  # name -> text of everything written in `work`

    def item(self, name: str) -> dict | None:
        """The coverage record of the item whose container ends with `name` (None: complete)."""
        for record in self.output.get("coverage", []):
            if record["container"].endswith(name):
                return record
        return None

    def reason(self, name: str) -> str | None:
        record = self.item(name)
        return record["reason"] if record else None

    def found_in(self, name: str) -> list[dict]:
        return [f for f in self.output.get("findings", []) if f["location"]["container"].endswith(name)]


def good_file(folder: Path, name: str = "good.txt") -> Path:
    path = folder / name
    path.write_text(GOOD_TEXT)
    return path


def _run(args: list[str], cwd: Path, timeout: float, env: dict) -> tuple[int, str, str, float]:
    """Run `python -m pdscan ARGS`; a process still running at `timeout` is killed and the test fails."""
    out, err, peak_file = cwd / ".stdout", cwd / ".stderr", cwd / ".peak"
    with open(out, "wb") as o, open(err, "wb") as e:
        command = [sys.executable, str(PEAK), str(peak_file), sys.executable, "-m", "pdscan", *args]
        proc = subprocess.Popen(command, cwd=cwd, stdout=o, stderr=e, env=env, start_new_session=True)
        hung = threading.Event()

        def kill() -> None:
            hung.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, _usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if hung.is_set():
        pytest.fail(f"pdscan {' '.join(args)} still running after {timeout:.0f} s (killed): a hang")
    stdout, stderr = out.read_text(errors="replace"), err.read_text(errors="replace")
    peak = int(peak_file.read_text()) / 1024  # the scan's own peak (tests/hostile/peak.py)
    for path in (out, err, peak_file):
        path.unlink()
    return proc.returncode, stdout, stderr, peak


def scan(folder: Path, *args: str, timeout: float = 120, reports: bool = True, env: dict | None = None) -> Scan:
    """`pdscan scan FOLDER --format json -o out.json` with a store of its own, then every report."""
    work = folder.parent / f"{folder.name}-work"
    work.mkdir(exist_ok=True)
    environ = {**os.environ, "PDSCAN_KEY": KEY, "PDSCAN_STORE": str(work / "pdscan.db"), **(env or {})}
    out = work / "out.json"
    code, stdout, stderr, peak = _run(
        ["scan", str(folder), "--format", "json", "-o", str(out), "--no-progress", *args], work, timeout, environ
    )
    assert code in (0, 1), f"exit {code}: {stderr[-2000:]}"
    output = json.loads(out.read_text())
    result = Scan(code, stdout, stderr, output, peak, work)
    if reports:  # in this process: reports read the store, they cannot hang on the scanned files
        from click.testing import CliRunner

        from pdscan.cli import cli

        runner = CliRunner()
        for kind in ("inventory", "pfi", "right-to-know"):
            for fmt in ("json", "csv", "md", "html"):
                target = work / f"report-{kind}.{fmt}"
                done = runner.invoke(cli, ["report", kind, "--format", fmt, "-o", str(target)], env=environ)
                assert done.exit_code == 0, f"report {kind} {fmt}: exit {done.exit_code}: {done.output[-1000:]}"
        done = runner.invoke(cli, ["diff"], env=environ)
        (work / "diff.txt").write_text(done.output)
    for path in sorted(work.iterdir()):
        if path.is_file():
            result.files[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    return result


def assert_clean(result: Scan, planted: list[str] = (), good: str = "good.txt") -> None:
    """The good file was scanned and reported, memory stayed under the bound, nothing planted leaked."""
    assert result.found_in(good), f"the good file {good} beside the bad one was not reported: {result.stderr[-2000:]}"
    assert result.reason(good) is None, result.item(good)
    assert result.peak_mb < MEMORY_LIMIT_MB, f"peak RSS {result.peak_mb:.0f} MB"
    texts = {"stdout": result.stdout, "stderr": result.stderr, **result.files}
    for value in (GOOD_SSN, *planted):
        leaked = sorted(name for name, text in texts.items() if value in text)
        assert not leaked, f"{value!r} appears in {leaked}"


def peak_memory_mb() -> float:
    """This process's own peak RSS (for in-process reader tests)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
