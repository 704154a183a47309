"""Small files scanned in bundles (their values sharing detector calls) give exactly the findings
and coverage of scanning them one by one, in one process and in workers, bad files included."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.smallcorpus import write_corpus
from pdscan import batchgroup, unitscan
from pdscan.columnstate import DECIDE_AT
from pdscan.connectors.formats import text
from pdscan.connectors.registry import ConnectorOptions
from pdscan.core.keys import FingerprintKey
from pdscan.detectors.names import is_known_name
from pdscan.detectors.pipeline import Detector
from pdscan.engine import Scanner, ScanOptions
from pdscan.parallel import LocalExecutor
from pdscan.policy import load_policy
from pdscan.unitscan import ScanContext
from tests.conftest import DATA

KEY = FingerprintKey(b"bundle-test-key")
SURNAMES = ["Garcia", "Nguyen", "Haugland", "Okafor", "Lindqvist", "Fitzgerald", "Abernathy", "Ramaswamy"]
SAMPLE = 12  # a column sample small files reach: some columns are decided inside a file


def _write_odd_files(folder) -> None:
    """Files that test what is judged per file: name columns, samples reached, and bad input."""
    assert all(is_known_name(n) for n in SURNAMES)
    odd = folder / "odd"
    odd.mkdir()
    # a column of bare surnames is names when most of a file's values are; two in a file are not,
    # however many files hold two
    (odd / "names.csv").write_text("who,n\n" + "".join(f"{n},{i}\n" for i, n in enumerate(SURNAMES[:5])))
    for k in range(6):
        rows = [SURNAMES[k], SURNAMES[k + 1]] + [f"batch-{k}-{i}" for i in range(4)]
        (odd / f"pairs{k}.csv").write_text("who,n\n" + "".join(f"{w},{i}\n" for i, w in enumerate(rows)))
    # columns that reach the sample inside the file: a plain e-mail column is decided there
    (odd / "emails.csv").write_text("id,email\n" + "".join(f"{i},user{i}@example.com\n" for i in range(40)))
    events = [
        {"user": {"mail": f"reader{i}@example.net", "tag": "x" if i % 9 else "call (415) 555-0143"}} for i in range(40)
    ]
    (odd / "events.ndjson").write_text("".join(json.dumps(e) + "\n" for e in events))
    # bad input: skipped or partial with its reason, the rest still scanned
    (odd / "corrupt.json").write_text('{"user": {"email": "lost@example.com", ')
    (odd / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (odd / "mixed.ndjson").write_text('{"email": "kept@example.org"}\n{not json\n{"email": "also@example.org"}\n')
    (odd / "empty.csv").write_text("")
    (odd / "utf16.txt").write_bytes("Call Marisol Okafor at (415) 555-0143".encode("utf-16"))
    (odd / "cut.ndjson.gz").write_bytes(gzip.compress(b'{"email": "gz@example.org"}\n' * 50)[:-20])
    (odd / "latin1.txt").write_bytes("Se\xf1ora Okafor writes from ana@example.com\n".encode("latin-1"))
    buffer = io.BytesIO()
    pq.write_table(pa.table({"email": ["pq@example.com", "", "pq2@example.com"], "n": [1, 2, 3]}), buffer)
    (odd / "small.parquet").write_bytes(buffer.getvalue())
    (odd / "fake.parquet").write_bytes(b"not parquet at all")
    shutil.copytree(DATA / "files", folder / "files")
    shutil.copytree(DATA / "bad", folder / "bad")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    write_corpus(folder / "lake", 100, pii_every=5, seed=5)
    _write_odd_files(folder)
    return folder


def _options(sample: int, granularity: str, bundle_bytes: int, include: tuple[str, ...] = ()) -> ScanOptions:
    connector = ConnectorOptions(include=include)
    return ScanOptions(column_sample=sample, granularity=granularity, bundle_bytes=bundle_bytes, connector=connector)


def _scan(folder, options: ScanOptions, executor=None) -> tuple[list[str], list[dict]]:
    found = []
    scanner = Scanner(Detector(), KEY, options, emit=found.append, warn=lambda _: None, executor=executor)
    summary = scanner.scan([str(folder)])
    return [json.dumps(f.to_dict()) for f in found], [r.to_dict() for r in summary.items]


@pytest.fixture(scope="module")
def reference(corpus):
    """One by one, in this process: the findings every other way of scanning must reproduce."""
    return {mode: _scan(corpus, _options(*mode, 0)) for mode in ((DECIDE_AT, "column"), (SAMPLE, "column"))}


def test_bad_files_are_skipped_with_their_reason_and_the_rest_is_scanned(corpus, reference):
    findings, items = _scan(corpus, _options(DECIDE_AT, "column", 64 << 10))
    status = {i["container"]: (i["status"], i["reason"]) for i in items}  # relative to the source root
    assert status["odd/corrupt.json"] == ("skipped", "corrupt")
    assert status["odd/blob.bin"] == ("skipped", "binary")
    assert status["odd/utf16.txt"] == ("skipped", "unsupported_encoding")
    assert status["odd/fake.parquet"] == ("skipped", "corrupt")
    assert status["odd/mixed.ndjson"] == ("partial", "malformed_rows")
    assert status["odd/cut.ndjson.gz"] == ("partial", "truncated")
    assert status["odd/latin1.txt"] == ("partial", "invalid_utf8")
    assert status["bad/archive.zip"] == ("skipped", "corrupt")  # a zip header and nothing after it
    assert sum(s == ("complete", None) for s in status.values()) >= 100
    where = {(json.loads(f)["location"]["container"].rsplit("/", 1)[-1], json.loads(f)["entity"]) for f in findings}
    assert {("mixed.ndjson", "EMAIL_ADDRESS"), ("cut.ndjson.gz", "EMAIL_ADDRESS"), ("small.parquet", "EMAIL_ADDRESS"),
            ("latin1.txt", "EMAIL_ADDRESS"), ("names.csv", "PERSON")} <= where  # fmt: skip
    # two surnames in a file of other words are not a name column, however many such files are read together
    assert not any(name.startswith("pairs") for name, _ in where)
    assert (findings, items) == reference[DECIDE_AT, "column"]


@pytest.mark.parametrize("bundle_bytes", [4 << 10, 4 << 20])
def test_bundles_in_this_process_find_what_one_by_one_finds(corpus, reference, bundle_bytes):
    assert _scan(corpus, _options(SAMPLE, "column", bundle_bytes)) == reference[SAMPLE, "column"]


def _count_misses(monkeypatch) -> list:
    """Slices a bundle's batch asks about that were not detected with the others (detected alone)."""
    misses = []
    hits_for = batchgroup.Request.hits_for

    def counted(self, start, length):
        found = hits_for(self, start, length)
        if found is None:
            misses.append((self.field, start, length))
        return found

    monkeypatch.setattr(batchgroup.Request, "hits_for", counted)
    return misses


