"""The store's schema versions: an old store opens and migrates, its data kept; opening again changes
nothing; every table, the DSAR case log's included, comes from the one schema and migration."""

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from pdscan.core.errors import StoreError
from pdscan.store import Store, finding_identity, queries
from pdscan.store.migrations import LATEST, migrate, version_of
from pdscan.store.schema import meta

OLD_LAYOUT = Path(__file__).with_name("old_layout.sql")
LOCATION = {"container": "crm/orders.csv", "field": "card", "path": "crm/orders.csv"}


def _old_store(path: Path, drop: tuple[tuple[str, str], ...] = ()) -> Path:
    """A store as pdscan made it before schema versions, with a scan, a finding, a label, a DSAR case."""
    con = sqlite3.connect(path)
    con.executescript(OLD_LAYOUT.read_text())
    con.execute(
        "INSERT INTO scans (id, started, finished, sources, policy, key_id, settings, summary, interrupted) "
        "VALUES (1, '2026-01-05T10:00:00+00:00', '2026-01-05T10:01:00+00:00', '[\"/srv/share\"]', 'ccpa', "
        "'k1', 's1', '{}', 0)"
    )
    con.execute(
        "INSERT INTO items (scan_id, source, container, status, bytes, records, version) "
        "VALUES (1, '/srv/share', 'crm/orders.csv', 'complete', 120, 3, '{\"size\": 120}')"
    )
    con.execute(
        "INSERT INTO findings (scan_id, identity, kind, entity, category, source, container, field, location, "
        "score, detector, sample, fingerprint, matches, test_data) VALUES (1, 'id-1', 'column', 'CREDIT_CARD', "
        f"'pfi', '/srv/share', 'crm/orders.csv', 'card', '{json.dumps(LOCATION)}', 0.9, 'column', "
        "'4539 **** **** 6467', 'fp-1', 3, 0)"
    )
    con.execute(
        "INSERT INTO labels (id, source, container, label, note, created, entity) "
        "VALUES (1, '/srv/share', 'crm/', 'accepted', 'kept on purpose', '2026-01-06T09:00:00+00:00', 'CREDIT_CARD')"
    )
    con.execute(
        "INSERT INTO dsar_cases (id, kind, requester, fingerprints, key_id, received, due, status, created) "
        "VALUES ('DSAR-20260105-abc123', 'know', 'T-1', '{\"email\": [\"fp\"]}', 'k1', '2026-01-05', '2026-02-19', "
        "'open', '2026-01-05T10:00:00+00:00')"
    )
    for table, column in drop:  # as an older pdscan still made it
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.commit()
    con.close()
    path.chmod(0o600)  # a store's file is private (pdscan refuses one open to others)
    return path


def _columns(path: Path) -> dict[str, set[str]]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {t: {r[1] for r in con.execute(f"PRAGMA table_info({t})")} for t in tables}
    con.close()
    return out


def _versions(path: Path) -> list[tuple[int, str]]:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT version, step FROM schema_version ORDER BY version").fetchall()
    con.close()
    return rows


def test_a_store_from_before_versions_migrates_and_keeps_its_data(tmp_path):
    path = _old_store(tmp_path / "old.db")
    store = Store(str(path))
    assert [v for v, _ in _versions(path)] == [LATEST]
    assert {t: {c.name for c in table.columns} for t, table in meta.tables.items()} == _columns(path)
    [scan] = store.scan_list()
    assert (scan["id"], scan["findings"], scan["interrupted"], scan["settings"]) == (1, 1, False, "s1")
    [finding] = store.findings_of(1)
    assert (finding.entity, finding.sample, finding.location.field) == ("CREDIT_CARD", "4539 **** **** 6467", "card")
    assert dict(finding.location.extra) == {"path": "crm/orders.csv"}
    assert store.label_set().of(finding) == "accepted"
    assert store.items_of(1)[0]["version"] == '{"size": 120}'
    assert store.last_scans() == [1]


