"""Files holding findings, values or the key: 0600 whatever was there before, and an exposed store
or key refused (issue 17 point 10).

Each writer is run over an existing 0644 file: the result must be 0600 and no temp file left
beside it. A non-regular target (/dev/null, a FIFO, /dev/stdout on a pipe) is written in place and
its mode left alone. The umask is 022 here, so a file opened plainly would come out 0644.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan.cli import cli
from tests.dsar import dsarperson as person
from tests.hostile import harness

KEY = "pdscan-file-modes-key"
SSN = "532-71-4409"


@pytest.fixture(autouse=True)
def _umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "customers.txt").write_text(f"customer SSN {SSN} on file\n")
    return tmp_path


def run(*args, env=None):
    return CliRunner().invoke(cli, [*map(str, args)], env=env, catch_exceptions=False)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def old_file(path: Path) -> Path:
    path.write_text("an earlier run\n")
    path.chmod(0o644)
    return path


def only(folder: Path, *names: str) -> None:
    """Nothing else in the folder: no temp file left behind."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


@pytest.mark.parametrize("fmt", ["text", "json", "ndjson", "csv"])
def test_scan_output_with_reveal_over_a_0644_file_ends_0600(work, fmt):
    out = old_file(work / f"found.{fmt}")
    done = run("scan", "data", "--no-store", "--reveal", "--format", fmt, "-o", out)
    assert done.exit_code == 1, done.output
    assert SSN in out.read_text()  # --reveal: the raw value is in the file, so the file is private
    assert mode(out) == 0o600
    only(work, "data", out.name)


def test_baselines_new_and_updated_are_0600(work):
    new = work / "baseline.json"
    done = run("scan", "data", "--no-store", "-q", "--baseline", new, "--update-baseline")
    assert done.exit_code == 1 and mode(new) == 0o600
    old = old_file(work / "old-baseline.json")
    done = run("scan", "data", "--no-store", "-q", "--baseline", old, "--update-baseline")
    assert done.exit_code == 1 and mode(old) == 0o600 and json.loads(old.read_text())["findings"]
    only(work, "data", "baseline.json", "old-baseline.json")


def test_reports_new_and_over_0644_files_are_0600(work):
    store = work / "pdscan.db"
    assert run("scan", "data", "-q", "--store", store).exit_code == 1
    names = []
    for kind in ("inventory", "pfi", "right-to-know"):
        for fmt in ("json", "csv", "md", "html"):
            fresh, over = work / f"{kind}.{fmt}", old_file(work / f"old-{kind}.{fmt}")
            for target in (fresh, over):
                done = run("report", kind, "--format", fmt, "-o", target, "--store", store)
                assert done.exit_code == 0, done.output
                assert mode(target) == 0o600, target.name
                names.append(target.name)
    assert mode(store) == 0o600
    only(work, "data", "pdscan.db", *names)


