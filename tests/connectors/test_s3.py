"""`pdscan scan s3://...` against moto's S3 server on loopback: formats, locations, listing, sampling, limits."""

import gzip
import io
import json
import random
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from faker import Faker

from pdscan.connectors import s3io
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.s3 import check, connect
from pdscan.core.model import ItemResult
from tests.connectors.s3server import DUMMY_ENV, MotoServer
from tests.connectors.servers import free_port

BUCKET = "lake"
MANY = 1_100  # more than one listing page of 1,000 keys


@pytest.fixture(autouse=True)
def aws_env(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def server():
    s = MotoServer()
    yield s
    s.stop()


def _parquet(table: pa.Table, row_group_size: int) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, row_group_size=row_group_size)
    return buf.getvalue()


def _big_parquet() -> tuple[bytes, list[int]]:
    """About 4 MB in three row groups; emails only in the last rows."""
    rng = random.Random(3)
    n = 200_000
    pii_rows = [n - 30, n - 20, n - 10]
    notes = [rng.randbytes(8).hex() for _ in range(n)]
    contact = ["" for _ in range(n)]
    for row in pii_rows:
        contact[row] = f"reach me at jordan.reyes{row}@example.com"
    return _parquet(pa.table({"note": notes, "contact": contact}), 70_000), pii_rows


@pytest.fixture(scope="module")
def lake(server):
    """A bucket with PII in CSV, gzipped NDJSON, text and Parquet, a corrupt Parquet and 1,100 small objects."""
    fake = Faker("en_US")
    Faker.seed(11)
    people = [(fake.name(), fake.email(), fake.ssn()) for _ in range(40)]
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    csv_body = "name,email,ssn\n" + "".join(f"{n},{e},{s}\n" for n, e, s in people)
    ndjson = "".join(json.dumps({"user": {"email": e, "ip": fake.ipv4_public()}}) + "\n" for _, e, _ in people)
    text = "".join(f"{fake.sentence()} Write to {e} today.\n" for _, e, _ in people[:5])
    table = pa.table({"email": [e for _, e, _ in people], "ssn": [s for _, _, s in people]})
    big, _ = _big_parquet()
    objects = {
        "exports/people.csv": csv_body.encode(),
        "exports/events.ndjson.gz": gzip.compress(ndjson.encode()),
        "exports/notes.txt": text.encode(),
        "exports/people.parquet": _parquet(table, 10),
        "exports/broken.parquet": b"PAR1" + bytes(range(256)) * 8 + b"PAR1",
        "exports/big/contacts.parquet": big,
        "exports/folder/": b"",  # a console-made "folder" marker, not an object to scan
        "other/readme.txt": b"nothing personal here\n",
    }
    for key, body in objects.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body)

    def put(i: int) -> None:
        client.put_object(Bucket=BUCKET, Key=f"many/{i:05d}.log", Body=f"login by user{i}@example.com\n".encode())

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(MANY)))
    return client


def _scan(scan, server, *args):
    return scan(*args, "--endpoint-url", server.endpoint)


def _document(run) -> dict:
    return json.loads(run.stdout)


def test_every_format_is_read_and_findings_carry_the_object(scan, server, lake):
    run = _scan(scan, server, f"s3://{BUCKET}/exports/", "--format", "json", "--exclude", "big/*")
    assert run.code == 1
    doc = _document(run)
    found = {(f["location"]["key"], f["location"]["field"], f["entity"]) for f in doc["findings"]}
    assert {
        ("exports/people.csv", "email", "EMAIL_ADDRESS"),
        ("exports/people.csv", "ssn", "US_SSN"),
        ("exports/people.csv", "name", "PERSON"),
        ("exports/events.ndjson.gz", "$.user.email", "EMAIL_ADDRESS"),
        ("exports/events.ndjson.gz", "$.user.ip", "IP_ADDRESS"),
        ("exports/notes.txt", None, "EMAIL_ADDRESS"),
        ("exports/people.parquet", "email", "EMAIL_ADDRESS"),
        ("exports/people.parquet", "ssn", "US_SSN"),
    } <= found
    notes = [
        f for f in doc["findings"] if f["location"]["key"] == "exports/notes.txt" and f["entity"] == "EMAIL_ADDRESS"
    ]
    assert sorted(f["location"]["line"] for f in notes) == [1, 2, 3, 4, 5]
    for f in doc["findings"]:
        loc = f["location"]
        head = lake.head_object(Bucket=BUCKET, Key=loc["key"])
        assert f["source"] == f"s3://{BUCKET}/exports"  # the root: a trailing slash is no other source
        assert loc["container"] == f"s3://{BUCKET}/{loc['key']}" and loc["bucket"] == BUCKET
        assert loc["etag"] == head["ETag"].strip('"')
        assert loc["size"] == head["ContentLength"]
        assert loc["last_modified"] == head["LastModified"].isoformat()
    # the folder marker is not an item; the corrupt Parquet is the only one not fully scanned
    assert doc["summary"]["items"] == 5
    assert [(c["container"], c["status"], c["reason"]) for c in doc["coverage"]] == [
        (f"s3://{BUCKET}/exports/broken.parquet", "skipped", "corrupt")
    ]
    assert "skipped s3://lake/exports/broken.parquet: corrupt" in run.stderr


