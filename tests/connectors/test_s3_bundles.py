"""Small S3 objects scanned in bundles (moto's server on loopback): the findings and coverage of
scanning them one by one, in this process and in workers, whose bundles fetch their objects ahead."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from benchmarks.smallcorpus import write_corpus
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.s3 import connect
from pdscan.core.keys import FingerprintKey
from pdscan.core.model import ItemResult
from pdscan.detectors.pipeline import Detector
from pdscan.engine import Scanner, ScanOptions
from pdscan.parallel import LocalExecutor
from pdscan.policy import load_policy
from pdscan.unitscan import ScanContext
from tests.connectors.s3server import DUMMY_ENV, MotoServer

BUCKET = "small-lake"
KEY = FingerprintKey(b"bundle-s3-test-key")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.delenv(name, raising=False)
        for name, value in DUMMY_ENV.items():
            env.setenv(name, value)
        s = MotoServer()
        try:
            _fill(s, tmp_path_factory.mktemp("objects"))
            yield s
        finally:
            s.stop()


def _fill(s: MotoServer, folder) -> None:
    """80 small files of the benchmark's kinds, and three bad objects."""
    client = s.client()
    client.create_bucket(Bucket=BUCKET)
    write_corpus(folder, 80, pii_every=5, seed=9)
    bodies = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    bodies["bad/corrupt.json"] = b'{"email": "lost@example.com", '
    bodies["bad/blob.bin"] = bytes(range(256)) * 4
    bodies["bad/cut.ndjson.gz"] = gzip.compress(b'{"email": "gz@example.org"}\n' * 50)[:-20]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda kv: client.put_object(Bucket=BUCKET, Key=kv[0], Body=kv[1]), bodies.items()))


def _options(server, bundle_bytes: int) -> ScanOptions:
    return ScanOptions(bundle_bytes=bundle_bytes, connector=ConnectorOptions(endpoint_url=server.endpoint))


def _scan(server, options: ScanOptions, executor=None) -> tuple[list[str], list[dict]]:
    found = []
    scanner = Scanner(Detector(), KEY, options, emit=found.append, warn=lambda _: None, executor=executor)
    summary = scanner.scan([f"s3://{BUCKET}/"])
    return [json.dumps(f.to_dict()) for f in found], [r.to_dict() for r in summary.items]


@pytest.fixture(scope="module")
def one_by_one(server):
    return _scan(server, _options(server, 0))


def test_bundled_objects_give_the_findings_of_one_by_one(server, one_by_one):
    findings, items = one_by_one
    status = {i["container"].removeprefix(f"s3://{BUCKET}/"): (i["status"], i["reason"]) for i in items}
    assert status.pop("bad/corrupt.json") == ("skipped", "corrupt")
    assert status.pop("bad/blob.bin") == ("skipped", "binary")
    assert status.pop("bad/cut.ndjson.gz") == ("partial", "truncated")
    assert len(status) == 80 and set(status.values()) == {("complete", None)}
    entities = {json.loads(f)["entity"] for f in findings}
    assert {"EMAIL_ADDRESS", "USER_AGENT"} <= entities
    assert all(json.loads(f)["location"]["etag"] for f in findings)  # every finding names the version read
    assert _scan(server, _options(server, 64 << 10)) == one_by_one


def test_bundles_in_workers_give_the_findings_of_one_by_one(server, one_by_one):
    options = _options(server, 4 << 20)
    executor = LocalExecutor(ScanContext(Detector(), KEY, options, load_policy(), date.today()), workers=2)
    try:
        assert _scan(server, options, executor) == one_by_one
    finally:
        executor.close()


def test_a_connector_fetches_each_bundle_ahead_as_it_comes(server):
    """A worker's connector listed nothing: it learns each bundle's objects as the bundle starts."""
    options = ConnectorOptions(endpoint_url=server.endpoint, fetch_concurrency=4)
    items = list(connect(f"s3://{BUCKET}/part-0000/", options).items([]))
    worker = connect(f"s3://{BUCKET}/part-0000/", options)
    texts = []
    for bundle in (items[:10], items[10:25]):  # the second after the first one's last object
        worker.prefetch(bundle)
        for item in bundle:
            result = ItemResult(worker.source, item.container)
            texts.append([b.values.to_pylist() for b in worker.read(item, result)])
            assert result.status == "complete" and result.bytes == item.size
    assert len(texts) == 25 and all(texts)