def test_every_file_of_a_harness_scan_is_0600(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    harness.good_file(folder)
    result = harness.scan(folder)  # out.json, the store, every report in every format, diff.txt
    harness.assert_clean(result)
    written = {p.name: mode(p) for p in result.work.iterdir() if p.name != "diff.txt"}  # diff.txt: the test's own
    assert "out.json" in written and "pdscan.db" in written and "report-pfi.html" in written
    assert set(written.values()) == {0o600}, written


def _write_every_way(target) -> None:
    assert run("scan", "data", "--no-store", "-o", target).exit_code == 1
    assert run("scan", "data", "-q", "--baseline", target, "--update-baseline").exit_code == 1
    assert run("report", "inventory", "-o", target).exit_code == 0


def test_dev_null_is_written_in_place_and_keeps_its_mode(work):
    # First a null device of the test's own (root can make one): a writer that renamed over its
    # target would replace that one, not the machine's /dev/null (a regression once did, as root).
    try:
        os.mknod(work / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:  # not root: nobody here can replace /dev/null anyway
        pass
    else:
        before = os.stat(work / "null")
        _write_every_way(work / "null")
        after = os.stat(work / "null")
        assert stat.S_ISCHR(after.st_mode) and (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
        os.unlink(work / "null")
    before = os.stat("/dev/null").st_mode
    _write_every_way("/dev/null")
    assert os.stat("/dev/null").st_mode == before and stat.S_ISCHR(before)
    only(work, "data")


def test_dev_stdout_on_a_pipe_and_a_fifo_are_written_in_place(work):
    env = {**os.environ, "PDSCAN_KEY": KEY}
    cmd = [sys.executable, "-m", "pdscan", "scan", "data", "--no-store", "--format", "json", "-o", "/dev/stdout"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=work, timeout=300)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["findings"] == {"US_SSN": 1}
    fifo = work / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    done = run("scan", "data", "--no-store", "--format", "json", "-o", fifo)
    assert done.exit_code == 1 and json.loads(reader.communicate(timeout=60)[0])["summary"]["items"] == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and mode(fifo) == 0o644  # its own mode, untouched


def test_a_new_store_is_0600_and_an_exposed_one_is_refused_by_every_command(work):
    assert run("scan", "data", "-q", "--store", "pdscan.db").exit_code == 1
    assert mode("pdscan.db") == 0o600
    os.chmod("pdscan.db", 0o644)
    line = "pdscan: error: pdscan.db is readable by others (mode 0644): chmod 600 pdscan.db"
    commands = [
        ["scan", "data", "--store", "pdscan.db"],
        ["scans", "--store", "pdscan.db"],
        ["diff", "--store", "pdscan.db"],
        ["report", "inventory", "--store", "pdscan.db"],
        ["label", "abc", "--as", "accepted", "--store", "pdscan.db"],
        ["dsar", "find", "data", "--email", "a@example.com", "-o", "answer.json", "--store", "pdscan.db"],
        ["dsar", "list", "--store", "pdscan.db"],
    ]
    for args in commands:
        done = run(*args)
        assert done.exit_code == 2 and done.stderr.strip().splitlines() == [line], (args, done.output)
    assert mode("pdscan.db") == 0o644  # not ours to chmod
    os.chmod("pdscan.db", 0o620)
    done = run("scans", "--store", "pdscan.db")
    assert done.exit_code == 2 and done.stderr.strip() == (
        "pdscan: error: pdscan.db is writable by others (mode 0620): chmod 600 pdscan.db"
    )
    os.chmod("pdscan.db", 0o600)
    assert run("scans", "--store", "pdscan.db").exit_code == 0
    only(work, "data", "pdscan.db")


def test_a_new_key_is_0600_and_an_exposed_one_is_refused(work, monkeypatch):
    monkeypatch.delenv("PDSCAN_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(work / "config"))
    assert run("scan", "data", "--no-store", "-q").exit_code == 1
    key = work / "config" / "pdscan" / "key"
    assert mode(key) == 0o600
    key.chmod(0o644)
    line = f"pdscan: error: {key} is readable by others (mode 0644): chmod 600 {key}"
    for args in (
        ["scan", "data", "--no-store"],
        ["dsar", "find", "data", "--email", "a@example.com", "-o", "answer.json"],
        ["dsar", "open", "--requester", "T-1", "--type", "know"],
    ):
        done = run(*args)
        assert done.exit_code == 2 and done.stderr.strip().splitlines() == [line], (args, done.output)
    assert mode(key) == 0o644 and not (work / "answer.json").exists()


def test_dsar_answer_evidence_and_deletion_plan_over_0644_files_are_0600(work):
    expected = person.make_files(work / "files")
    assert expected
    answer, evidence, plan = (old_file(work / n) for n in ("answer.json", "evidence.json", "plan.md"))
    done = run("dsar", "find", "files", *person.IDENTIFIER_ARGS, "-o", answer, "--evidence", evidence, "-q")
    assert done.exit_code == 1, done.output
    done = run("dsar", "find", "files", *person.IDENTIFIER_ARGS, "--for-deletion", "--format", "md", "-o", plan, "-q")
    assert done.exit_code == 1, done.output
    for path in (answer, evidence, plan):
        assert mode(path) == 0o600 and "an earlier run" not in path.read_text(), path.name
    assert mode(os.environ["PDSCAN_STORE"]) == 0o600  # the case log
    only(work, "data", "files", "answer.json", "evidence.json", "plan.md")