def test_large_parquet_is_read_by_ranges_to_its_last_row_group(scan, server, lake):
    _, pii_rows = _big_parquet()
    run = _scan(scan, server, f"s3://{BUCKET}/exports/big/", "--granularity", "row", "--format", "json")
    doc = _document(run)
    assert lake.head_object(Bucket=BUCKET, Key="exports/big/contacts.parquet")["ContentLength"] > s3io.SMALL_OBJECT
    assert sorted(f["location"]["row"] for f in doc["findings"] if f["entity"] == "EMAIL_ADDRESS") == pii_rows
    assert doc["coverage"] == [] and doc["summary"]["complete"] == 1


def test_byte_limit_on_parquet_stops_at_a_row_group(scan, server, lake):
    run = _scan(scan, server, f"s3://{BUCKET}/exports/big/", "--granularity", "row", "--format", "json",
                "--max-bytes-per-object", "2000000")  # fmt: skip
    doc = _document(run)
    assert run.code == 0 and doc["findings"] == []  # the emails sit in the last row group
    (cov,) = doc["coverage"]
    assert (cov["status"], cov["reason"]) == ("partial", "byte_limit")
    assert cov["records"] == 65_536 and cov["bytes"] <= 2_000_000  # one batch from the first row group


def test_byte_limit_reads_the_start_of_a_text_object(scan, server, lake):
    body = lake.get_object(Bucket=BUCKET, Key="exports/notes.txt")["Body"].read().decode()
    first_line = len(body.splitlines()[0]) + 1
    run = _scan(scan, server, f"s3://{BUCKET}/exports/notes.txt", "--max-bytes-per-object", str(first_line),
                "--format", "json")  # fmt: skip
    doc = _document(run)
    assert [f["location"]["line"] for f in doc["findings"] if f["entity"] == "EMAIL_ADDRESS"] == [1]
    (cov,) = doc["coverage"]
    assert (cov["status"], cov["reason"], cov["bytes"]) == ("partial", "byte_limit", first_line)
    assert "partial s3://lake/exports/notes.txt: byte_limit" in run.stderr


def test_listing_goes_past_the_first_thousand_keys(server, lake):
    connector = connect(f"s3://{BUCKET}/many/", ConnectorOptions(endpoint_url=server.endpoint))
    results = []
    items = list(connector.items(results))
    assert results == [] and [dict(i.extra)["key"] for i in items] == [f"many/{i:05d}.log" for i in range(MANY)]
    head = lake.head_object(Bucket=BUCKET, Key="many/01099.log")
    last = dict(items[-1].extra)
    assert last["etag"] == head["ETag"].strip('"') and last["size"] == items[-1].size == head["ContentLength"]
    # and each object reads back as its own text
    batches = list(connector.read(items[-1], ItemResult(connector.source, items[-1].container)))
    assert [b.values.to_pylist() for b in batches] == [["login by user1099@example.com"]]


