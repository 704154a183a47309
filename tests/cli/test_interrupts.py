"""Ctrl-C and a killed parent, on real processes: `python -m pdscan` is started, given SIGINT (or
SIGKILL) once its findings have started to appear, and what it leaves behind is checked.

Bounds on waiting are generous (a shared machine); no test asserts how fast anything is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from benchmarks.corpus import write_log
from pdscan.interrupts import InterruptGuard
from pdscan.policy import load_policy
from tests.conftest import TEST_KEY, run_pdscan

FILES = 24  # logs of 200 KB, a finding every 20 lines: the scan runs well past its first findings
STARTUP = 240  # seconds for a scan to make its first finding (the model loads first)
ENDS = 20  # seconds a scan may take to end after Ctrl-C (it takes about one)
LINE = re.compile(r"pdscan: scan interrupted: (\d+) of (\d+) items done, (\d+) findings written")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    for i in range(FILES):
        write_log(folder / f"app{i:02d}.log", 200_000, pii_every=20, seed=i)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> tuple[list[str], Path]:
    """The whole scan's output, and a store holding it as scan 1."""
    folder = tmp_path_factory.mktemp("reference")
    out, store = folder / "all.ndjson", folder / "pdscan.db"
    done = run_pdscan("scan", corpus, "--workers", "1", "-q", "-o", out, "--store", store)
    assert done.returncode == 1, done.stderr
    return out.read_text(encoding="utf-8").splitlines(), store


