"""DSAR search over files: a record is one row of one table (never a merge across the tables of
a SQLite file in a folder), Unicode spellings of a name are one name, records linked by a join key
named in the config are followed, and every container not fully searched makes the answer
incomplete. Nothing of another person reaches any output."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from pdscan.connectors.registry import ConnectorOptions
from pdscan.dsar.identifiers import Identifiers
from pdscan.dsar.matcher import Matcher
from pdscan.dsar.search import Inventory, Searcher
from pdscan.store import Store
from tests.conftest import run_pdscan

JANE_EMAIL = "jane.requester@example.org"
BOB = ("Bob Stranger", "bob.stranger@example.org", "219-44-8812", "4929 3813 0567 0188")


def _search(sources, join_keys=(), warn=None, inventory=None, **given):
    ids = Identifiers()
    for kind, value in given.items():
        ids.add(kind, value, kind)
    searcher = Searcher(Matcher(ids), ConnectorOptions(), inventory or Inventory(), warn or (lambda line: None))
    searcher.join_keys = list(join_keys)
    return searcher.run([str(s) for s in sources])


@pytest.fixture
def two_tables(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    con = sqlite3.connect(src / "app.db")
    con.execute("create table a_people (id integer primary key, email text, name text)")
    con.execute("insert into a_people values (1, ?, 'Jane Requester')", (JANE_EMAIL,))
    con.execute("create table b_orders (id integer primary key, name text, email text, ssn text, card text)")
    con.execute("insert into b_orders values (7, ?, ?, ?, ?)", BOB)
    con.commit()
    con.close()
    return src


def test_rows_of_two_tables_are_two_records(two_tables):
    answer = _search([two_tables], email=JANE_EMAIL)
    assert answer.complete
    (m,) = answer.matches
    assert m.location["table"] == "a_people" and m.location["row_key"] == 1
    assert m.record == {"a_people.id": "1", "a_people.email": JANE_EMAIL, "a_people.name": "Jane Requester"}


def test_no_value_of_another_person_in_any_output(two_tables, tmp_path):
    """The package in every format, stderr, stdout and the store hold nothing of Bob's."""
    store = tmp_path / "store.db"
    outputs = []
    for fmt in ("json", "md", "html"):
        out = tmp_path / f"answer.{fmt}"
        evidence = tmp_path / f"evidence.{fmt}.json"
        run = run_pdscan("dsar", "find", two_tables, "--email", JANE_EMAIL, "--format", fmt, "-o", out,
                         "--evidence", evidence, "--store", store)  # fmt: skip
        assert run.returncode == 1, run.stderr
        outputs += [out.read_text(), evidence.read_text(), run.stdout, run.stderr]
    plan = tmp_path / "plan.json"
    run = run_pdscan("dsar", "find", two_tables, "--email", JANE_EMAIL, "--for-deletion", "-o", plan, "--store", store)
    assert run.returncode == 1, run.stderr
    outputs += [plan.read_text(), run.stdout, run.stderr, store.read_bytes().decode("latin-1")]
    assert "Jane Requester" in outputs[0]  # the person's own record is there
    text = "\n".join(outputs)
    for value in (*BOB, "Stranger", "219448812", "4929381305670188", "0188"):
        assert value not in text, value


def test_unicode_spellings_of_a_name(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "people.csv").write_text(
        "id,full_name,city\n1,Hans Weiß,Berlin\n2,ZOË ÖLANDER,Malmö\n3,Hans Weisser,Köln\n4,Zoe Olandersson,Lund\n",
        encoding="utf-8",
    )
    (src / "calls.log").write_text("2026-01-02 10:00 call from HANS WEISS re invoice\n2026-01-02 10:05 call from "
                                   "Zoe\u0308 O\u0308lander (decomposed)\n", encoding="utf-8")  # fmt: skip
    for asked, rows, lines in [("Hans Weiss", {0}, {1}), ("hans weiß", {0}, {1}), ("Zoe Olander", {1}, {2}),
                               ("Zoë Ölander", {1}, {2})]:  # fmt: skip
        answer = _search([src], name=asked)
        assert answer.complete
        assert {m.location["row"] for m in answer.matches if "row" in m.location} == rows, asked
        assert {m.location["line"] for m in answer.matches if m.container.endswith(".log")} == lines, asked
    (line,) = [m for m in _search([src], name="Zoe Olander").matches if m.container.endswith(".log")]
    assert line.hits[0].text == "Zoe\u0308 O\u0308lander"  # reported as written


