"""`dsar find` on typical CRM schemas, on SQLite and on real PostgreSQL and MariaDB servers.

Columns of every common type (int4, int8, numeric with and without precision, smallint, boolean,
date, timestamp, json/jsonb, text with accents), two people with near-identical details, names
with non-ASCII letters, and tables linked to the customer by foreign keys and by a join key named
in the config. Each identifier is bound only where it fits; the person's whole record is found,
their linked rows are found through the path that reached them, and nothing of the other person's.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.pool import NullPool
from stdnum import luhn

from pdscan.cli import cli
from pdscan.connectors.registry import ConnectorOptions
from pdscan.dsar.identifiers import Identifiers
from pdscan.dsar.matcher import Matcher
from pdscan.dsar.search import Inventory, Searcher
from tests.conftest import TEST_KEY


def _card(head: str) -> str:
    return head + luhn.calc_check_digit(head)


JANE = {"cust_no": 1010, "first": "Jane", "last": "Requester", "email": "jane.requester@example.org",
        "phone": "(415) 555-0187", "ssn": "219-44-8812", "card": _card("492938130567018"), "cvv": "105"}  # fmt: skip
JANET = {"cust_no": 1011, "first": "Janet", "last": "Requester", "email": "janet.requester@example.org",
         "phone": "(415) 555-0188", "ssn": "219-44-8821", "card": _card("492938130567028"), "cvv": "733"}  # fmt: skip
JANE_CARD2 = _card("455673012894551")
JANET_CARD2 = _card("455673012894552")
ACCENTED = [(1012, "Zoë", "Ölander"), (1013, "Hans", "Weiß"), (1014, "Émile", "Zola")]


def _schema(meta: sa.MetaData, schema: str | None, json_type) -> dict[str, sa.Table]:
    def fk():
        return sa.ForeignKey(f"{schema + '.' if schema else ''}contacts.cust_no")

    contacts = sa.Table(
        "contacts", meta,
        sa.Column("cust_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_nm", sa.String(60)), sa.Column("last_nm", sa.String(60)),
        sa.Column("addr1", sa.String(100)), sa.Column("city", sa.String(60)), sa.Column("st", sa.String(2)),
        sa.Column("postal", sa.String(10)), sa.Column("email_addr", sa.String(120)), sa.Column("phone_no", sa.String(30)),
        sa.Column("social", sa.String(11)), sa.Column("pan", sa.String(19)), sa.Column("employer", sa.String(80)),
        sa.Column("job", sa.String(80)), sa.Column("order_total", sa.Numeric), sa.Column("sku", sa.String(20)),
        sa.Column("status", sa.SmallInteger), sa.Column("vip", sa.Boolean), sa.Column("born", sa.Date),
        sa.Column("created_at", sa.DateTime), sa.Column("remarks", sa.Text),
        schema=schema,
    )  # fmt: skip
    payment_methods = sa.Table(
        "payment_methods", meta,
        sa.Column("pm_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("customer_id", sa.Integer, fk()), sa.Column("card_pan", sa.String(19)), sa.Column("cvv", sa.String(4)),
        sa.Column("exp_month", sa.SmallInteger), sa.Column("active", sa.Boolean),
        schema=schema,
    )  # fmt: skip
    orders = sa.Table(
        "orders", meta,
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("customer_id", sa.Integer, fk()), sa.Column("total", sa.Numeric(12, 2)),
        sa.Column("placed", sa.Date), sa.Column("shipped_at", sa.DateTime), sa.Column("qty", sa.SmallInteger),
        sa.Column("meta", json_type),
        schema=schema,
    )  # fmt: skip
    tickets = sa.Table(  # no foreign key: joined by the config's join key
        "tickets", meta,
        sa.Column("ticket_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("cust_ref", sa.String(12)), sa.Column("subject", sa.Text),
        schema=schema,
    )  # fmt: skip
    callbacks = sa.Table(  # phone numbers as integers of three widths
        "callbacks", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("number8", sa.BigInteger), sa.Column("number4", sa.Integer), sa.Column("amount", sa.Numeric(8, 2)),
        schema=schema,
    )  # fmt: skip
    return {t.name: t for t in (contacts, payment_methods, orders, tickets, callbacks)}


def _insert(conn, table: sa.Table, rows: list[dict]) -> None:
    conn.execute(table.insert(), [{c.name: r.get(c.name) for c in table.columns} for r in rows])


def _fill(conn, tables: dict[str, sa.Table]) -> None:
    def contact(p, total):
        return {"cust_no": p["cust_no"], "first_nm": p["first"], "last_nm": p["last"], "addr1": "12 Elm St",
                "city": "San Francisco", "st": "CA", "postal": "94110", "email_addr": p["email"], "phone_no": p["phone"],
                "social": p["ssn"], "pan": p["card"], "employer": "Acme Corp", "job": "Engineer",
                "order_total": total, "sku": "SKU-1", "status": 1, "vip": True, "born": date(1990, 1, 2),
                "created_at": datetime(2026, 1, 2, 3, 4, 5), "remarks": "prefers email"}  # fmt: skip

    rows = [contact(JANE, 120), contact(JANET, 88)]
    for no, first, last in ACCENTED:
        rows.append({"cust_no": no, "first_nm": first, "last_nm": last, "email_addr": f"c{no}@example.net",
                     "remarks": f"called by {first} {last} about the invoice"})  # fmt: skip
    _insert(conn, tables["contacts"], rows)
    _insert(conn, tables["payment_methods"], [
        {"pm_id": 1, "customer_id": 1010, "card_pan": JANE["card"], "cvv": "105", "exp_month": 12, "active": True},
        {"pm_id": 2, "customer_id": 1011, "card_pan": JANET["card"], "cvv": "733", "exp_month": 3, "active": True},
        {"pm_id": 3, "customer_id": 1010, "card_pan": JANE_CARD2, "cvv": "942", "exp_month": 7, "active": False},
        {"pm_id": 4, "customer_id": 1011, "card_pan": JANET_CARD2, "cvv": "318", "exp_month": 5, "active": False},
    ])  # fmt: skip
    _insert(conn, tables["orders"], [
        {"order_id": 500, "customer_id": 1010, "total": 19.99, "placed": date(2026, 2, 1),
         "shipped_at": datetime(2026, 2, 2, 9, 0), "qty": 2, "meta": {"gift": False, "note": "leave at door"}},
        {"order_id": 501, "customer_id": 1011, "total": 5.00, "placed": date(2026, 2, 3), "qty": 1,
         "meta": {"note": "ring twice"}},
        {"order_id": 502, "customer_id": 1010, "total": 7.25, "placed": date(2026, 3, 1), "qty": 1, "meta": None},
    ])  # fmt: skip
    _insert(conn, tables["tickets"], [
        {"ticket_id": 70, "cust_ref": "1010", "subject": "refund for order 500"},
        {"ticket_id": 71, "cust_ref": "1011", "subject": "where is my parcel"},
    ])  # fmt: skip
    _insert(conn, tables["callbacks"], [
        {"id": 1, "number8": 14155550187, "number4": None, "amount": 12.5},
        {"id": 2, "number8": 4155550188, "number4": 55501, "amount": 1.0},
    ])  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mariadb"])
def crm(request, tmp_path_factory):
    """(URL pdscan reads with, container prefix) of the CRM database on one backend."""
    kind = request.param
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("crm") / "crm.db"
        engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
        meta = sa.MetaData()
        tables = _schema(meta, None, sa.JSON)
        meta.create_all(engine)
        with engine.begin() as conn:
            _fill(conn, tables)
        return f"sqlite:///{path}", "main."
    server = request.getfixturevalue("postgres_server" if kind == "postgresql" else "mariadb_server")
    base = server.admin_url.rsplit("/", 1)[0]
    default = "postgres" if kind == "postgresql" else "mysql"
    with sa.create_engine(f"{base}/{default}", poolclass=NullPool, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS crm"))
        conn.execute(sa.text("CREATE DATABASE crm" + (" CHARACTER SET utf8mb4" if kind == "mariadb" else "")))
        if kind == "mariadb":
            conn.execute(sa.text("GRANT SELECT, SHOW VIEW ON crm.* TO 'reader'@'%'"))
    engine = sa.create_engine(f"{base}/crm", poolclass=NullPool)
    schema = "sales" if kind == "postgresql" else None
    meta = sa.MetaData()
    from sqlalchemy.dialects.postgresql import JSONB

    tables = _schema(meta, schema, JSONB if kind == "postgresql" else sa.JSON)
    with engine.begin() as conn:
        if schema:
            conn.execute(sa.text("CREATE SCHEMA sales"))
        meta.create_all(conn)
        _fill(conn, tables)
        if schema:
            conn.execute(sa.text("GRANT USAGE ON SCHEMA sales TO reader"))
            conn.execute(sa.text("GRANT SELECT ON ALL TABLES IN SCHEMA sales TO reader"))
    engine.dispose()
    return server.url(database="crm"), ("sales." if kind == "postgresql" else "crm.")


def _search(url: str, join_keys=(), **given) -> object:
    ids = Identifiers()
    for kind, values in given.items():
        for v in values if isinstance(values, list) else [values]:
            ids.add(kind, v, kind)
    searcher = Searcher(Matcher(ids), ConnectorOptions(), Inventory(), lambda line: None)
    searcher.join_keys = list(join_keys)
    return searcher.run([url])


def _keys(answer, strength: str) -> set[tuple[str, object]]:
    return {(m.container.rsplit(".", 1)[1], m.location["row_key"]) for m in answer.matches if m.strength == strength}


def test_phone_and_ssn_find_the_whole_record_and_its_linked_rows(crm):
    url, prefix = crm
    answer = _search(url, [("cust_no", "cust_ref")], phone=JANE["phone"], ssn=JANE["ssn"])
    assert answer.complete, [(c.container, c.reason, c.detail) for c in answer.coverage if c.incomplete]
    assert {c.status for c in answer.coverage} == {"searched"}
    assert _keys(answer, "strong") == {("contacts", 1010), ("callbacks", 1)}
    (contact,) = [m for m in answer.matches if m.container.endswith("contacts")]
    assert contact.record["email_addr"] == JANE["email"] and contact.record["pan"] == JANE["card"]
    assert contact.matched == ["phone", "ssn"]
    assert _keys(answer, "linked") == {("payment_methods", 1), ("payment_methods", 3), ("orders", 500),
                                       ("orders", 502), ("tickets", 70)}  # fmt: skip
    paths = {m.link for m in answer.matches if m.strength == "linked"}
    assert f"{prefix}contacts.cust_no=1010 -> {prefix}payment_methods.customer_id" in paths
    assert f"{prefix}contacts.cust_no=1010 -> {prefix}orders.customer_id" in paths
    assert f"{prefix}contacts.cust_no=1010 -> {prefix}tickets.cust_ref" in paths
    assert all(not m.hits for m in answer.matches if m.strength == "linked")


def test_nothing_of_the_near_identical_person(crm):
    url, _ = crm
    answer = _search(url, [("cust_no", "cust_ref")], email=JANE["email"], phone=JANE["phone"], ssn=JANE["ssn"],
                     name="Jane Requester")  # fmt: skip
    dumped = json.dumps([(m.record, m.location, m.link) for m in answer.matches], default=str)
    for value in (JANET["email"], "555-0188", "219-44-8821", JANET["card"], JANET_CARD2, "733", "318", "1011",
                  "ring twice", "where is my parcel", "4155550188"):  # fmt: skip
        assert value not in dumped
    assert ("contacts", 1010) in _keys(answer, "strong")
    other = _search(url, [("cust_no", "cust_ref")], email=JANET["email"])
    assert _keys(other, "strong") == {("contacts", 1011)}
    assert _keys(other, "linked") == {("payment_methods", 2), ("payment_methods", 4), ("orders", 501), ("tickets", 71)}
    assert JANE["email"] not in json.dumps([m.record for m in other.matches])


@pytest.mark.parametrize(
    "asked, cust_no",
    [("Zoe Olander", 1012), ("ZOË ÖLANDER", 1012), ("Hans Weiss", 1013), ("hans weiß", 1013), ("Emile Zola", 1014),
     ("Émile Zola", 1014)],
)  # fmt: skip
def test_names_with_accents_and_sharp_s(crm, asked, cust_no):
    url, _ = crm
    answer = _search(url, name=asked)
    assert answer.complete
    assert _keys(answer, "weak") == {("contacts", cust_no)}
    assert _keys(answer, "linked") == set()  # a weak (name-only) match is not followed to linked rows


def test_integers_bound_only_where_they_fit(crm):
    url, _ = crm
    answer = _search(url, phone="+1 415 555 0188")  # int8 column holds 4155550188; int4 cannot hold it
    assert answer.complete
    assert ("callbacks", 2) in _keys(answer, "strong") and ("callbacks", 1) not in _keys(answer, "strong")
    assert ("contacts", 1011) in _keys(answer, "strong")


def test_cli_exit_code_and_nothing_of_the_other_person_in_any_output(crm, tmp_path, monkeypatch):
    url, _ = crm
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)
    config = tmp_path / "pdscan.yaml"
    config.write_text("join_keys:\n  - [cust_no, cust_ref]\n")
    texts = []
    for fmt, extra in [("json", []), ("md", []), ("html", []), ("json", ["--for-deletion"])]:
        out, evidence = tmp_path / f"answer.{fmt}", tmp_path / "evidence.json"
        run = CliRunner().invoke(cli, ["dsar", "find", url, "--phone", JANE["phone"], "--ssn", JANE["ssn"],
                                       "--email", JANE["email"], "-o", str(out), "--evidence", str(evidence),
                                       "--format", fmt, "--config", str(config), "--store", str(tmp_path / "s.db"),
                                       *extra])  # fmt: skip
        assert run.exit_code == 1, run.output
        assert "NumericValueOutOfRange" not in run.output and "INCOMPLETE" not in run.output
        texts += [out.read_text(), evidence.read_text(), run.output]
    text = "\n".join(texts)
    assert "payment_methods.customer_id" in text  # the linked records are in the evidence and the plan
    for value in (JANET["email"], "555-0188", JANET["ssn"], "219448821", JANET["card"], JANET_CARD2, "ring twice",
                  "where is my parcel", JANE["card"], JANE_CARD2, JANE["ssn"], "219448812"):  # fmt: skip
        assert value not in text, value  # Janet's nothing; Jane's SSN and cards only as "ending ..."
