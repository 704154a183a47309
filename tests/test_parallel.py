"""Split and parallel scans give exactly the findings and coverage of a scan in one process."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import write_log
from pdscan.connectors import chunks
from pdscan.core.keys import FingerprintKey
from pdscan.detectors.pipeline import Detector
from pdscan.engine import Scanner, ScanOptions
from pdscan.parallel import LocalExecutor
from pdscan.policy import load_policy
from pdscan.unitscan import ScanContext
from tests.conftest import DATA, TEST_KEY

SAMPLE = 200  # column_sample: small, so CSV heads decide and later parts run side by side
KEY = FingerprintKey(b"parallel-test-key")


def _write_corpus(folder) -> None:
    rng = random.Random(11)
    write_log(folder / "app.log", 300_000, pii_every=150)
    with open(folder / "customers.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "email", "remark", "phone", "note"])
        for i in range(4000):
            remark = f"sent to helper{i}@example.org" if i % 700 == 3 else rng.choice(["ok", "later", ""])
            # a quoted value holding a newline: a cut must never fall inside it
            note = 'line one\nline two, "quoted"' if i % 97 == 0 else ""
            w.writerow([i, f"user{i}@example.com", remark, f"(212) 555-{rng.randint(1000, 9999)}", note])
            if i % 500 == 250:
                w.writerow([i, "a row with too many fields", "", "", "", "", ""])  # skipped, counted in every part
    with open(folder / "sparse.csv", "w", newline="") as fh:
        w = csv.writer(fh)  # a column with fewer values than the sample: its verdict stays open
        w.writerow(["id", "contact"])
        for i in range(3000):
            w.writerow([i, f"call (415) 555-01{i % 90:02d} now" if i % 40 == 0 else ""])
    names = [f"user{i}@example.net" if i % 3 else "" for i in range(6000)]
    table = pa.table(
        {"id": list(range(6000)), "email": names, "ssn": [f"123-45-{i % 9000 + 1000}" for i in range(6000)]}
    )
    pq.write_table(table, folder / "events.parquet", row_group_size=700)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    _write_corpus(folder)
    return folder


def _context(options: ScanOptions) -> ScanContext:
    return ScanContext(Detector(), KEY, options, load_policy(), date.today())


def _scan(folder, chunk_bytes: int = 32 << 20, executor=None) -> tuple[list[str], list[dict], dict]:
    found = []
    options = ScanOptions(column_sample=SAMPLE, chunk_bytes=chunk_bytes)
    scanner = Scanner(Detector(), KEY, options, emit=found.append, warn=lambda _: None, executor=executor)
    summary = scanner.scan([str(folder)])
    return [json.dumps(f.to_dict()) for f in found], [r.to_dict() for r in summary.items], dict(summary.findings)


@pytest.fixture(scope="module")
def reference(corpus):
    return _scan(corpus)


@pytest.fixture(scope="module")
def local_pool():
    executor = LocalExecutor(_context(ScanOptions(column_sample=SAMPLE)), workers=2)
    yield executor
    executor.close()


def test_files_are_split_at_line_ends_outside_quotes(corpus):
    for name in ("app.log", "customers.csv"):
        path = corpus / name
        data = path.read_bytes()
        parts = chunks.split(str(path), len(data), 20_000, 5_000)
        assert len(parts) > 5
        assert b"".join(data[p.start : p.end] for p in parts) == data
        for p in parts[1:]:
            assert data[p.start - 1 : p.start] == b"\n"
            assert data[: p.start].count(b'"') % 2 == 0
    parquet = chunks.split(str(corpus / "events.parquet"), 10**6, 1, None)
    assert [(p.start, p.end) for p in parquet] == [(g, g + 1) for g in range(9)]


def test_reference_scan_finds_what_the_corpus_holds(reference):
    findings, items, counts = reference
    kinds = {(json.loads(f)["location"]["container"].rsplit("/", 1)[-1], json.loads(f)["entity"]) for f in findings}
    assert {("customers.csv", "EMAIL_ADDRESS"), ("events.parquet", "US_SSN"), ("sparse.csv", "PHONE_NUMBER")} <= kinds
    assert counts["EMAIL_ADDRESS"] > 10
    status = {i["container"].rsplit("/", 1)[-1]: (i["status"], i["detail"]) for i in items}
    assert status.pop("customers.csv") == ("partial", "8 rows with the wrong number of fields were skipped")
    assert {s for s, _ in status.values()} == {"complete"}
    columns = {
        (f["location"]["container"].rsplit("/", 1)[-1], f["location"]["field"]): f for f in map(json.loads, findings)
    }
    email = columns["customers.csv", "email"]
    assert (email["matches"], email["sampled"], email["unchecked"]) == (SAMPLE, SAMPLE, 4000 - SAMPLE)
    assert columns["customers.csv", "remark"]["matches"] == 6  # sparse: checked to the end
    assert columns["sparse.csv", "contact"]["matches"] == 75 and "unchecked" not in columns["sparse.csv", "contact"]


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunk_bytes=st.integers(min_value=4_000, max_value=200_000))
def test_split_parallel_scan_equals_one_process(corpus, reference, local_pool, chunk_bytes):
    assert _scan(corpus, chunk_bytes, local_pool) == reference


def test_workers_option_gives_the_same_output(scan):
    one = scan(DATA / "files", "--workers", "1", "--no-store")
    two = scan(DATA / "files", "--workers", "2", "--no-store")
    assert one.code == two.code == 1 and one.findings and one.stdout == two.stdout


def test_ray_engine_gives_the_same_findings_as_local(corpus, reference):
    import ray  # in the test extra: this test never skips

    from pdscan.rayengine import RayExecutor

    executor = RayExecutor(_context(ScanOptions(column_sample=SAMPLE)), workers=2)
    try:
        assert ray.is_initialized()
        assert _scan(corpus, 30_000, executor) == reference
    finally:
        executor.close()


def test_ray_engine_from_the_command_line(scan):
    local = scan(DATA / "files", "--workers", "1", "--no-store")
    ray = scan(DATA / "files", "--engine", "ray", "--workers", "2", "--no-store")
    assert ray.code == local.code == 1 and ray.stdout == local.stdout


def test_ray_engine_without_ray_is_one_clear_line():
    # `import ray` fails as it does where Ray is not installed
    code = "import sys; sys.modules['ray'] = None; from pdscan.cli import main; main()"
    args = ["scan", str(DATA / "files"), "--engine", "ray", "--no-store"]
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == ["Error: --engine ray needs Ray: pip install 'pdscan[ray]'"]


def _die(unit) -> None:
    os._exit(3)  # a worker killed mid-unit (out of memory, a signal)


def test_a_dead_worker_ends_the_scan_with_one_line():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pdscan.core.errors import WorkerFailed
    from pdscan.parallel import Window

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        window = Window(lambda unit: pool.submit(_die, unit), 2)
        ticket = window.add(None)
        with pytest.raises(WorkerFailed, match=r"^a scan worker failed \(BrokenProcessPool\)$"):
            window.get(ticket)
