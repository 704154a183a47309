"""PostgreSQL end to end on a real server (tests/connectors/servers.py), scanned as an ordinary role."""

import json
import os
import pickle
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import InternalError
from sqlalchemy.pool import NullPool

from pdscan.cli import MIN_PARALLEL_BYTES
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql import SqlConnector, session
from tests.conftest import TEST_KEY
from tests.connectors import sqldata, sqlhelp
from tests.connectors.servers import READER_PASSWORD
from tests.connectors.sqlhelp import check_unreachable, check_wrong_password, columns, coverage, file_columns, records

EVENTS = 20_000  # ORDER BY random() territory
BIG = 300_000  # TABLESAMPLE territory


@pytest.fixture(scope="module")
def pg(postgres_server):
    engine = create_engine(postgres_server.admin_url, poolclass=NullPool)
    with engine.begin() as conn:
        sqldata.load(conn, "postgresql")
        for statement in (
            "CREATE TABLE nokey (c1 text, n int)",
            "INSERT INTO nokey VALUES ('ana.torres@example.com', 1), ('bo.li@example.org', 2)",
            "CREATE TABLE visits (region text, num int, who text, PRIMARY KEY (region, num))",
            "INSERT INTO visits VALUES ('eu', 1, 'ana.torres@example.com'), ('us', 1, 'bo.li@example.org')",
            "CREATE TABLE events (id int PRIMARY KEY, who text)",
            f"INSERT INTO events SELECT g, 'user' || g || '@example.com' FROM generate_series(1, {EVENTS}) g",
            "CREATE TABLE big (id int PRIMARY KEY, who text, n int)",
            f"INSERT INTO big SELECT g, 'user' || g || '@example.com', g % 97 FROM generate_series(1, {BIG}) g",
            "CREATE TABLE payroll (id int PRIMARY KEY, who text)",
            "INSERT INTO payroll VALUES (1, 'ana.torres@example.com')",
            "CREATE VIEW slow AS SELECT pg_sleep(5)::text AS x",
            "CREATE SCHEMA archive",
            "CREATE TABLE archive.old_customers (id int PRIMARY KEY, who text)",
            "INSERT INTO archive.old_customers SELECT g, 'old' || g || '@example.net' FROM generate_series(1, 50) g",
            "GRANT USAGE ON SCHEMA archive TO reader",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public, archive TO reader",
            "REVOKE SELECT ON payroll FROM reader",
        ):
            conn.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    yield postgres_server
    engine.dispose()


def test_every_pii_column_found_and_no_clean_column_flagged(scan, pg):
    run = scan(pg.reader_url, "--include", "public.ledger", "--include", "public.sample_data")
    assert run.code == 1, run.stderr
    assert columns(run.findings, "ledger") == sqldata.expected_ledger("postgresql")
    assert columns(run.findings, "sample_data") == file_columns(scan)
    f = next(f for f in run.findings if f["location"]["field"] == "notes_x")
    assert f["location"] == {"container": "public.ledger", "field": "notes_x", "database": "pdscan_test",
                             "schema": "public", "table": "ledger", "column": "notes_x"}  # fmt: skip
    assert f["source"] == pg.reader_url.replace(READER_PASSWORD, "***")
    assert "partial public.ledger: unsupported_type (binary columns not scanned: photo)" in run.stderr
    assert READER_PASSWORD not in run.stdout + run.stderr


def test_row_key_is_the_primary_key_else_the_ctid(scan, pg):
    run = scan(pg.reader_url, "--include", "public.ledger", "--include", "nokey", "--include", "visits",
               "--granularity", "row", "--reveal", "--entities", "EMAIL_ADDRESS")  # fmt: skip
    engine = create_engine(pg.admin_url, poolclass=NullPool)
    with engine.connect() as conn:
        ledger = [f for f in run.findings if f["location"]["field"] == "notes_x"]
        assert len(ledger) == sqldata.LEDGER_ROWS
        for f in ledger[:20]:
            key = conn.execute(text("SELECT id FROM ledger WHERE notes_x = :v"), {"v": f["value"]}).scalar()
            assert f["location"]["row_key"] == key
        nokey = [f for f in run.findings if f["location"]["table"] == "nokey"]
        assert len(nokey) == 2
        for f in nokey:
            ctid = f["location"]["row_key"]
            assert (
                conn.execute(text("SELECT c1 FROM nokey WHERE ctid = CAST(:c AS tid)"), {"c": ctid}).scalar()
                == f["value"]
            )
    engine.dispose()
    visits = {f["value"]: f["location"]["row_key"] for f in run.findings if f["location"]["table"] == "visits"}
    assert visits == {
        "ana.torres@example.com": {"region": "eu", "num": 1},
        "bo.li@example.org": {"region": "us", "num": 1},
    }


