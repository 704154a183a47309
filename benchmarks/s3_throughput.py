"""S3 connector throughput against moto's server on loopback: objects/s and MB/s.

Reads through the connector alone (listing, fetching, format readers; no detectors) for many
small objects at several fetch concurrencies, directly and through a proxy that delays every
request (a stand-in for the network between a scanner and S3), and for a few large objects;
then one end-to-end scan of small objects. Starts its own moto server.

    python benchmarks/s3_throughput.py [--objects 2000] [--object-kb 4] [--large-mb 64] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa  # noqa: E402
from boto3.s3.transfer import TransferConfig  # noqa: E402
from faker import Faker  # noqa: E402

from pdscan.connectors.registry import ConnectorOptions, connector_for  # noqa: E402
from pdscan.core.model import ItemResult  # noqa: E402
from tests.connectors.s3server import DUMMY_ENV, MotoServer  # noqa: E402

BUCKET = "bench"


def _small_body(fake: Faker, size: int) -> bytes:
    lines = []
    while sum(len(x) + 1 for x in lines) < size:
        lines.append(f"{fake.iso8601()} user={fake.user_name()} from {fake.ipv4_public()} contact {fake.email()}")
    return ("\n".join(lines) + "\n").encode()


def populate(server: MotoServer, objects: int, object_kb: int, large_mb: int, large: int) -> None:
    s3 = server.client()
    s3.create_bucket(Bucket=BUCKET)
    fake = Faker()
    Faker.seed(1)
    bodies = [_small_body(fake, object_kb << 10) for _ in range(50)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=BUCKET, Key=f"small/{i:06d}.log", Body=bodies[i % 50]),
                      range(objects)))  # fmt: skip
    block = b"".join(bodies)
    for i in range(large):
        data = (block * ((large_mb << 20) // len(block) + 1))[: large_mb << 20]
        s3.upload_fileobj(
            io.BytesIO(data), BUCKET, f"large/{i}.log", Config=TransferConfig(multipart_chunksize=32 << 20)
        )


class DelayProxy:
    """A TCP proxy on loopback that holds each chunk the client sends for `delay` seconds."""

    def __init__(self, port: int, delay: float):
        self.target = ("127.0.0.1", port)
        self.delay = delay
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, upstream, self.delay), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, 0.0), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, delay: float) -> None:
        try:
            while data := src.recv(1 << 16):
                if delay:
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def read_all(endpoint: str, prefix: str, concurrency: int) -> tuple[int, int, float, float]:
    """(objects, bytes, listing seconds, total seconds) reading every batch of every object."""
    options = ConnectorOptions(endpoint_url=endpoint, fetch_concurrency=concurrency)
    started = time.perf_counter()
    connector = connector_for(f"s3://{BUCKET}/{prefix}", options)
    items = list(connector.items([]))
    listed = time.perf_counter() - started
    total = 0
    for item in items:
        result = ItemResult(connector.source, item.container)
        for _ in connector.read(item, result):
            pass
        total += result.bytes
    return len(items), total, listed, time.perf_counter() - started


def scan_end_to_end(endpoint: str, objects: int) -> tuple[int, float]:
    from pdscan.core.keys import FingerprintKey
    from pdscan.detectors.pipeline import Detector, supported_entities
    from pdscan.engine import Scanner, ScanOptions

    detector = Detector(entities=supported_entities())
    detector.detect(pa.array(["warm up Maria Gonzalez maria@example.com"]))  # load the model outside the timing
    options = ScanOptions(connector=ConnectorOptions(endpoint_url=endpoint, include=tuple(
        f"{i:06d}.log" for i in range(objects))))  # fmt: skip
    scanner = Scanner(detector, FingerprintKey(b"bench-key-0123456789abcdef"), options, emit=lambda f: None,
                      warn=lambda line: None)  # fmt: skip
    summary = scanner.scan([f"s3://{BUCKET}/small/"])
    return len(summary.items), summary.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--object-kb", type=int, default=4)
    parser.add_argument("--large-mb", type=int, default=64)
    parser.add_argument("--large", type=int, default=3)
    parser.add_argument("--scan-objects", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="delay per request through the proxy")
    args = parser.parse_args()
    os.environ.update(DUMMY_ENV)
    server = MotoServer()
    try:
        t = time.perf_counter()
        populate(server, args.objects, args.object_kb, args.large_mb, args.large)
        print(f"setup: {args.objects} objects of {args.object_kb} KB, {args.large} of {args.large_mb} MB "
              f"in {time.perf_counter() - t:.1f} s (moto on 127.0.0.1:{server.port})")  # fmt: skip
        for concurrency in (1, 8, 16):
            n, size, listed, seconds = read_all(server.endpoint, "small/", concurrency)
            print(f"small objects, fetch concurrency {concurrency:2d}: {n / seconds:7.0f} objects/s "
                  f"{size / seconds / 1e6:6.1f} MB/s (listing {n / listed:.0f} keys/s)")  # fmt: skip
        if args.latency_ms:
            proxy = DelayProxy(server.port, args.latency_ms / 1000)
            for concurrency in (1, 8, 16):
                n, size, listed, seconds = read_all(proxy.endpoint, "small/", concurrency)
                print(f"small objects, {args.latency_ms:g} ms per request, concurrency {concurrency:2d}: "
                      f"{n / seconds:7.0f} objects/s {size / seconds / 1e6:6.1f} MB/s "
                      f"(listing {n / listed:.0f} keys/s)")  # fmt: skip
        n, size, _, seconds = read_all(server.endpoint, "large/", 8)
        print(f"large objects ({n} x {args.large_mb} MB): {size / seconds / 1e6:.0f} MB/s")
        if args.scan_objects:
            n, seconds = scan_end_to_end(server.endpoint, args.scan_objects)
            print(f"end to end with detectors, {n} small objects: {n / seconds:.1f} objects/s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
