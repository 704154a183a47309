"""SQLite files end to end through `pdscan scan sqlite:///...`."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from pdscan.cli import MIN_PARALLEL_BYTES
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql import SqlConnector, session
from tests.connectors import sqldata
from tests.connectors.sqlhelp import columns, coverage, file_columns, records, same_in_workers, timeless

EVENTS = 3000


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "shop.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        sqldata.load(conn, "sqlite")
        conn.execute(text("CREATE TABLE nokey (c1 TEXT, n INTEGER)"))
        conn.execute(text("INSERT INTO nokey VALUES ('ana.torres@example.com', 1), ('bo.li@example.org', 2)"))
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, who TEXT)"))
        conn.execute(
            text("INSERT INTO events VALUES (:id, :who)"),
            [{"id": i, "who": f"user{i}@example.com"} for i in range(1, EVENTS + 1)],
        )
        conn.execute(
            text(
                "CREATE VIEW slow AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
                "WHERE i < 2000000000) SELECT max(i) AS n FROM r"
            )
        )
    engine.dispose()
    return path


def url(path) -> str:
    return f"sqlite:///{path}"


def test_every_pii_column_found_and_no_clean_column_flagged(scan, db):
    run = scan(url(db), "--exclude", "events", "--exclude", "nokey")
    assert run.code == 1, run.stderr
    assert columns(run.findings, "ledger") == sqldata.expected_ledger("sqlite")
    assert columns(run.findings, "sample_data") == file_columns(scan)
    loc = next(f["location"] for f in run.findings if f["location"]["field"] == "notes_x")
    assert loc == {
        "container": "main.ledger",
        "field": "notes_x",
        "database": str(db),
        "schema": "main",
        "table": "ledger",
        "column": "notes_x",
    }
    assert "partial main.ledger: unsupported_type (binary columns not scanned: photo)" in run.stderr
    assert records(run.stderr) == sqldata.LEDGER_ROWS + 30


def test_row_key_is_the_primary_key_else_the_rowid(scan, db):
    run = scan(url(db), "--include", "main.ledger", "--include", "nokey", "--granularity", "row", "--reveal",
               "--entities", "EMAIL_ADDRESS")  # fmt: skip
    conn = sqlite3.connect(db)
    ledger = [f for f in run.findings if f["location"]["field"] == "notes_x"]
    assert len(ledger) == sqldata.LEDGER_ROWS
    for f in ledger:
        (key,) = conn.execute("SELECT id FROM ledger WHERE notes_x = ?", (f["value"],)).fetchone()
        assert f["location"]["row_key"] == key
    nokey = [f for f in run.findings if f["location"]["table"] == "nokey"]
    assert len(nokey) == 2
    for f in nokey:
        (value,) = conn.execute("SELECT c1 FROM nokey WHERE rowid = ?", (f["location"]["row_key"],)).fetchone()
        assert value == f["value"]


def test_sample_reads_at_most_sample_size_rows_and_full_reads_all(scan, db):
    sample = scan(url(db), "--include", "events", "--sample-size", "100")
    assert records(sample.stderr) == 100
    full = scan(url(db), "--include", "events", "--sample-size", "100", "--full")
    assert records(full.stderr) == EVENTS


def _keys(scan, db, *args) -> list:
    run = scan(url(db), "--include", "events", "--granularity", "row", "--sample-size", "40", *args)
    return sorted(f["location"]["row_key"] for f in run.findings)


def test_seeded_sample_is_random_and_repeatable(scan, db):
    first = _keys(scan, db, "--seed", "7")
    assert len(first) == 40 and first == _keys(scan, db, "--seed", "7")
    assert first != _keys(scan, db, "--seed", "8")
    assert first != list(range(1, 41))  # not simply the first rows


def test_include_and_exclude_globs_on_schema_and_table(scan, db):
    run = scan(url(db), "--include", "main.*", "--exclude", "main.[ls]*", "--format", "json")
    assert "scanned 2 of 2 items" in run.stderr  # events and nokey
    run = scan(url(db), "--include", "nok*")
    assert {f["location"]["table"] for f in run.findings} == {"nokey"}


def test_query_past_the_timeout_skips_the_table(scan, db):
    run = scan(url(db), "--views", "--include", "slow", "--include", "nokey", "--query-timeout", "0.5",
               "--format", "json")  # fmt: skip
    assert coverage(run.stdout) == {"main.slow": ("skipped", "timeout")}
    assert "skipped main.slow: timeout" in run.stderr
    assert run.code == 1  # nokey still scanned


def test_views_only_with_views(scan, db):
    run = scan(url(db), "--include", "slow", "--query-timeout", "0.5")
    assert run.code == 0 and "scanned 0 of 0 items" in run.stderr


def test_the_connection_is_read_only(db):
    options = ConnectorOptions()
    engine, _ = session.open_engine(session.parse(url(db), options), options)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM nokey")).scalar() == 2
        with pytest.raises(OperationalError, match="readonly"):
            conn.execute(text("INSERT INTO nokey VALUES ('x', 3)"))
    engine.dispose()


def test_missing_file_is_a_usage_error(scan, tmp_path):
    run = scan(f"sqlite:///{tmp_path / 'nope.db'}")
    assert run.code == 2 and "no such SQLite database file" in run.stderr


def test_not_a_database_is_one_line_and_exit_2(scan, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database\n" * 100)
    run = scan(url(junk), "-q")
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [f"pdscan: error: cannot list the tables of {url(junk)}: DatabaseError"]


@pytest.mark.parametrize("granularity", ["column", "row"])
def test_workers_give_the_findings_and_coverage_of_one_process(scan, db, granularity):
    doc = same_in_workers(scan, url(db), "--sample-size", "100", "--seed", "7", "--granularity", granularity)
    assert doc["summary"]["items"] == 4 and len(doc["findings"]) > 10
    assert {c["container"]: (c.get("reason"), c.get("sampled")) for c in doc["coverage"]} == {
        "main.ledger": ("unsupported_type", "100 rows of about 300 (in random order)"),
        "main.events": (None, "100 rows of about 3,000 (in random order)"),
    }


def test_ray_engine_reads_a_sqlite_database_as_one_process_does(scan, db):
    args = (url(db), "--sample-size", "100", "--seed", "7", "--format", "json", "--no-store")
    ray = scan(*args, "--engine", "ray", "--workers", "2")
    assert timeless(ray) == timeless(scan(*args, "--workers", "1"))


def test_a_small_database_does_not_start_workers(db):
    # a table's size is what its read covers, about: 3,000 rows sampled to 100 of two columns
    connector = SqlConnector(url(db), ConnectorOptions(sample_size=100))
    sizes = {item.container: item.size for item in connector.items([])}
    connector.close()
    assert sizes["main.events"] == 100 * 2 * 16
    assert sum(sizes.values()) < MIN_PARALLEL_BYTES