def test_columns_an_older_pdscan_lacked_are_added_empty(tmp_path):
    lacking = (("scans", "interrupted"), ("items", "sampled"), ("labels", "removed"), ("dsar_cases", "requester"))
    path = _old_store(tmp_path / "older.db", drop=lacking)
    con = sqlite3.connect(path)
    con.execute("DROP TABLE gone")
    con.commit()
    con.close()
    store = Store(str(path))
    columns = _columns(path)
    assert all(column in columns[table] for table, column in lacking) and "gone" in columns
    assert store.scan_list()[0]["interrupted"] is None
    assert store.last_scans() == [1]  # NULL: a scan from before the flag ran to its end
    assert [r["label"] for r in store.labels()] == ["accepted"]  # not removed
    from pdscan.dsar.cases import CaseLog

    case = CaseLog(store).get("DSAR-20260105-abc123")
    assert (case.kind, case.requester, case.due) == ("know", None, date(2026, 2, 19))


def test_migrating_again_changes_nothing(tmp_path):
    path = _old_store(tmp_path / "old.db")
    first = Store(str(path))
    assert migrate(first.engine) == []
    first.engine.dispose()
    before = (_columns(path), _versions(path))
    again = Store(str(path))
    assert (_columns(path), _versions(path)) == before
    assert len(again.findings_of(1)) == 1 and len(again.scan_list()) == 1


def test_a_new_store_is_created_at_the_latest_version(tmp_path):
    path = tmp_path / "new.db"
    store = Store(str(path))
    assert _versions(path) == [(LATEST, "created at the latest layout")]
    assert set(_columns(path)) == set(meta.tables)
    with store.engine.connect() as db:
        assert version_of(db) == LATEST


def test_a_store_from_a_newer_pdscan_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(str(path)).engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (?, '2030-01-01T00:00:00+00:00', 'from the future')", (LATEST + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer pdscan"):
        Store(str(path))


def test_dsar_case_tables_come_from_the_store_schema_and_migration(tmp_path):
    import pdscan.dsar.cases as cases_module
    from pdscan.dsar.cases import CaseLog

    assert not [v for v in vars(cases_module).values() if isinstance(v, sa.MetaData)]  # no metadata of its own
    assert {"dsar_cases", "dsar_audit"} <= set(meta.tables)
    path = tmp_path / "team.db"
    store = Store(str(path))  # the case log never used: its tables are there all the same
    assert {"dsar_cases", "dsar_audit"} <= set(_columns(path))
    log = CaseLog(store)
    case = log.open("delete", {"email": ["fp"]}, "k1", date(2026, 3, 2), 45, requester="T-9")
    log.audit("find", case.id, {"matches": 0})
    assert [c.id for c in log.list()] == [case.id]
    assert [a["action"] for a in log.audit_trail(case.id)] == ["find"]
    assert [v for v, _ in _versions(path)] == [LATEST]


def test_reads_go_through_the_queries(tmp_path):
    store = Store(str(_old_store(tmp_path / "old.db")))
    [finding] = queries.findings_of(store, 1)
    assert queries.find_by_identity(store, "id-", 1).entity == "CREDIT_CARD"
    assert queries.known_fields(store, ["/srv/share"]) == {("/srv/share", "crm/orders.csv"): {"card": {"CREDIT_CARD"}}}
    assert queries.item_statuses(store, ["/srv/share"]) == {("/srv/share", "crm/orders.csv"): "complete"}
    assert [s["id"] for s in queries.finished_scans(store, upto=1)] == [1]
    assert [r["container"] for r in queries.all_items(store)] == ["crm/orders.csv"]
    assert queries.all_gone(store) == [] and queries.any_labels(store)
    spans = queries.identity_spans(store, [1])
    assert spans == {"id-1": ("2026-01-05T10:00:00+00:00", "2026-01-05T10:00:00+00:00")}
    assert finding_identity(finding) != "id-1"  # stored identity kept as written, not recomputed


def test_pdscans_opening_a_new_store_at_once_all_open_it(tmp_path):
    import subprocess
    import sys
    import time

    path, go = tmp_path / "shared.db", tmp_path / "go"
    code = (
        "import os, sys, time\n"
        "from pdscan.store import Store\n"
        "open(sys.argv[3], 'w').close()\n"
        "while not os.path.exists(sys.argv[2]): time.sleep(0.005)\n"  # imported: all open at the same moment
        "Store(sys.argv[1]).scan_list()\n"
    )
    ready = [tmp_path / f"ready{n}" for n in range(3)]
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), str(go), str(r)], stderr=subprocess.PIPE)
        for r in ready
    ]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    assert [v for v, _ in _versions(path)] == [LATEST]