def test_sample_reads_at_most_sample_size_rows_and_full_reads_all(scan, pg):
    assert records(scan(pg.reader_url, "--include", "events", "--sample-size", "500").stderr) == 500
    assert records(scan(pg.reader_url, "--include", "events", "--full").stderr) == EVENTS
    run = scan(pg.reader_url, "--include", "big", "--sample-size", "1000", "--format", "json")
    assert records(run.stderr) == 1000
    (big,) = json.loads(run.stdout)["coverage"]  # TABLESAMPLE: pages picked at random, not the whole table
    assert big["sampled"] == f"1,000 rows of about {BIG:,} (TABLESAMPLE)"


def _keys(scan, pg, table, *args) -> list:
    run = scan(pg.reader_url, "--include", table, "--granularity", "row", "--sample-size", "50",
               "--entities", "EMAIL_ADDRESS", *args)  # fmt: skip
    return sorted(f["location"]["row_key"] for f in run.findings)


@pytest.mark.parametrize("table", ["events", "big"])  # ORDER BY random(), TABLESAMPLE
def test_seeded_sample_is_random_and_repeatable(scan, pg, table):
    first = _keys(scan, pg, table, "--seed", "7")
    assert len(first) == 50 and first == _keys(scan, pg, table, "--seed", "7")
    assert first != _keys(scan, pg, table, "--seed", "8")
    assert first != list(range(1, 51))


def test_include_and_exclude_globs_on_schema_and_table(scan, pg):
    run = scan(pg.reader_url, "--include", "archive.*", "--include", "public.nok*")
    assert {f["location"]["container"] for f in run.findings} == {"archive.old_customers", "public.nokey"}
    run = scan(pg.reader_url, "--exclude", "public.*")
    assert {f["location"]["container"] for f in run.findings} == {"archive.old_customers"}


def test_table_without_select_privilege_is_skipped_and_the_rest_scanned(scan, pg):
    run = scan(pg.reader_url, "--include", "payroll", "--include", "nokey", "--format", "json")
    assert run.code == 1
    assert coverage(run.stdout) == {"public.payroll": ("skipped", "permission_denied")}
    assert "skipped public.payroll: permission_denied (no SELECT privilege on public.payroll)" in run.stderr
    assert {f["location"]["table"] for f in json.loads(run.stdout)["findings"]} == {"nokey"}


def test_query_past_the_timeout_skips_the_table(scan, pg):
    run = scan(pg.reader_url, "--views", "--include", "slow", "--include", "nokey", "--query-timeout", "0.5",
               "--format", "json")  # fmt: skip
    assert coverage(run.stdout) == {"public.slow": ("skipped", "timeout")}
    assert run.code == 1


def test_wrong_password_is_one_line_and_exit_2(scan, pg):
    check_wrong_password(scan, pg)


def test_password_from_the_environment(scan, pg):
    no_password = pg.reader_url.replace(f":{READER_PASSWORD}@", "@")
    assert scan(no_password, "--include", "nokey", "-q").code == 2
    run = scan(no_password, "--include", "nokey", env={"PDSCAN_DB_PASSWORD": READER_PASSWORD})
    assert run.code == 1 and len(run.findings) == 1
    run = scan(no_password, "--include", "nokey", env={"PGPASSWORD": READER_PASSWORD})  # libpq's own
    assert run.code == 1


def test_unreachable_server_is_one_line_and_exit_2(scan):
    check_unreachable(scan, "postgresql")


def test_the_session_is_read_only_and_time_limited(pg):
    # as the superuser: the session refuses the write, not the privileges
    options = ConnectorOptions(query_timeout=7)
    engine, _ = session.open_engine(session.parse(pg.admin_url, options), options)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "7s"
        with pytest.raises(InternalError, match="read-only transaction"):
            conn.execute(text("INSERT INTO nokey VALUES ('x', 3)"))
    engine.dispose()


def _waiting_on_a_lock(conn) -> list:
    query = "SELECT pid FROM pg_stat_activity WHERE application_name = 'pdscan' AND wait_event_type = 'Lock'"
    return list(conn.execute(text(query)).scalars())


