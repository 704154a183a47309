"""MariaDB end to end on a real server (tests/connectors/servers.py), through PyMySQL."""

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql import session
from tests.connectors import sqldata, sqlhelp
from tests.connectors.servers import READER_PASSWORD
from tests.connectors.sqlhelp import check_unreachable, check_wrong_password, columns, coverage, file_columns, records

EVENTS = 5000


@pytest.fixture(scope="module")
def maria(mariadb_server):
    engine = create_engine(mariadb_server.admin_url, poolclass=NullPool)
    with engine.begin() as conn:
        sqldata.load(conn, "mariadb")
        for statement in (
            "CREATE TABLE nokey (c1 varchar(80), n int)",
            "INSERT INTO nokey VALUES ('ana.torres@example.com', 1), ('bo.li@example.org', 2)",
            "CREATE TABLE events (id int PRIMARY KEY, who varchar(80))",
            f"INSERT INTO events SELECT seq, CONCAT('user', seq, '@example.com') FROM seq_1_to_{EVENTS}",
            "CREATE TABLE payroll (id int PRIMARY KEY, who varchar(80))",
            "INSERT INTO payroll VALUES (1, 'ana.torres@example.com')",
            "CREATE VIEW opaque AS SELECT 1 AS x",
            "CREATE VIEW slow AS SELECT SUM(a.seq * b.seq) AS x FROM seq_1_to_100000 a, seq_1_to_100000 b",
            "GRANT SELECT, SHOW VIEW ON pdscan_test.* TO 'reader'@'%'",
        ):
            conn.execute(text(statement))
    # the reader may write the payroll table but not read it: listed, then refused
    with engine.begin() as conn:
        conn.execute(text("REVOKE SELECT, SHOW VIEW ON pdscan_test.* FROM 'reader'@'%'"))
        names = conn.execute(text("SHOW FULL TABLES")).all()
        for name, _kind in names:
            grant = "INSERT" if name == "payroll" else "SELECT"
            conn.execute(text(f"GRANT {grant} ON pdscan_test.`{name}` TO 'reader'@'%'"))
        conn.execute(text("GRANT SHOW VIEW ON pdscan_test.slow TO 'reader'@'%'"))  # not on opaque
        conn.execute(text("ANALYZE TABLE events"))
    yield mariadb_server
    engine.dispose()


def test_every_pii_column_found_and_no_clean_column_flagged(scan, maria):
    run = scan(maria.reader_url, "--include", "*.ledger", "--include", "*.sample_data")
    assert run.code == 1, run.stderr
    assert columns(run.findings, "ledger") == sqldata.expected_ledger("mariadb")
    assert columns(run.findings, "sample_data") == file_columns(scan)
    f = next(f for f in run.findings if f["location"]["field"] == "notes_x")
    assert f["location"] == {"container": "pdscan_test.ledger", "field": "notes_x", "database": "pdscan_test",
                             "schema": "pdscan_test", "table": "ledger", "column": "notes_x"}  # fmt: skip
    assert "partial pdscan_test.ledger: unsupported_type (binary columns not scanned: photo)" in run.stderr
    assert READER_PASSWORD not in run.stdout + run.stderr


def test_row_key_is_the_primary_key_else_none(scan, maria):
    run = scan(maria.reader_url, "--include", "*.ledger", "--include", "*.nokey", "--granularity", "row",
               "--reveal", "--entities", "EMAIL_ADDRESS")  # fmt: skip
    engine = create_engine(maria.admin_url, poolclass=NullPool)
    with engine.connect() as conn:
        ledger = [f for f in run.findings if f["location"]["field"] == "notes_x"]
        assert len(ledger) == sqldata.LEDGER_ROWS
        for f in ledger[:20]:
            key = conn.execute(text("SELECT id FROM ledger WHERE notes_x = :v"), {"v": f["value"]}).scalar()
            assert f["location"]["row_key"] == key
    engine.dispose()
    nokey = [f["location"] for f in run.findings if f["location"]["table"] == "nokey"]
    assert [(loc.get("row_key"), loc["row"]) for loc in nokey] == [(None, 0), (None, 1)]