def test_join_keys_from_the_config_reach_linked_records(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "customers.csv").write_text(f"customer_id,email\n1010,{JANE_EMAIL}\n1011,janet.requester@example.org\n")
    (src / "orders.ndjson").write_text(
        '{"order": 500, "customer": {"customer_id": 1010}, "note": "leave at door"}\n'
        '{"order": 501, "customer": {"customer_id": 1011}, "note": "ring twice"}\n'
        '{"order": 502, "customer": {"customer_id": "1010"}, "note": "gift"}\n'
        '{"order": 503, "customer": {"customer_id": 10100}, "note": "not hers"}\n'
    )
    (src / "tickets.csv").write_text("ticket,cust_ref,subject\n70,1010,refund\n71,1011,parcel\n")
    answer = _search([src], join_keys=[("customer_id", "cust_ref")], email=JANE_EMAIL)
    direct = [m for m in answer.matches if m.strength == "strong"]
    linked = {(Path(m.container).name, m.location["row"]): m.link for m in answer.matches if m.strength == "linked"}
    assert [(Path(m.container).name, m.location["row"]) for m in direct] == [("customers.csv", 0)]
    assert set(linked) == {("orders.ndjson", 0), ("orders.ndjson", 2), ("tickets.csv", 0)}
    assert linked[("tickets.csv", 0)] == "customers.csv:customer_id=1010 -> tickets.csv:cust_ref"
    assert "ring twice" not in json.dumps([m.record for m in answer.matches])
    assert _search([src], email=JANE_EMAIL).matches == direct  # no join keys: no linked records


def test_every_container_not_fully_searched_makes_the_answer_incomplete(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_nul.csv").write_bytes(b"id,email\n1,x\x00y@example.org\n")
    (src / "b_gone.csv").write_text(f"id,email\n1,{JANE_EMAIL}\n")
    (src / "c_ok.csv").write_text(f"id,email\n1,{JANE_EMAIL}\n")
    os.symlink(src / "nowhere.csv", src / "d_dangling.csv")
    warned = []

    def warn(line):  # the first file's skip is reported while the rest are listed, not yet read:
        warned.append(line)
        if (src / "b_gone.csv").exists():
            os.remove(src / "b_gone.csv")  # deleted during the search

    answer = _search([src], warn=warn, email=JANE_EMAIL)
    coverage = {Path(c.container).name: (c.status, c.reason, c.incomplete) for c in answer.coverage}
    assert coverage["c_ok.csv"] == ("searched", None, False)
    for name in ("a_nul.csv", "b_gone.csv", "d_dangling.csv"):
        assert coverage[name][0] == "skipped" and coverage[name][2], (name, coverage[name])
    assert not answer.complete and len(answer.matches) == 1
    assert len(warned) == 3 and all(JANE_EMAIL not in w for w in warned)


def test_a_pdscan_store_in_the_folder_leaves_the_answer_complete(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "c.csv").write_text(f"id,email\n1,{JANE_EMAIL}\n")
    Store(str(src / "pdscan.db")).engine.dispose()
    answer = _search([src], email=JANE_EMAIL)
    assert {Path(c.container).name: c.reason for c in answer.coverage} == {"c.csv": None, "pdscan.db": "own_store"}
    assert answer.complete


def test_inventory_keeps_every_entity_a_field_holds(tmp_path, scan):
    src = tmp_path / "src"
    src.mkdir()
    rows = [f"{i},{'+1 415 555 01' + str(10 + i) if i % 2 else f'user{i}@example.org'}" for i in range(40)]
    (src / "contacts.csv").write_text("id,contact\n" + "\n".join(rows) + "\n")
    store = tmp_path / "store.db"
    scan(src, "--store", store)
    inventory = Inventory(Store(str(store)), [str(src)], {"PHONE_NUMBER"})
    root, container = os.path.realpath(src), "contacts.csv"  # the source's root, the path relative to it
    assert inventory.entities_of(root, container, "contact") >= {"PHONE_NUMBER", "EMAIL_ADDRESS"}
    assert inventory.status(root, container) == "known"
    assert Inventory(Store(str(store)), [str(src)], {"EMAIL_ADDRESS"}).status(str(src), container) == "known"
