"""A two-node Ray cluster on this machine against the local engine, on the seeded mixed corpus.

    python benchmarks/ray_cluster.py [--mb 20] [--dir DIR]

Starts two Ray nodes of one CPU each (`ray.cluster_utils.Cluster`, on 127.0.0.1) and scans the
corpus through them twice: with `--shared-path DIR` (true here: every node of this machine sees
its files, so units go to both nodes) and without (local files stay on the driver's node). Then
the local engine with 2 workers. Each run is a `pdscan scan` child process timed from start to
exit (model loading in every worker included); the ndjson outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import perfcorpus  # noqa: E402
from benchmarks.performance import corpus  # noqa: E402

LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # Linux: keep Ray on 127.0.0.1 (tests/test_ray_cluster.py)


def scan(target: Path, out: Path, *args: str) -> tuple[float, int, str]:
    """(seconds, exit code, the `ray:` line of stderr) of `pdscan scan target ARGS`."""
    command = [sys.executable, "-m", "pdscan", "scan", str(target), "--no-store", "--format", "ndjson", "-o", str(out)]
    env = {**os.environ, **LOOPBACK, "PDSCAN_KEY": os.environ.get("PDSCAN_KEY", "benchmark-key")}
    started = time.perf_counter()
    done = subprocess.run([*command, *args], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"pdscan failed ({done.returncode}): {done.stderr[-800:]}")
    ray = [line for line in done.stderr.splitlines() if line.startswith("pdscan: ray:")]
    return seconds, done.returncode, ray[0] if ray else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="size of the mixed corpus")
    parser.add_argument("--dir", default="/tmp/pdscan-ray-cluster", help="corpus and outputs (kept, reused)")
    args = parser.parse_args()
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    data = corpus(base / f"mixed-{args.mb:g}mb", lambda d: perfcorpus.write_mixed(d, int(args.mb * 1e6)))
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())

    os.environ.update(LOOPBACK)
    # Ray's files in a folder of this run's own, not /tmp/ray: no other `ray.init()` finds this cluster
    ray_tmp = os.environ["RAY_TMPDIR"] = tempfile.mkdtemp(prefix="pdray", dir="/tmp")
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True, head_node_args={"num_cpus": 1, "node_ip_address": "127.0.0.1", "include_dashboard": False}
    )
    try:
        cluster.add_node(num_cpus=1, node_ip_address="127.0.0.1")
        cluster.wait_for_nodes()
        ray_args = ("--engine", "ray", "--ray-address", cluster.address)
        runs = {
            "ray, 2 nodes, --shared-path": scan(data, base / "shared.ndjson", *ray_args, "--shared-path", str(data)),
            "ray, 2 nodes, pinned to the driver's node": scan(data, base / "pinned.ndjson", *ray_args),
        }
    finally:
        cluster.shutdown()
        shutil.rmtree(ray_tmp, ignore_errors=True)
    runs["local engine, --workers 2"] = scan(data, base / "local.ndjson", "--workers", "2")
    local = (base / "local.ndjson").read_bytes()
    print(f"corpus: {data.name}, {size / 1e6:.1f} MB, {os.cpu_count()} cores")
    print("| run | seconds | MB/s | exit | ndjson = local |")
    print("|---|---:|---:|---:|---|")
    for (label, (seconds, code, _)), name in zip(runs.items(), ("shared", "pinned", "local")):
        same = (base / f"{name}.ndjson").read_bytes() == local
        print(f"| {label} | {seconds:.1f} | {size / 1e6 / seconds:.2f} | {code} | {'yes' if same else 'NO'} |")
    for label, (_, _, ray) in runs.items():
        if ray:
            print(f"{label}: {ray.removeprefix('pdscan: ')}")


if __name__ == "__main__":
    main()
