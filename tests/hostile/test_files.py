"""Files that are not what they seem: FIFOs, devices, loops, vanishing files, gzip bombs, wide headers.

Each end-to-end case is a real `pdscan scan` (the findings store on, as by default) of a bad item
beside a good file: the reason code, the good file reported, no hang (the harness timeout), peak
RSS under 1 GB, nothing planted leaked.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pdscan.connectors.files import FileConnector
from pdscan.core.errors import ItemError
from pdscan.core.keys import FingerprintKey
from pdscan.core.model import ItemResult
from pdscan.detectors.pipeline import Detector
from pdscan.engine import Scanner, ScanOptions
from pdscan.incremental import ChangeTracker
from pdscan.store import Store
from tests.cli.test_bad_input import WITHOUT_OVERRIDE, _can_drop_override
from tests.conftest import run_pdscan
from tests.hostile import harness

PLANTED_SSN = "536-90-4399"  # only in files that must not be read (behind a link to a folder, in a bomb)
MB = 1 << 20


def _scan(folder: Path, *args: str, **kw) -> harness.Scan:
    started = time.monotonic()
    result = harness.scan(folder, *args, **kw)
    print(f"\n{folder.name} {' '.join(args)}: {time.monotonic() - started:.1f} s, peak RSS {result.peak_mb:.0f} MB")
    return result


def _case(tmp_path: Path, name: str = "d") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    harness.good_file(folder)
    return folder


def _bomb(path: Path, first: bytes, filler: bytes, unpacked: int = 1 << 30, member: int = 64 * MB) -> None:
    """A gzip of `first` + `filler` repeated to `unpacked` bytes, built a member at a time (multi-member gzip)."""
    repeated = gzip.compress(filler * (member // len(filler)), 6)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(first + filler * ((member - len(first)) // len(filler)), 6))
        for _ in range(unpacked // member - 1):
            fh.write(repeated)


def test_fifo_and_a_link_to_dev_zero_are_never_opened(tmp_path):
    folder = _case(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.txt"))
        result = _scan(folder)
    harness.assert_clean(result)
    for name in ("pipe.txt", "zero.txt", "sock.txt"):
        assert result.reason(name) == "not_regular_file", result.item(name)
    assert result.item("zero.txt")["detail"] == "not a regular file (a character device), not opened"


def test_link_to_a_folder_is_not_followed_and_a_symlink_loop_is_named(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hidden.txt").write_text(f"SSN {PLANTED_SSN}\n")
    folder = _case(tmp_path)
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "ping.txt").symlink_to("pong.txt")
    (folder / "pong.txt").symlink_to("ping.txt")
    result = _scan(folder)
    harness.assert_clean(result, planted=[PLANTED_SSN])
    for name in ("self.txt", "ping.txt", "pong.txt"):
        assert result.reason(name) == "symlink_loop", result.item(name)
    assert not any("hidden.txt" in c["container"] for c in result.output["coverage"])
    assert not result.found_in("hidden.txt")


def test_a_file_deleted_between_listing_and_reading_has_vanished(tmp_path):
    # Deterministic: the engine reads items in order, and the skip of the FIFO before it is
    # warned (synchronously, in the engine) after every item was listed and planned (with the store).
    folder = _case(tmp_path)
    os.mkfifo(folder / "a-pipe.txt")
    (folder / "b-gone.txt").write_text(f"SSN {PLANTED_SSN}\n")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    scan_id = store.begin([str(folder)], "default", "k")
    warned = []

    def warn(line: str) -> None:
        warned.append(line)
        if "a-pipe.txt" in line:
            os.remove(folder / "b-gone.txt")

    found = []
    scanner = Scanner(
        Detector(),
        FingerprintKey(b"hostile-files"),
        ScanOptions(bundle_bytes=0),  # one item at a time, in order (no bundle read ahead)
        emit=found.append,
        warn=warn,
        tracker=ChangeTracker(store, scan_id),
    )
    summary = scanner.scan([str(folder)])
    coverage = {Path(r.container).name: (r.status, r.reason) for r in summary.items}
    assert coverage["a-pipe.txt"] == ("skipped", "not_regular_file")
    assert coverage["b-gone.txt"] == ("skipped", "vanished"), warned
    assert coverage["good.txt"] == ("complete", None)
    assert [Path(f.location.container).name for f in found] == ["good.txt"]


def test_the_connector_refuses_what_is_not_a_regular_file_before_hashing(tmp_path):
    # version() runs while planning: it must not block on a FIFO nor hash /dev/zero forever
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "file").write_text("x\n")
    connector = FileConnector(str(tmp_path))
    items = {Path(i.container).name: i for i in connector.items([])}
    os.remove(tmp_path / "file")
    expected = {"pipe": "not_regular_file", "zero": "not_regular_file", "loop": "symlink_loop", "file": "vanished"}
    for name, reason in expected.items():
        assert connector.version(items[name], None) == (None, False), name
        with pytest.raises(ItemError) as caught:
            list(connector.read(items[name], ItemResult(str(tmp_path), name)))
        assert caught.value.reason == reason, name


@pytest.mark.skipif(not _can_drop_override(), reason="root without setpriv cannot be denied a folder")
def test_a_folder_that_can_be_listed_but_not_entered(tmp_path):
    # As root, permissions do not apply: the scan runs without CAP_DAC_OVERRIDE/DAC_READ_SEARCH.
    folder = _case(tmp_path)
    shut = folder / "shut"
    shut.mkdir()
    (shut / "inside.txt").write_text(f"SSN {PLANTED_SSN}\n")
    os.chmod(shut, 0o444)  # r--: its names can be read, nothing in it opened
    try:
        prefix = WITHOUT_OVERRIDE if os.geteuid() == 0 else ()
        done = run_pdscan("scan", folder, "--format", "ndjson", "--no-progress", prefix=prefix, timeout=120)
    finally:
        os.chmod(shut, 0o755)
    assert done.returncode == 1, done.stderr
    assert f"skipped {shut / 'inside.txt'}: unreadable (cannot open (Permission denied))" in done.stderr
    assert "good.txt" in done.stdout and PLANTED_SSN not in done.stdout + done.stderr


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> Path:
    """1 GB of text and PAR1 + 1 GB of zeros, gzipped (about 3 MB and 1 MB), built streaming."""
    folder = tmp_path_factory.mktemp("bombs")
    _bomb(
        folder / "bomb.txt.gz", f"SSN {PLANTED_SSN}\n".encode(), b"all work and no play makes jack a dull boy\n" * 100
    )
    _bomb(folder / "bomb.parquet.gz", b"PAR1", b"\0" * 4096)
    return folder


def test_gzip_bombs_stop_at_the_ratio_and_leave_no_temp_file(tmp_path, bombs):
    folder = _case(tmp_path)
    for name in ("bomb.txt.gz", "bomb.parquet.gz"):
        shutil.copy(bombs / name, folder / name)
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = _scan(folder, env={"TMPDIR": str(temp)}, timeout=90)
    harness.assert_clean(result, planted=[PLANTED_SSN])
    text, par = result.item("bomb.txt.gz"), result.item("bomb.parquet.gz")
    assert (text["status"], text["reason"]) == ("partial", "bomb"), text  # what came before was scanned
    assert "compression_ratio" in text["detail"] and text["records"] > 0
    assert result.found_in("bomb.txt.gz")  # the SSN at the start of the bomb was found
    assert (par["status"], par["reason"]) == ("skipped", "bomb"), par
    assert par["bytes"] <= 8 * MB  # unpacked (and spooled) before the stop: a few MB, not 1 GB
    assert list(temp.iterdir()) == []  # the private spool folder is gone


def test_decompressed_bytes_and_temp_bytes_caps_from_the_config(tmp_path):
    folder = _case(tmp_path)
    rows = "".join(f"{i},{os.urandom(24).hex()}\n" for i in range(40_000))  # ~2.3 MB, packs about 2:1
    (folder / "big.csv.gz").write_bytes(gzip.compress(f"id,token\n{rows}".encode()))
    pq.write_table(pa.table({"token": [os.urandom(24).hex() for _ in range(40_000)]}), folder / "t.parquet")
    (folder / "t.parquet.gz").write_bytes(gzip.compress((folder / "t.parquet").read_bytes()))
    (folder / "t.parquet").unlink()
    config = tmp_path / "pdscan.yaml"
    config.write_text(f"limits:\n  decompressed_bytes: {MB}\n  temp_bytes: {MB}\n")
    result = _scan(folder, "--config", str(config))
    harness.assert_clean(result)
    big = result.item("big.csv.gz")
    assert (big["status"], big["reason"]) == ("partial", "bomb") and "decompressed_bytes" in big["detail"], big
    assert big["records"] > 0
    par = result.item("t.parquet.gz")
    assert (par["status"], par["reason"]) == ("skipped", "too_large"), par


def test_csv_header_longer_than_the_head_part_keeps_its_rows_with_two_workers(tmp_path):
    folder = _case(tmp_path)
    names = [f"c{i:03d}_" + "n" * 800 for i in range(300)]  # a 240 KB header, past the 64 KB head part
    with open(folder / "wide.csv", "w") as fh:
        fh.write(",".join(["ssn", *names]) + "\n")
        filler = ",".join(["x"] * 300)
        for i in range(300):
            fh.write(f"532-71-{4400 + i % 10:04d},{filler}\n")
    assert (folder / "wide.csv").stat().st_size > 256 << 10  # split into parts by --workers 2
    result = _scan(folder, "--workers", "2", "--rescan")
    harness.assert_clean(result)
    assert result.item("wide.csv") is None  # complete
    assert result.found_in("wide.csv")


def test_every_case_at_once_with_two_workers(tmp_path, bombs):
    folder = _case(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    for name in ("bomb.txt.gz", "bomb.parquet.gz"):
        shutil.copy(bombs / name, folder / name)
    result = _scan(folder, "--workers", "2", timeout=120)
    harness.assert_clean(result, planted=[PLANTED_SSN])
    reasons = {n: result.reason(n) for n in ("pipe.txt", "zero.txt", "loop.txt", "bomb.txt.gz", "bomb.parquet.gz")}
    assert reasons == {
        "pipe.txt": "not_regular_file",
        "zero.txt": "not_regular_file",
        "loop.txt": "symlink_loop",
        "bomb.txt.gz": "bomb",
        "bomb.parquet.gz": "bomb",
    }
