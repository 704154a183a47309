"""An object of a few hundred MB is streamed from S3: peak memory stays flat, every line arrives.

This measures the connector and the readers alone: end to end, a scan of this size is bound by the
detectors (tests/test_large_file.py measures those on a local file of the same size).
"""

import json
import os
import subprocess
import sys

import pytest
from boto3.s3.transfer import TransferConfig

from benchmarks.corpus import write_log
from tests.connectors.s3server import DUMMY_ENV, MotoServer
from tests.test_large_file import MEASURE

SIZE = 300 << 20
READ_ALL = """
import json, sys
import pyarrow.compute as pc
from pdscan.connectors.registry import ConnectorOptions, connector_for
from pdscan.core.model import ItemResult

connector = connector_for(sys.argv[1], ConnectorOptions(endpoint_url=sys.argv[2]))
(item,) = connector.items([])
result = ItemResult(connector.source, item.container)
pii = []
for batch in connector.read(item, result):
    hits = pc.or_(pc.match_substring(batch.values, "example.com"), pc.match_substring(batch.values, "4539 1488"))
    pii += batch.lines[hits.to_numpy(zero_copy_only=False)].tolist()
print(json.dumps({"pii": pii, "records": result.records, "bytes": result.bytes, "status": result.status}))
"""


@pytest.mark.slow
def test_large_object_is_streamed_with_bounded_memory(tmp_path):
    log = tmp_path / "app.log"
    write_log(log, SIZE, pii_every=20_000)
    server = MotoServer()
    try:
        s3 = server.client()
        s3.create_bucket(Bucket="logs")
        s3.upload_file(str(log), "logs", "2026/app.log", Config=TransferConfig(multipart_chunksize=64 << 20))
        # A fresh parent whose only child is the reader, so RUSAGE_CHILDREN is the reader's peak RSS.
        measured = subprocess.run(
            [sys.executable, "-c", MEASURE, sys.executable, "-c", READ_ALL, "s3://logs/2026/", server.endpoint],
            capture_output=True, text=True, env={**os.environ, **DUMMY_ENV}, timeout=300,
        )  # fmt: skip
    finally:
        server.stop()
    *output, last = measured.stdout.splitlines()
    peak, code = (int(x) for x in last.split())
    print(f"\npeak RSS {peak / 2**20:.0f} MiB for a {log.stat().st_size / 2**20:.0f} MiB object")
    assert code == 0, measured.stderr
    read = json.loads(output[-1])
    with log.open() as fh:
        lines = 0
        pii_lines = []
        for lines, line in enumerate(fh, 1):
            if "example.com" in line or "4539 1488" in line:
                pii_lines.append(lines)
    assert read["status"] == "complete" and read["bytes"] == log.stat().st_size >= SIZE
    assert read["records"] == lines and read["pii"] == pii_lines and len(pii_lines) > 100
    # pyarrow, boto3 and the readers take about 150 MiB; holding the object whole would add 300+.
    assert peak < 300 * 2**20