def _start(args: list, stderr: Path) -> subprocess.Popen:
    """`python -m pdscan ARGS` in a session of its own (a terminal's process group, its own)."""
    with open(stderr, "w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "pdscan", *map(str, args)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "PDSCAN_KEY": TEST_KEY},
            start_new_session=True,
            # a job started in the background inherits SIGINT ignored; from a terminal it is not
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def _wait_for_findings(proc: subprocess.Popen, folder: Path) -> None:
    """Until a file in `folder` (the output, under whatever name it is written) holds a finding."""
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scan ended before it was interrupted"
        if any(p.is_file() and b"\n" in p.read_bytes() for p in folder.iterdir()):
            return
        time.sleep(0.05)
    pytest.fail("no finding appeared")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _interrupted_scan(corpus: Path, tmp_path: Path, store: Path, *args: str, group: bool = False):
    """Scan, Ctrl-C once findings appear; (exit code, stderr lines, output folder)."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    stderr = tmp_path / "stderr.txt"
    proc = _start(["scan", corpus, "-q", "-o", out_dir / "found.ndjson", "--store", store, *args], stderr)
    try:
        _wait_for_findings(proc, out_dir)
        if group:  # as a terminal's Ctrl-C: the whole process group, workers too
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=ENDS)
    finally:
        _stop(proc)
    return code, stderr.read_text().splitlines(), out_dir


@pytest.mark.parametrize("workers,group", [("1", False), ("2", False), ("2", True)], ids=["1", "2", "2-group"])
def test_ctrl_c_ends_the_scan_and_keeps_what_was_found(corpus, reference, tmp_path, workers, group):
    expected, _ = reference
    store = tmp_path / "pdscan.db"
    code, err, out_dir = _interrupted_scan(corpus, tmp_path, store, "--workers", workers, group=group)
    assert code == 130
    assert len(err) == 1 and not any("Traceback" in line for line in err), err  # workers say nothing
    line = LINE.fullmatch(err[0])
    assert line, err
    done, planned, written = map(int, line.groups())
    assert planned == FILES and done < FILES and written > 0
    # the output: renamed into place 0600, whole lines, the first findings of the whole scan in order
    assert [p.name for p in out_dir.iterdir()] == ["found.ndjson"]
    out = out_dir / "found.ndjson"
    assert os.stat(out).st_mode & 0o777 == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == written and all(json.loads(x) for x in lines)
    assert lines == expected[: len(lines)] and len(lines) < len(expected)
    # the store: the scan is there, marked interrupted, with every finding written
    scans = json.loads(run_pdscan("scans", "--store", store, "--format", "json").stdout)
    assert [(s["interrupted"], s["findings"], s["summary"]["interrupted"]) for s in scans] == [(True, written, True)]
    listing = run_pdscan("scans", "--store", store).stdout.splitlines()
    assert len(listing) == 1 and " interrupted " in listing[0]


def test_an_interrupted_scan_is_never_the_baseline(corpus, reference, tmp_path):
    expected, full_store = reference
    store = tmp_path / "pdscan.db"
    shutil.copy(full_store, store)  # scan 1: complete
    code, err, _ = _interrupted_scan(corpus, tmp_path, store, "--workers", "1", "--rescan")  # scan 2
    assert code == 130, err
    categories = ",".join(load_policy().categories)
    # scan 3: the gate compares with scan 1; against scan 2 the files it did not reach would be all new
    gate = run_pdscan("scan", corpus, "--store", store, "--fail-on", categories, "-o", tmp_path / "third.ndjson")
    assert gate.returncode == 0, gate.stderr
    assert "pdscan: 0 new findings since scan 1" in gate.stderr.splitlines()
    # the default diff takes the last two complete scans; an explicit diff from scan 2 claims nothing new
    default = json.loads(run_pdscan("diff", "--store", store, "--format", "json").stdout)
    assert (default["old"], default["new"], default["added"], default["resolved"]) == (1, 3, [], [])
    explicit = run_pdscan("diff", "2", "3", "--store", store, "--format", "json")
    assert explicit.returncode == 0
    assert json.loads(explicit.stdout)["added"] == [] and json.loads(explicit.stdout)["resolved"] == []
    # scan 3 reports the whole estate (items scan 2 finished carried from it, the others from scan 1)
    third = (tmp_path / "third.ndjson").read_text().splitlines()
    assert sorted(map(_where, third)) == sorted(map(_where, expected))


def _where(line: str) -> tuple:
    f = json.loads(line)
    return f["location"]["container"], f["location"]["line"], f["location"]["start"], f["entity"], f["fingerprint"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_sigint_that_reaches_only_the_workers_changes_nothing(corpus, reference, tmp_path):
    expected, _ = reference
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    stderr = tmp_path / "stderr.txt"
    args = ["scan", corpus, "--include", "app0*.log", "--workers", "2", "-q", "--no-store", "-o", out_dir / "f.ndjson"]
    proc = _start(args, stderr)
    try:
        _wait_for_findings(proc, out_dir)
        workers = _children(proc.pid)
        assert len(workers) >= 2
        for pid in workers:
            os.kill(pid, signal.SIGINT)  # the parent decides: the workers carry on
        code = proc.wait(timeout=STARTUP)
    finally:
        _stop(proc)
    assert code == 1 and stderr.read_text() == ""
    first_ten = [x for x in expected if json.loads(x)["location"]["container"].rsplit("/", 1)[-1].startswith("app0")]
    assert len(first_ten) > 100
    assert (out_dir / "f.ndjson").read_text(encoding="utf-8").splitlines() == first_ten


def _proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[19])


def _children(pid: int) -> dict[int, int]:
    """Child pid -> start time, from /proc."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat and stat[1] == pid:
                out[int(entry.name)] = stat[2]
    return out


def _alive(pid: int, started: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[2] == started and stat[0] not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent(corpus, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = _start(["scan", corpus, "--workers", "2", "-q", "--no-store", "-o", out_dir / "f.ndjson"], tmp_path / "e")
    workers: dict[int, int] = {}
    try:
        _wait_for_findings(proc, out_dir)  # the workers are running units
        workers = _children(proc.pid)
        assert len(workers) >= 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=ENDS)
        deadline = time.monotonic() + ENDS
        while time.monotonic() < deadline and any(_alive(p, s) for p, s in workers.items()):
            time.sleep(0.1)
        assert not [p for p, s in workers.items() if _alive(p, s)], "workers outlived their parent"
    finally:
        _stop(proc)
        for pid, started in workers.items():  # this test's own orphans, when it fails
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)


ORPHAN = """
import os, sys, time
from pdscan.interrupts import watch_parent
parent = os.getpid()  # taken before the fork, as the pool passes it to its workers
child = os.fork()
if child == 0:
    watch_parent(parent)  # the fallback where prctl is not available
    time.sleep(120)
    os._exit(0)
print(child, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_watcher_thread_ends_an_orphaned_worker():
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    child, started = None, None
    try:
        child = int(proc.stdout.readline())
        started = _proc_stat(child)[2]
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + ENDS
        while time.monotonic() < deadline and _alive(child, started):
            time.sleep(0.1)
        assert not _alive(child, started)
    finally:
        proc.kill()
        proc.wait()
        if child is not None and _alive(child, started):  # this test's own orphan, when it fails
            os.kill(child, signal.SIGKILL)


def test_a_worker_whose_parent_already_died_ends_at_once():
    # the race prctl alone leaves open: the parent it would watch is not its parent any more
    code = "import os; from pdscan.interrupts import die_with_parent; die_with_parent(os.getppid() + 1); print('alive')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, "")


def test_an_interrupt_waits_for_the_step_being_written():
    steps, before = [], signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), InterruptGuard() as guard:
        with guard.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)  # the handler has run by now: it only noted the interrupt
            steps.append("line written")
        steps.append("not reached")
    assert steps == ["line written"]
    assert signal.getsignal(signal.SIGINT) is before


def test_an_interrupt_held_in_a_step_ends_it_at_its_first_wait():
    steps = []
    with pytest.raises(KeyboardInterrupt), InterruptGuard() as guard:
        with guard.deferred():  # merging results received: they are all written ...
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
            steps.append("results here merged")
            with guard.deferred():
                steps.append("a line written")
            with guard.interruptible():  # ... up to the first that has to be waited for
                steps.append("not reached")
    assert steps == ["results here merged", "a line written"]


def test_an_interrupt_caught_to_keep_a_bundle_is_raised_again():
    guard = InterruptGuard()  # never entered: Python's own handler, as for a library caller
    with pytest.raises(KeyboardInterrupt), guard.deferred():
        guard.again()
        with guard.deferred():
            pass  # a step inside the outer one: it still holds
    with guard.deferred():  # raised once, then gone
        pass


def test_an_ignored_sigint_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as nohup or a background job
    try:
        with InterruptGuard():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
    finally:
        signal.signal(signal.SIGINT, previous)


def _case_opened(store: Path) -> bool:
    """`dsar find` has opened its case in the store: the search comes next."""
    if not store.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=0.1)) as db:
            return bool(db.execute("SELECT count(*) FROM dsar_cases").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or locked by the writer for a moment
        return False


def test_ctrl_c_in_dsar_find_writes_no_half_package(tmp_path):
    folder = tmp_path / "crm"
    folder.mkdir()
    for k in range(6):  # every row is the person's: assembling the records takes seconds
        rows = ["id,email,name,note"] + [f"{i},jane.roe@example.com,Jane Roe,order {i}" for i in range(10_000)]
        (folder / f"crm{k}.csv").write_text("\n".join(rows) + "\n")
    package = tmp_path / "out" / "jane.json"
    package.parent.mkdir()
    package.write_text("the earlier package\n")
    store, stderr = tmp_path / "pdscan.db", tmp_path / "stderr.txt"
    args = ["dsar", "find", folder, "--email", "jane.roe@example.com", "-o", package, "--store", store]
    proc = _start(args, stderr)
    try:
        deadline = time.monotonic() + STARTUP
        while not _case_opened(store):  # the search starts then, and takes seconds
            assert proc.poll() is None and time.monotonic() < deadline, "the search ended before it was interrupted"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=ENDS)
    finally:
        _stop(proc)
    err = stderr.read_text().splitlines()
    assert code == 130 and len(err) == 1, err
    case = re.fullmatch(r"pdscan: dsar find interrupted: no package written; case (\S+) stays open "
                        r"\(--case \1 to search again\)", err[0])  # fmt: skip
    assert case, err
    assert [p.name for p in package.parent.iterdir()] == ["jane.json"]
    assert package.read_text() == "the earlier package\n"
    listed = json.loads(run_pdscan("dsar", "list", "--format", "json", "--store", store).stdout)
    assert [(c["case"], c["status"]) for c in listed] == [(case.group(1), "open")]


def test_ray_abort_cancels_the_tasks_in_flight(corpus):
    import ray  # in the test extra: this test never skips

    from pdscan.connectors.registry import connector_for
    from pdscan.core.errors import WorkerFailed
    from pdscan.core.keys import FingerprintKey
    from pdscan.detectors.pipeline import Detector
    from pdscan.engine import ScanOptions
    from pdscan.rayengine import RayExecutor
    from pdscan.unitscan import ScanContext, Unit

    options = ScanOptions()
    context = ScanContext(Detector(), FingerprintKey(b"interrupt-test"), options, load_policy(), date.today())
    items = list(connector_for(str(corpus), options.connector).items([]))[:3]
    executor = RayExecutor(context, workers=1)
    try:
        window = executor.window()
        tickets = [window.add(Unit(item, str(corpus), origin=str(corpus))) for item in items]
        executor.abort()  # the first is starting (its worker loads the model), the others wait
        # a running task's worker is killed (Ray reports the crash), a waiting one is cancelled
        for ticket in tickets:
            with pytest.raises(WorkerFailed, match=r"\((TaskCancelledError|WorkerCrashedError)\)$"):
                window.get(ticket)
    finally:
        executor.close()
    assert not ray.is_initialized()


def _session(sid: int) -> list[int]:
    """Processes of a session (a terminal's, here the scan's own), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_ends_a_ray_scan_and_the_ray_it_started(corpus, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    stderr = tmp_path / "stderr.txt"
    args = ["scan", corpus, "--engine", "ray", "--workers", "2", "-q", "--no-store", "-o", out_dir / "f.ndjson"]
    proc = _start(args, stderr)
    try:
        _wait_for_findings(proc, out_dir)
        assert len(_session(proc.pid)) > 2  # Ray's own processes run beside the scan
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C on the terminal: Ray's processes get it too
        code = proc.wait(timeout=3 * ENDS)  # Ray takes a few seconds to shut down
        deadline = time.monotonic() + 3 * ENDS
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session(proc.pid) == []  # the Ray pdscan started is gone with it
    finally:
        _stop(proc)
        for pid in _session(proc.pid):  # this test's own leftovers, when it fails
            os.kill(pid, signal.SIGKILL)
    err = stderr.read_text()
    assert code == 130 and "Traceback" not in err
    assert any(LINE.fullmatch(line) for line in err.splitlines()), err
    lines = (out_dir / "f.ndjson").read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(x) for x in lines)


QUICK_PASS = 2400  # files a second between a detecting pass (900-1,700) and a quick one (listing, hashing: about 5,000)
SMALL = 2400  # files of 1-2 KB: one bundle of about 3.5 MB, detected in steps (pdscan.unitscan.FLUSH_BYTES)


@pytest.fixture(scope="module")
def small_files(tmp_path_factory) -> tuple[Path, list[str]]:
    """A folder of small files, a third with personal data, and its whole scan's output."""
    from benchmarks.smallcorpus import write_corpus

    folder = tmp_path_factory.mktemp("small")
    write_corpus(folder / "files", SMALL, pii_every=3, seed=5)
    out = folder / "all.ndjson"
    done = run_pdscan("scan", folder / "files", "--workers", "1", "-q", "--no-store", "-o", out)
    assert done.returncode == 1, done.stderr
    return folder / "files", out.read_text(encoding="utf-8").splitlines()


def _reading_file(pid: int, folder: Path) -> int:
    """The number in the name of the file of `folder` the process has open (-1: none)."""
    try:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    except (FileNotFoundError, ProcessLookupError):
        return -1
    numbers = [int(Path(link).stem) for link in links if link.startswith(str(folder)) and Path(link).stem.isdigit()]
    return max(numbers, default=-1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_inside_a_bundle_keeps_the_files_it_detected_whole(small_files, tmp_path):
    folder, expected = small_files
    out_dir, store, stderr = tmp_path / "out", tmp_path / "pdscan.db", tmp_path / "stderr.txt"
    out_dir.mkdir()
    proc = _start(["scan", folder, "--workers", "1", "-q", "-o", out_dir / "f.ndjson", "--store", store], stderr)
    try:
        deadline, last, started = time.monotonic() + STARTUP, -1, None
        # quick passes open every file first (listing sniffs each file's content for archives, the
        # store's check hashes it); the bundle's reading is the pass that goes at detection's pace:
        # wait for it to be past its first detection step
        while started is None or last < SMALL * 5 // 8 or time.monotonic() - started < last / QUICK_PASS:
            assert proc.poll() is None and time.monotonic() < deadline, "the scan ended before it was interrupted"
            now = _reading_file(proc.pid, folder)
            if now >= 0:
                if started is None or now < last - SMALL // 2:  # a pass begins (a wrap from the end to the start)
                    started = time.monotonic()
                last = now
            time.sleep(0.001)
        os.kill(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=ENDS)
    finally:
        _stop(proc)
    err = stderr.read_text().splitlines()
    assert code == 130 and len(err) == 1, err
    done, planned, written = map(int, LINE.fullmatch(err[0]).groups())
    assert planned == SMALL and 0 < done < SMALL
    # the files of the bundle detected before the Ctrl-C: their findings, whole and in order
    lines = (out_dir / "f.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == written and 0 < written < len(expected)
    assert lines == expected[:written]
    scans = json.loads(run_pdscan("scans", "--store", store, "--format", "json").stdout)
    assert [(s["interrupted"], s["findings"]) for s in scans] == [(True, written)]
    # the next run carries the files done and reads the others (not recorded: never read whole)
    again = run_pdscan("scan", folder, "--workers", "1", "--store", store, "-o", tmp_path / "again.ndjson")
    assert again.returncode == 1, again.stderr
    assert f" s; {done} unchanged since scan 1, not read again (--rescan to read them)" in again.stderr
    assert sorted(map(_uncarried, (tmp_path / "again.ndjson").read_text().splitlines())) == sorted(
        map(_uncarried, expected)
    )


def _uncarried(line: str) -> str:
    """A finding as the scan that read its item wrote it (the store keeps no `distinct` count of a column)."""
    finding = json.loads(line)
    finding.pop("carried_from", None)
    if finding["kind"] == "column":
        finding["distinct"] = None
    return json.dumps(finding)
