"""A team's findings store on PostgreSQL (`--store postgresql://...`), on the real server."""

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


@pytest.fixture(scope="module")
def store_url(postgres_server):
    admin = create_engine(postgres_server.admin_url, poolclass=NullPool)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("DROP DATABASE IF EXISTS pdscan_store"))
        conn.execute(text("CREATE DATABASE pdscan_store"))
    admin.dispose()
    url = make_url(postgres_server.admin_url).set(drivername="postgresql", database="pdscan_store")
    return url.render_as_string(hide_password=False)


def test_scans_diff_and_reports_run_on_a_postgres_store(scan, cli_run, store_url, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "a.txt").write_text("card 4539 1488 0343 6467 on file\n", encoding="utf-8")
    assert scan(folder, "--store", store_url).code == 1
    (folder / "b.txt").write_text("reach me at ana.torres@example.com\n", encoding="utf-8")
    assert scan(folder, "--store", store_url).code == 1

    scans = json.loads(cli_run("scans", "--store", store_url, "--format", "json").stdout)
    assert [s["id"] for s in scans] == [1, 2]
    diff = cli_run("diff", "--store", store_url, "--format", "json")
    assert diff.exit_code == 1
    assert [f["entity"] for f in json.loads(diff.stdout)["added"]] == ["EMAIL_ADDRESS"]
    pfi = cli_run("report", "pfi", "--store", store_url, "--format", "json")
    assert [r["entity"] for r in json.loads(pfi.stdout)["locations"]] == ["CREDIT_CARD"]

    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool)
    with engine.connect() as conn:
        dumped = json.dumps([list(r) for r in conn.execute(text("SELECT * FROM findings"))], default=str)
    engine.dispose()
    assert "4539 1488 0343 6467" not in dumped and "4539148803436467" not in dumped
    assert "ana.torres@example.com" not in dumped


def test_a_postgres_store_from_before_versions_migrates(postgres_server):
    from pdscan.store import Store
    from pdscan.store.migrations import LATEST
    from pdscan.store.schema import meta, scans, schema_version

    admin = create_engine(postgres_server.admin_url, poolclass=NullPool)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("DROP DATABASE IF EXISTS pdscan_old_store"))
        conn.execute(text("CREATE DATABASE pdscan_old_store"))
    admin.dispose()
    url = make_url(postgres_server.admin_url).set(drivername="postgresql", database="pdscan_old_store")
    url = url.render_as_string(hide_password=False)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool)
    old = [t for t in meta.sorted_tables if t.name not in ("schema_version", "dsar_cases", "dsar_audit")]
    meta.create_all(engine, tables=old)  # as pdscan made it before versions, and before a column
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE scans DROP COLUMN interrupted"))
        conn.execute(text("INSERT INTO scans (started, sources) VALUES ('2026-01-05T10:00:00+00:00', '[]')"))

    for _ in range(2):  # the second open finds it current
        store = Store(url)
        assert [s["interrupted"] for s in store.scan_list()] == [None]
        store.engine.dispose()
    with engine.connect() as conn:
        assert [r.version for r in conn.execute(schema_version.select())] == [LATEST]
        assert conn.execute(text("SELECT count(*) FROM dsar_cases")).scalar() == 0
        assert conn.execute(scans.select()).mappings().one()["started"] == "2026-01-05T10:00:00+00:00"
    engine.dispose()
