"""Tables the store knows unchanged are not read again; sampled tables are recorded as sampled."""

import json
import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pdscan.store import Store


def _items(scan_id: int) -> dict[str, dict]:
    store = Store(os.environ["PDSCAN_STORE"])
    return {i["container"]: i for i in store.items_of(scan_id)}


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "shop.db"
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)"))
        conn.execute(text("INSERT INTO customers VALUES (1, 'ana.torres@example.com'), (2, 'bo.li@example.org')"))
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, who TEXT)"))
        rows = [{"id": i, "who": f"user{i}@example.com"} for i in range(1, 501)]
        conn.execute(text("INSERT INTO events VALUES (:id, :who)"), rows)
    engine.dispose()
    return path


@pytest.mark.parametrize("workers", ["1", "2"])  # versions are checked in the main process, before queueing
def test_unchanged_sqlite_tables_carry_their_findings_and_a_write_rescans(scan, shop, workers):
    first = scan(f"sqlite:///{shop}", "--workers", workers)
    assert first.code == 1
    again = scan(f"sqlite:///{shop}", "--workers", workers)
    assert "2 items unchanged since scan 1, not read again" in again.stderr
    assert {f["location"]["container"] for f in again.findings} == {"main.customers", "main.events"}
    assert all(i["carried_from"] == 1 for i in _items(2).values())

    engine = create_engine(f"sqlite:///{shop}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customers VALUES (3, 'cy.ng@example.net')"))
    engine.dispose()
    third = scan(f"sqlite:///{shop}", "--workers", workers)
    assert "unchanged" not in third.stderr
    assert {f["location"]["container"] for f in third.findings} == {"main.customers", "main.events"}
    assert not any(i["carried_from"] for i in _items(3).values())
    assert "unchanged" not in scan(f"sqlite:///{shop}", "--rescan").stderr  # --rescan reads anyway
    assert not any(i["carried_from"] for i in _items(4).values())


def test_a_sampled_table_is_recorded_as_sampled_and_a_whole_one_as_complete(scan, cli_run, shop, tmp_path):
    run = scan(f"sqlite:///{shop}", "--sample-size", "100", "--format", "json")
    coverage = {c["container"]: c for c in json.loads(run.stdout)["coverage"]}
    assert coverage["main.events"]["sampled"] == "100 rows of about 500 (in random order)"
    assert "main.customers" not in coverage  # 2 rows of 2: read whole
    items = _items(1)
    assert items["main.events"]["sampled"].startswith("100 rows")
    assert items["main.customers"]["sampled"] is None

    scan(f"sqlite:///{shop}", "--sample-size", "100")  # carried: the coverage is still the sample's
    assert _items(2)["main.events"]["sampled"].startswith("100 rows")

    report = tmp_path / "inventory.json"
    assert cli_run("report", "inventory", "--format", "json", "-o", report).exit_code == 0
    text_ = report.read_text()
    assert "sampled: 100 rows of about 500" in text_


def test_postgres_counters_tell_a_changed_table(scan, postgres_server):
    admin = create_engine(postgres_server.admin_url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS contacts"))
        conn.execute(text("CREATE TABLE contacts (id int PRIMARY KEY, email text)"))
        conn.execute(text("INSERT INTO contacts VALUES (1, 'ana.torres@example.com'), (2, 'bo.li@example.org')"))
        conn.execute(text("GRANT SELECT ON contacts TO reader"))
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    url = postgres_server.reader_url
    assert scan(url, "--include", "public.contacts").code == 1
    again = scan(url, "--include", "public.contacts")
    assert "1 item unchanged since scan 1, not read again" in again.stderr
    assert [f["location"]["field"] for f in again.findings] == ["email"]

    with admin.begin() as conn:
        conn.execute(text("UPDATE contacts SET email = 'cy.ng@example.net' WHERE id = 2"))
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    admin.dispose()
    third = scan(url, "--include", "public.contacts")
    assert "unchanged" not in third.stderr
    assert _items(3)["public.contacts"]["carried_from"] is None