@pytest.mark.parametrize(
    "args, keys",
    [
        (["--include", "*.csv", "--include", "*.txt"], {"exports/people.csv", "exports/notes.txt"}),
        (["--include", "*.parquet", "--exclude", "big/*"], {"exports/people.parquet", "exports/broken.parquet"}),
        (["--include", "exports/people.*"], {"exports/people.csv", "exports/people.parquet"}),  # the full key
        (["--exclude", "*.parquet", "--exclude", "*.gz"], {"exports/people.csv", "exports/notes.txt"}),
    ],
)
def test_include_and_exclude_globs_on_keys(scan, server, lake, args, keys):
    run = _scan(scan, server, f"s3://{BUCKET}/exports", *args, "--format", "json")
    doc = _document(run)
    assert doc["summary"]["items"] == len(keys)
    prefix = f"s3://{BUCKET}/"
    scanned = {f["location"]["key"] for f in doc["findings"]} | {
        c["container"].removeprefix(prefix) for c in doc["coverage"]
    }
    assert scanned == keys


def _sampled(scan, server, seed: int) -> tuple[set[str], dict]:
    run = _scan(scan, server, f"s3://{BUCKET}/many/", "--sample-objects", "0.01", "--seed", str(seed),
                "--granularity", "row", "--format", "json", "--reveal")  # fmt: skip
    doc = _document(run)
    # read ahead on several threads, each object's text still lands on its own key
    for f in doc["findings"]:
        assert f["value"] == f"user{int(f['location']['key'][5:10])}@example.com"
    assert "skipped s3://" not in run.stderr  # a choice, not a problem: no line per object
    return {f["location"]["key"] for f in doc["findings"]}, doc


def test_sample_objects_is_repeatable_with_a_seed(scan, server, lake):
    first, doc = _sampled(scan, server, seed=7)
    again, _ = _sampled(scan, server, seed=7)
    other, _ = _sampled(scan, server, seed=8)
    assert len(first) == 11 and first == again and other != first
    # every listed key (all 1,100, past the first page) is either scanned or reported not_sampled
    assert doc["summary"]["items"] == MANY and doc["summary"]["complete"] == 11
    assert doc["summary"]["skipped"] == {"not_sampled": MANY - 11}
    not_sampled = {c["container"].removeprefix(f"s3://{BUCKET}/") for c in doc["coverage"]}
    assert not_sampled.isdisjoint(first) and not_sampled | first == {f"many/{i:05d}.log" for i in range(MANY)}


def test_missing_bucket_is_a_source_error_and_other_sources_still_scan(scan, server, lake):
    run = _scan(scan, server, "s3://no-such-bucket-here/x", f"s3://{BUCKET}/exports/notes.txt")
    assert run.code == 2
    assert "error: s3://no-such-bucket-here: no such bucket" in run.stderr
    assert {f["location"]["key"] for f in run.findings} == {"exports/notes.txt"}


@pytest.mark.parametrize(
    "source, problem",
    [
        ("s3://", "no bucket in s3://"),
        ("s3:///key", "no bucket in s3:///key"),
        ("s3://a/key", "not a valid bucket name: 'a'"),
        ("s3://bad bucket/key", "not a valid bucket name: 'bad bucket'"),
    ],
)
def test_malformed_urls_are_usage_errors(scan, source, problem):
    assert problem in check(source, ConnectorOptions())
    run = scan(source)
    assert run.code == 2 and problem in run.stderr


def test_a_well_formed_url_passes_the_check():
    assert check("s3://my-bucket.logs/2026/11/", ConnectorOptions()) is None
    assert check("s3://my-bucket", ConnectorOptions()) is None


def test_unreachable_endpoint_is_one_line_and_exit_2(scan):
    endpoint = f"http://127.0.0.1:{free_port()}"
    run = scan(f"s3://{BUCKET}/", "--endpoint-url", endpoint, "-q")
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [f"pdscan: error: s3://{BUCKET}: cannot reach the S3 endpoint {endpoint}"]


def test_objects_scanned_by_worker_processes_give_the_same_output(scan, server, lake):
    one = _scan(scan, server, f"s3://{BUCKET}/exports/", "--format", "json", "--workers", "1", "--no-store")
    two = _scan(scan, server, f"s3://{BUCKET}/exports/", "--format", "json", "--workers", "2", "--no-store")
    assert one.code == two.code == 1
    first, second = _document(one), _document(two)
    assert first["findings"] and first["findings"] == second["findings"]
    assert first["coverage"] == second["coverage"]