def test_a_sample_reached_across_batches_waits_for_its_verdict(corpus, monkeypatch):
    """NDJSON read in many small chunks: a column's verdict comes from batches queued before it."""
    monkeypatch.setattr(text, "CHUNK", 300)
    monkeypatch.setattr(unitscan, "FLUSH_BYTES", 2000)  # and the queue is detected every few files
    odd = corpus / "odd"
    alone = _scan(odd, _options(SAMPLE, "column", 0))
    misses = _count_misses(monkeypatch)
    assert _scan(odd, _options(SAMPLE, "column", 4 << 20)) == alone
    assert misses == []


def test_many_files_share_one_detector_call_per_field(corpus, monkeypatch):
    calls = []
    detect = Detector.detect

    def counted(self, values, context=None, field=None, parts=None, primed=None):
        calls.append(field)
        return detect(self, values, context, field, parts, primed)

    monkeypatch.setattr(Detector, "detect", counted)
    misses = _count_misses(monkeypatch)
    findings, items = _scan(corpus / "lake", _options(DECIDE_AT, "column", 4 << 20, ("*.ndjson",)))
    assert len(items) == 50 and misses == []
    assert sorted(calls) == sorted({"$.id", "$.ts", "$.type", "$.path", "$.status", "$.ms", "$.ua", "$.session",
                                    "$.email", "$.note", "$.client_ip"} & set(calls))  # fmt: skip


def test_cell_findings_of_bundles_are_those_of_one_by_one(corpus):
    lake, some = corpus / "lake", ("00000[0-2]*",)
    assert _scan(lake, _options(DECIDE_AT, "row", 4 << 20, some)) == _scan(lake, _options(DECIDE_AT, "row", 0, some))


def test_bundles_in_workers_find_what_one_by_one_finds(corpus, reference):
    options = _options(DECIDE_AT, "column", 4 << 20)
    executor = LocalExecutor(ScanContext(Detector(), KEY, options, load_policy(), date.today()), workers=2)
    try:
        assert _scan(corpus, options, executor) == reference[DECIDE_AT, "column"]
    finally:
        executor.close()