def test_sample_reads_at_most_sample_size_rows_and_full_reads_all(scan, maria):
    assert records(scan(maria.reader_url, "--include", "*.events", "--sample-size", "300").stderr) == 300
    assert records(scan(maria.reader_url, "--include", "*.events", "--full").stderr) == EVENTS


def _keys(scan, maria, *args) -> list:
    run = scan(maria.reader_url, "--include", "*.events", "--granularity", "row", "--sample-size", "40", *args)
    return sorted(f["location"]["row_key"] for f in run.findings)


def test_seeded_sample_is_random_and_repeatable(scan, maria):
    first = _keys(scan, maria, "--seed", "7")
    assert len(first) == 40 and first == _keys(scan, maria, "--seed", "7")
    assert first != _keys(scan, maria, "--seed", "8")
    assert first != list(range(1, 41))


def test_table_without_select_privilege_is_skipped_and_the_rest_scanned(scan, maria):
    run = scan(maria.reader_url, "--include", "*.payroll", "--include", "*.nokey", "--format", "json")
    assert run.code == 1
    assert coverage(run.stdout) == {"pdscan_test.payroll": ("skipped", "permission_denied")}
    assert {f["location"]["table"] for f in json.loads(run.stdout)["findings"]} == {"nokey"}


def test_query_past_the_timeout_skips_the_table(scan, maria):
    run = scan(maria.reader_url, "--views", "--include", "*.slow", "--include", "*.nokey", "--query-timeout", "0.5",
               "--format", "json")  # fmt: skip
    assert coverage(run.stdout) == {"pdscan_test.slow": ("skipped", "timeout")}, run.stderr
    assert run.code == 1


def test_view_that_cannot_be_described_is_skipped_and_the_rest_listed(scan, maria):
    run = scan(maria.reader_url, "--views", "--include", "*.opaque", "--include", "*.nokey", "--format", "json")
    assert coverage(run.stdout) == {"pdscan_test.opaque": ("skipped", "permission_denied")}
    assert run.code == 1


def test_wrong_password_is_one_line_and_exit_2(scan, maria):
    check_wrong_password(scan, maria)


def test_password_from_the_environment(scan, maria):
    no_password = maria.reader_url.replace(f":{READER_PASSWORD}@", "@")
    assert scan(no_password, "--include", "*.nokey", "-q").code == 2
    for name in ("PDSCAN_DB_PASSWORD", "MYSQL_PWD"):
        assert scan(no_password, "--include", "*.nokey", env={name: READER_PASSWORD}).code == 1
    # a worker opens the source as given, and takes the password from the environment as well
    run = scan(no_password, "--include", "*.nokey", "--workers", "2", env={"PDSCAN_DB_PASSWORD": READER_PASSWORD})
    assert run.code == 1 and len(run.findings) == 1


def test_unreachable_server_is_exit_2(scan):
    check_unreachable(scan, "mysql")


def test_the_session_is_read_only_and_time_limited(maria):
    options = ConnectorOptions(query_timeout=7)
    engine, _ = session.open_engine(session.parse(maria.admin_url, options), options)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT @@session.tx_read_only")).scalar() == 1
        assert conn.execute(text("SELECT @@session.max_statement_time")).scalar() == 7
        with pytest.raises(OperationalError, match="READ ONLY"):
            conn.execute(text("INSERT INTO nokey VALUES ('x', 3)"))
    engine.dispose()


def test_workers_give_the_findings_and_coverage_of_one_process(scan, maria):
    args = ["--views", "--exclude", "slow", "--sample-size", "1000", "--seed", "7"]  # RAND(7) in a worker's session
    doc = sqlhelp.same_in_workers(scan, maria.reader_url, *args)
    assert doc["summary"]["items"] == 6 and len(doc["findings"]) > 10
    events = next(c for c in doc["coverage"] if c["container"] == "pdscan_test.events")
    assert events["sampled"].startswith("1,000 rows of about") and events["sampled"].endswith("(in random order)")
    assert {c["container"]: c.get("reason") for c in doc["coverage"]} == {
        "pdscan_test.opaque": "permission_denied",  # listed (and refused) in the main process
        "pdscan_test.payroll": "permission_denied",  # refused to a worker
        "pdscan_test.ledger": "unsupported_type",
        "pdscan_test.events": None,
    }
    assert READER_PASSWORD not in json.dumps(doc)