@pytest.mark.parametrize("workers", ["1", "2"])
def test_connection_dropped_mid_scan_keeps_findings_and_exits_2(pg, workers):
    # archive.old_customers (50 rows) is read first; public.locked is then held by an exclusive
    # lock the test takes, and the test terminates the scan's backend while it waits there.
    # In two workers, public.nokey may well be read meanwhile: what it found is dropped, as the
    # source failed before it in the scan's order.
    admin = create_engine(pg.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE locked (id int PRIMARY KEY, who text)"))
        conn.execute(text("INSERT INTO locked VALUES (1, 'cy.ng@example.net')"))
        conn.execute(text("GRANT SELECT ON locked TO reader"))
    holder = create_engine(pg.admin_url, poolclass=NullPool).connect()
    holder.execute(text("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE"))  # held until the rollback below
    args = ["scan", pg.reader_url, "--include", "archive.*", "--include", "public.locked", "--include", "public.nokey",
            "--format", "json", "--workers", workers]  # fmt: skip
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY}
    proc = subprocess.Popen([sys.executable, "-m", "pdscan", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)  # fmt: skip
    try:
        with admin.connect() as conn:
            while not (pids := _waiting_on_a_lock(conn)) and proc.poll() is None:
                time.sleep(0.05)
            assert pids, "the scan ended before it reached the locked table"
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        holder.rollback()
        holder.close()
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE locked"))
        admin.dispose()
    assert proc.returncode == 2, err
    assert f"pdscan: error: lost the connection to {pg.url(password='***')} while reading public.locked" in err
    doc = json.loads(out)
    assert {f["location"]["container"] for f in doc["findings"]} == {"archive.old_customers"}
    assert coverage(out) == {"public.locked": ("skipped", "source_error"), "public.nokey": ("skipped", "source_error")}
    assert READER_PASSWORD not in out + err


def test_workers_give_the_findings_and_coverage_of_one_process(scan, pg):
    # seeded ORDER BY random() (events) and TABLESAMPLE (big) read the same rows in a worker's session
    args = ["--sample-size", "1000", "--seed", "7", "--exclude", "public.contacts"]  # contacts: test_sql_changes
    doc = sqlhelp.same_in_workers(scan, pg.reader_url, *args)
    assert doc["summary"]["items"] == 8 and len(doc["findings"]) > 10
    assert {c["container"]: (c.get("reason"), c.get("sampled")) for c in doc["coverage"]} == {
        "public.payroll": ("permission_denied", None),
        "public.ledger": ("unsupported_type", None),
        "public.events": (None, f"1,000 rows of about {EVENTS:,} (in random order)"),
        "public.big": (None, f"1,000 rows of about {BIG:,} (TABLESAMPLE)"),
    }
    assert READER_PASSWORD not in json.dumps(doc)


def test_ray_tasks_read_postgresql_tables_as_one_process_does(scan, pg):
    # each Ray worker opens its own session from the unit's source; the refused table, the seeded
    # random order and TABLESAMPLE come out as in one process, and the password is nowhere
    args = [pg.reader_url, "--sample-size", "1000", "--seed", "7", "--exclude", "public.contacts"]
    args += ["--format", "json", "--no-store"]
    ray = scan(*args, "--engine", "ray", "--workers", "2")
    assert sqlhelp.timeless(ray) == sqlhelp.timeless(scan(*args, "--workers", "1"))
    doc = json.loads(ray.stdout)
    assert {c["container"]: c.get("reason") for c in doc["coverage"]}["public.payroll"] == "permission_denied"
    assert READER_PASSWORD not in ray.stdout + ray.stderr


def test_a_worker_that_cannot_connect_fails_the_source(scan, pg):
    # The role may hold one session: the main process keeps its own (the listing's) to the end,
    # so every worker is refused. In one process the same scan needs no second session.
    admin = create_engine(pg.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE ROLE lonely LOGIN PASSWORD 'lonely-Pw-5' CONNECTION LIMIT 1"))
        conn.execute(text("GRANT SELECT ON nokey, visits TO lonely"))
    url = pg.url(user="lonely", password="lonely-Pw-5")
    try:
        args = [url, "--include", "public.nokey", "--include", "public.visits", "--format", "json", "--no-store"]
        run = scan(*args, "--workers", "2")
        assert scan(*args, "--workers", "1").code == 1
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP OWNED BY lonely"))
            conn.execute(text("DROP ROLE lonely"))
        admin.dispose()
    assert run.code == 2
    shown = pg.url(user="lonely", password="***")
    assert f"pdscan: error: cannot connect to {shown}: too many connections" in run.stderr
    not_scanned = ("skipped", "source_error")
    assert coverage(run.stdout) == {"public.nokey": not_scanned, "public.visits": not_scanned}
    assert "lonely-Pw-5" not in run.stdout + run.stderr


def test_tables_carry_the_size_their_read_covers(pg):
    def items(**options) -> dict:
        connector = SqlConnector(pg.reader_url, ConnectorOptions(include=("big", "nokey"), **options))
        found = {item.container: item for item in connector.items([])}
        connector.close()
        return found

    admin = create_engine(pg.admin_url, poolclass=NullPool)
    with admin.connect() as conn:
        on_disk = conn.execute(text("SELECT pg_relation_size('big')")).scalar()
    admin.dispose()
    full, sampled = items(full=True), items(sample_size=1000)
    assert full["public.big"].size == pytest.approx(on_disk, rel=0.01)
    assert sampled["public.big"].size == pytest.approx(on_disk * 1000 / BIG, rel=0.05)
    assert sampled["public.nokey"].size == full["public.nokey"].size < 100_000
    # the whole big table is worth starting workers for; a sample of it is not
    assert full["public.big"].size >= MIN_PARALLEL_BYTES > sampled["public.big"].size
    # what goes to a worker holds no connection and no password (the unit carries the source)
    shipped = pickle.dumps(sampled["public.big"])
    assert READER_PASSWORD.encode() not in shipped
    assert pickle.loads(shipped).handle == sampled["public.big"].handle
