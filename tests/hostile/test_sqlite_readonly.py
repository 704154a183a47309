"""SQLite sources are read without creating or changing anything beside them (issue 17, point 11).

A WAL-mode database with committed rows only in its `-wal` (no checkpoint), a rollback-journal
database, and one with a hot `-journal` (a writer that died mid-transaction) sit in a folder.
Every way pdscan reads them (`sqlite:///` URL, the folder, row granularity, two workers, a DSAR
search) leaves the folder's names, sizes and mtimes as they were, and finds the planted SSNs.

The tests run as root, for whom `chmod 555` stops no write: the read-only folder is a read-only
bind mount (skipped where mounting is not permitted).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pdscan.connectors.limits import Limits
from pdscan.connectors.sql import sqlitefile
from tests.hostile import harness

IN_FILE = "532-71-4411"  # checkpointed into wal.db
IN_WAL = "532-71-4418"  # committed, only in wal.db-wal
ROLLBACK = "532-71-4413"  # rollback.db, no journal beside it
UNDONE = "532-71-4412"  # hot.db: committed; the dead writer's unfinished transaction dropped its table
PLANTED = [IN_FILE, IN_WAL, ROLLBACK, UNDONE]


def _wal_db(build: Path, src: Path) -> None:
    """wal.db with a table only in its -wal: copied into place while the writer is still open."""
    conn = sqlite3.connect(build / "wal.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, ssn TEXT)")
    conn.execute("INSERT INTO customers (ssn) VALUES (?)", (IN_FILE,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE late (id INTEGER PRIMARY KEY, ssn TEXT)")
    conn.execute("INSERT INTO late (ssn) VALUES (?)", (IN_WAL,))
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(build / f"wal.db{suffix}", src / f"wal.db{suffix}")
    conn.close()


def _rollback_db(src: Path) -> None:
    conn = sqlite3.connect(src / "rollback.db")
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, ssn TEXT)")
    conn.execute("INSERT INTO people (ssn) VALUES (?)", (ROLLBACK,))
    conn.commit()
    conn.close()


def _hot_journal_db(build: Path, src: Path) -> None:
    """hot.db and its -journal as a writer leaves them when it dies with pages spilled to the file."""
    conn = sqlite3.connect(build / "hot.db", isolation_level=None)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, ssn TEXT)")
    conn.execute("INSERT INTO accounts (ssn) VALUES (?)", (UNDONE,))
    conn.execute("PRAGMA cache_size=2")  # spill the unfinished transaction's pages into the file
    conn.execute("BEGIN")
    conn.execute("DROP TABLE accounts")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    for suffix in ("", "-journal"):
        shutil.copyfile(build / f"hot.db{suffix}", src / f"hot.db{suffix}")
    conn.execute("ROLLBACK")
    conn.close()


@pytest.fixture
def src(tmp_path) -> Path:
    build, src = tmp_path / "build", tmp_path / "src"
    build.mkdir()
    src.mkdir()
    _wal_db(build, src)
    _rollback_db(src)
    _hot_journal_db(build, src)
    harness.good_file(src)
    return src


def snapshot(folder: Path) -> dict:
    """The folder's names with each file's size and mtime, and the folder's own mtime."""
    files = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}
    return {"folder": folder.stat().st_mtime_ns, "files": files}


def test_the_source_folder_is_as_it_was_built(src):
    assert sorted(os.listdir(src)) == ["good.txt", "hot.db", "hot.db-journal", "rollback.db",
                                       "wal.db", "wal.db-shm", "wal.db-wal"]  # fmt: skip
    immutable = sqlite3.connect(f"file:{src / 'wal.db'}?mode=ro&immutable=1", uri=True)
    tables = {name for (name,) in immutable.execute("SELECT name FROM sqlite_master")}
    immutable.close()
    assert tables == {"customers"}  # `late` is only in the -wal: immutable=1 alone would miss it
    assert [sqlitefile.plan(str(src / n)) for n in ("wal.db", "rollback.db", "hot.db")] == ["copy", "ro", "copy"]


