"""The Ray engine on clusters of its own: one started by `ray start` from another directory, and
one of two nodes (Ray's `cluster_utils`), each driven by `pdscan scan` in a process of its own.

Findings must be byte for byte those of the local engine. A file that exists only where the driver
runs (a copy in a mount namespace of the driver's own, as a file on the driver's machine is to the
other machines of a cluster) must come back unreadable naming the node that tried, with exit 2.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from benchmarks.corpus import write_log
from tests.conftest import DATA, TEST_KEY

pytest.importorskip("ray")  # the test extra installs it: these tests run in CI

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# On Linux Ray swaps 127.0.0.1 for the machine's outward address; this keeps every node, driver and
# connection on the loopback (the setting is named for the platforms where that is the default).
LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
RAY_CLI = "from ray.scripts.scripts import main; main()"  # `ray`, with this interpreter (and this pdscan)
START_SECONDS = 120
NODE = re.compile(r"node 127\.0\.0\.1 \(id ([0-9a-f]{56})\)")


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode == 0


needs_unshare = pytest.mark.skipif(not _can_unshare(), reason="needs a mount namespace (unshare --mount, as root)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pdscan(*args, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    command = [*prefix, sys.executable, "-m", "pdscan", "scan", *map(str, args), "--no-store", "--format", "ndjson"]
    env = {**os.environ, **LOOPBACK, "PDSCAN_KEY": TEST_KEY}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _only_for_the_driver(hidden: Path, source: Path) -> tuple[str, ...]:
    """A command prefix: a mount namespace where `hidden` holds a copy of `source`; elsewhere it is empty."""
    script = 'mount -t tmpfs pdscan "$0" && cp -R "$1"/. "$0" && shift && exec "$@"'
    return ("unshare", "--mount", "sh", "-c", script, str(hidden), str(source))


@pytest.fixture(scope="module")
def ray_tmp():
    """Ray's files (sessions, sockets, the current-cluster file) in a folder of this module's own.

    Short, as Ray's socket paths must be; and `ray.init()` elsewhere on the machine never finds
    these clusters through /tmp/ray.
    """
    folder = tempfile.mkdtemp(prefix="pdray", dir="/tmp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAY_TMPDIR", folder)
        for name, value in LOOPBACK.items():
            mp.setenv(name, value)
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def head(ray_tmp, tmp_path_factory):
    """`ray start --head` run from a folder of its own (its workers' working directory): the address."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    port = _free_port()
    log = elsewhere / "ray-start.log"
    command = [
        *(sys.executable, "-c", RAY_CLI, "start", "--head", "--port", str(port), "--node-ip-address", "127.0.0.1"),
        *("--num-cpus", "2", "--temp-dir", os.path.join(ray_tmp, "head"), "--include-dashboard=false"),
        *("--disable-usage-stats", "--block"),
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=elsewhere, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_SECONDS
        while "Ray runtime started" not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ray start did not come up:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """`ray start --block` stops what it started on SIGTERM; whatever is left of its group is killed."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


@pytest.fixture(scope="module")
def two_nodes(ray_tmp):
    """A cluster of two nodes of one CPU each on this machine, as Ray's own tests make them: the address."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "node_ip_address": "127.0.0.1", "include_dashboard": False},
    )
    try:
        cluster.add_node(num_cpus=1, node_ip_address="127.0.0.1")
        cluster.wait_for_nodes()
        yield cluster.address
    finally:
        cluster.shutdown()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """The examples and a SQLite database, named by relative paths from this folder."""
    folder = tmp_path_factory.mktemp("work")
    shutil.copytree(EXAMPLES, folder / "examples", ignore=shutil.ignore_patterns("*.yaml"))  # the data only
    with sqlite3.connect(folder / "people.db") as db:
        db.execute("create table people (id integer primary key, email text, phone text)")
        db.executemany(
            "insert into people values (?, ?, ?)",
            [(i, f"person{i}@example.com", f"(212) 555-{1000 + i:04d}") for i in range(300)],
        )
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Enough units for two nodes: small files of every format and a log split into parts."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(EXAMPLES, folder / "examples", ignore=shutil.ignore_patterns("*.yaml"))  # the data only
    shutil.copytree(DATA / "files", folder / "files")
    write_log(folder / "app.log", 1 << 20, pii_every=400)
    return folder


@pytest.fixture(scope="module")
def local(corpus) -> subprocess.CompletedProcess:
    return _pdscan(".", "--workers", "1", cwd=corpus)


def _units(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith("pdscan: ray: ")]
    return line


def test_a_cluster_started_elsewhere_reads_relative_paths_as_the_local_engine(head, workdir):
    sources = ("examples", "sqlite:///people.db")
    local = _pdscan(*sources, "--workers", "1", cwd=workdir)
    ray = _pdscan(*sources, "--engine", "ray", "--ray-address", head, cwd=workdir)
    assert local.returncode == 1 and local.stdout.count("\n") > 50, local.stderr
    assert ray.returncode == 1, ray.stderr
    assert ray.stdout == local.stdout
    assert "scanned 5 of 5 items" in ray.stderr and "skipped" not in ray.stderr
    assert re.search(
        # the 4 small examples in one bundle, the table in a task of its own
        r"ray: 5 units in 2 tasks on 1 node: node 127\.0\.0\.1 \(id [0-9a-f]{56}\) \(the driver\) 5$",
        _units(ray.stderr),
    )


def test_two_nodes_give_the_local_findings(two_nodes, corpus, local):
    assert local.returncode == 1 and local.stdout.count("\n") > 100, local.stderr
    # every node sees this machine's files: a true claim, and the units go to both nodes
    shared = _pdscan(".", "--engine", "ray", "--ray-address", two_nodes, "--shared-path", corpus, cwd=corpus)
    assert shared.returncode == 1, shared.stderr
    assert shared.stdout == local.stdout
    assert len(set(NODE.findall(_units(shared.stderr)))) == 2, shared.stderr
    # without it, local files stay on the driver's node
    pinned = _pdscan(".", "--engine", "ray", "--ray-address", two_nodes, cwd=corpus)
    assert pinned.returncode == 1, pinned.stderr
    assert pinned.stdout == local.stdout
    assert re.search(
        r"ray: \d+ units in \d+ tasks on 1 node: node \S+ \(id \w+\) \(the driver\) \d+$", _units(pinned.stderr)
    )


def _unreadable(run: subprocess.CompletedProcess, folder: Path) -> dict[str, str]:
    """Skipped items -> the node id each names."""
    found = {}
    for line in run.stderr.splitlines():
        m = re.fullmatch(rf"pdscan: skipped ({re.escape(str(folder))}/\S+): unreadable \(no such file on (.*)\)", line)
        if m:
            node = NODE.fullmatch(m.group(2))
            assert node, line
            found[m.group(1)] = node.group(1)
    return found


@needs_unshare
def test_a_file_only_the_driver_sees_is_unreadable_on_the_node_that_read_it(head, tmp_path):
    hidden = tmp_path / "only-here"
    hidden.mkdir()
    run = _pdscan(
        hidden, "--engine", "ray", "--ray-address", head, cwd=tmp_path, prefix=_only_for_the_driver(hidden, EXAMPLES)
    )
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    nodes = _unreadable(run, hidden)
    assert sorted(nodes) == sorted(str(hidden / p.name) for p in EXAMPLES.iterdir())
    (driver,) = set(nodes.values())  # pinned to the driver's node, which tried and named itself
    assert (
        _units(run.stderr)
        == f"pdscan: ray: {len(nodes)} units in 1 task on 1 node: node 127.0.0.1 (id {driver}) (the driver) {len(nodes)}"
    )
    assert "unsupported_format" not in run.stderr


@needs_unshare
def test_a_false_shared_path_claim_ends_with_2_naming_each_node(two_nodes, corpus, tmp_path):
    hidden = tmp_path / "not-shared"
    hidden.mkdir()
    config = tmp_path / "pdscan.yaml"
    config.write_text(f"shared_paths: [{hidden}]\n")  # as --shared-path, from the config file
    prefix = _only_for_the_driver(hidden, corpus / "files")
    run = _pdscan(
        hidden, "--engine", "ray", "--ray-address", two_nodes, "--config", config, cwd=tmp_path, prefix=prefix
    )
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    nodes = _unreadable(run, hidden)
    assert sorted(nodes) == sorted(str(hidden / p.name) for p in (DATA / "files").iterdir())
    assert set(nodes.values()) == set(NODE.findall(_units(run.stderr)))


def test_a_run_that_could_read_nothing_ends_with_2_as_on_the_local_engine(head, tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    for name in ("a.txt", "b.csv"):
        (folder / name).symlink_to(tmp_path / f"deleted-{name}")
    local = _pdscan(folder, "--workers", "1", cwd=tmp_path)
    ray = _pdscan(folder, "--engine", "ray", "--ray-address", head, cwd=tmp_path)
    for run in (local, ray):
        assert run.returncode == 2, run.stderr
        assert "pdscan: error: no source could be read: 2 of 2 items unreadable" in run.stderr
        assert run.stdout == "" and "unsupported_format" not in run.stderr


@pytest.fixture(scope="module")
def small_files(tmp_path_factory) -> Path:
    from benchmarks.smallcorpus import write_corpus

    folder = tmp_path_factory.mktemp("small") / "files"
    write_corpus(folder, 600, pii_every=4, seed=3)
    return folder


def test_small_files_go_to_ray_in_bundles_with_the_local_findings(two_nodes, small_files):
    local = _pdscan(small_files, "--workers", "1", cwd=small_files.parent)
    assert local.returncode == 1 and local.stdout.count("\n") > 100, local.stderr
    for shared in ((), ("--shared-path", small_files)):
        ray = _pdscan(small_files, "--engine", "ray", "--ray-address", two_nodes, *shared, cwd=small_files.parent)
        assert ray.returncode == 1, ray.stderr
        assert ray.stdout == local.stdout
        units = re.fullmatch(r"pdscan: ray: 600 units in (\d+) tasks on (\d) nodes?: .*", _units(ray.stderr))
        assert units and 2 <= int(units.group(1)) <= 20, _units(ray.stderr)  # a bundle is one task
        if not shared:  # pinned to the driver's node
            assert units.group(2) == "1", _units(ray.stderr)