def _pdscan(work: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """A real `pdscan` process with a store of its own in `work`."""
    work.mkdir(exist_ok=True)
    env = {**os.environ, "PDSCAN_KEY": harness.KEY, "PDSCAN_STORE": str(work / "pdscan.db")}
    cmd = [sys.executable, "-m", "pdscan", *args]
    return subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def _tables(output: dict) -> set[tuple[str, str]]:
    """(database file, table) of every finding, from a URL scan or a folder scan."""
    found = set()
    for f in output["findings"]:
        loc = f["location"]
        if "table" in loc:  # sqlite:///path: the table is the container
            found.add((os.path.basename(loc["database"]), loc["table"]))
        elif loc["path"].endswith(".db"):  # a database in a folder: field is table.column
            found.add((os.path.basename(loc["path"]), loc["field"].split(".", 1)[0]))
    return found


EXPECTED = {("wal.db", "customers"), ("wal.db", "late"), ("rollback.db", "people"), ("hot.db", "accounts")}
MODES = {"column": (), "row": ("--granularity", "row"), "workers": ("--workers", "2")}


@pytest.mark.parametrize("mode", MODES)
def test_a_scan_of_each_database_url_changes_nothing_and_finds_every_planted_value(src, tmp_path, mode):
    before = snapshot(src)
    found = set()
    for db in ("wal.db", "rollback.db", "hot.db"):
        out = tmp_path / f"{db}.json"
        done = _pdscan(tmp_path / "work", "scan", f"sqlite:///{src / db}", "--format", "json", "-o", str(out),
                       "--no-progress", *MODES[mode])  # fmt: skip
        assert done.returncode == 1, done.stderr
        output = json.loads(out.read_text())
        assert not output["coverage"], output["coverage"]
        found |= _tables(output)
    assert snapshot(src) == before
    assert found == EXPECTED


@pytest.mark.parametrize("mode", MODES)
def test_a_scan_of_the_folder_changes_nothing_and_finds_every_planted_value(src, mode):
    before = snapshot(src)
    result = harness.scan(src, *MODES[mode], reports=mode == "column")
    assert snapshot(src) == before
    assert EXPECTED <= _tables(result.output)
    harness.assert_clean(result, planted=PLANTED)
    assert result.reason("wal.db") is None and result.reason("hot.db") is None


def test_a_dsar_search_of_the_folder_and_the_urls_changes_nothing_and_finds_the_person(src, tmp_path):
    before = snapshot(src)
    urls = [f"sqlite:///{src / db}" for db in ("wal.db", "rollback.db", "hot.db")]
    args = [f"--ssn={ssn}" for ssn in PLANTED]
    evidence = tmp_path / "evidence.json"
    done = _pdscan(tmp_path / "work", "dsar", "find", str(src), *urls, *args, "--dry-run",
                   "-o", str(tmp_path / "answer.json"), "--evidence", str(evidence))  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert snapshot(src) == before
    package = json.loads(evidence.read_text())
    assert package["complete"], [c for c in package["coverage"] if c["status"] != "searched"]
    matched = {(r["source"] == str(src), os.path.basename(r["location"].get("path") or r["location"]["database"]),
                r["location"]["table"]) for r in package["records"]}  # fmt: skip
    assert matched == {(folder, *found) for found in EXPECTED for folder in (True, False)}


@pytest.fixture
def readonly(src, tmp_path) -> Path:
    """`src` seen through a read-only bind mount: not even root can create a file in it."""
    view = tmp_path / "ro"
    view.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to bind-mount a read-only view")
    bind = subprocess.run(["mount", "--bind", str(src), str(view)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip(f"mount not permitted here: {bind.stderr.decode(errors='replace').strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True)
        with pytest.raises(OSError):
            (view / "probe").write_text("x")
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_a_read_only_folder_is_scanned_whole(readonly, tmp_path):
    before = snapshot(readonly)
    for db in ("wal.db", "rollback.db", "hot.db"):
        out = tmp_path / f"{db}.json"
        done = _pdscan(tmp_path / "work", "scan", f"sqlite:///{readonly / db}", "--format", "json", "-o", str(out))
        assert done.returncode == 1, done.stderr
    result = harness.scan(readonly, reports=False)
    assert snapshot(readonly) == before
    assert EXPECTED <= _tables(result.output)
    assert result.reason("wal.db") is None and result.reason("rollback.db") is None


def test_a_copy_past_limits_temp_bytes_is_too_large_and_the_rest_is_scanned(src, tmp_path):
    config = tmp_path / "pdscan.yaml"
    config.write_text("limits:\n  temp_bytes: 4096\n")
    before = snapshot(src)
    result = harness.scan(src, "--config", str(config), reports=False)
    assert snapshot(src) == before
    assert result.reason("wal.db") == "too_large" and result.reason("hot.db") == "too_large"
    assert "limits.temp_bytes" in result.item("wal.db")["detail"]
    assert ("rollback.db", "people") in _tables(result.output)  # opened in place: no copy, no cap
    harness.assert_clean(result, planted=PLANTED)
    assert not [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("pdscan-sqlite-*")]


def _open_files() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass  # the listing's own descriptor, closed by now
    return found


def test_the_private_copy_is_gone_once_the_connection_is_open(src):
    conn = sqlitefile.connect(str(src / "wal.db"), Limits(), 5.0)
    try:
        assert conn.execute("SELECT ssn FROM late").fetchall() == [(IN_WAL,)]
        copies = [f for f in _open_files() if "pdscan-sqlite-" in f]
        assert copies and all(f.endswith("(deleted)") for f in copies), copies
    finally:
        conn.close()
