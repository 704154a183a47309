"""`pdscan dsar find` over every kind of source at once: a SQLite database, a PostgreSQL database
(real server, read as an ordinary role), CSV, NDJSON and log files, and S3 objects (moto's server).
The planted person is found everywhere, no near miss anywhere, and nothing leaks."""

import gzip
import io
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pdscan.cli import cli
from tests.conftest import TEST_KEY
from tests.connectors.s3server import DUMMY_ENV, MotoServer
from tests.connectors.servers import ADMIN_PASSWORD, READER_PASSWORD
from tests.dsar import dsarperson as person

BUCKET = "dsar-lake"


@pytest.fixture(scope="module")
def pg(postgres_server):
    base = postgres_server.admin_url.rsplit("/", 1)[0]
    with create_engine(f"{base}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS dsar_test"))
        conn.execute(text("CREATE DATABASE dsar_test"))
    engine = create_engine(f"{base}/dsar_test", poolclass=NullPool)
    other = json.dumps({"contact": {"email": person.OTHER_EMAIL}})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE accounts (id serial PRIMARY KEY, holder text, phone text, ssn text, "
                          "acct bigint, profile jsonb, opened date)"))  # fmt: skip
        conn.execute(text("CREATE TABLE calls (note text)"))
        rows = [
            ("Okafor, Marisol", "415 555 0187", "536224187", None, None),  # id 1: true
            (
                None,
                None,
                None,
                int(person.ACCOUNT),
                json.dumps({"contact": {"email": person.EMAIL.upper()}}),
            ),  # 2: true
            ("Okafora, Marisol", "415 555 0188", "536224178", int(person.ACCOUNT) + 1, other),  # 3: near misses
            (person.OTHER_NAME2, "+44 415 555 0187", "536-22-4178", 1234598, None),  # 4: near misses
        ]
        for holder, phone, ssn, acct, profile in rows:
            conn.execute(
                text("INSERT INTO accounts (holder, phone, ssn, acct, profile, opened) "
                     "VALUES (:h, :p, :s, :a, CAST(:j AS jsonb), '2024-01-02')"),
                {"h": holder, "p": phone, "s": ssn, "a": acct, "j": profile},
            )  # fmt: skip
        conn.execute(text("INSERT INTO accounts (holder, phone, ssn, acct) SELECT 'Client ' || g, '212 555 ' || "
                          "(1000 + g), '078-05-' || (1000 + g), g FROM generate_series(1, 200) g"))  # fmt: skip
        conn.execute(text("INSERT INTO calls VALUES ('call back +1 415 555 0187'), ('call back +1 415 555 0188')"))
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"))
    engine.dispose()
    yield postgres_server.url(database="dsar_test")


@pytest.fixture(scope="module")
def s3():
    server = MotoServer()
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    people = (
        "name,email,phone\n"
        f"{person.NAME.upper()},{person.EMAIL},415.555.0187\n"  # row 0: true
        f"{person.OTHER_NAME},{person.OTHER_EMAIL},{person.OTHER_PHONE}\n"
    )
    log = f"boot ok\nverified ssn {person.SSN.replace('-', ' ')} today\nverified ssn {person.OTHER_SSN} today\n"
    buf = io.BytesIO()
    pq.write_table(pa.table({"email": [person.EMAIL.lower(), person.OTHER_EMAIL]}), buf)
    objects = {
        "crm/people.csv": people.encode(),
        "logs/app.log.gz": gzip.compress(log.encode()),
        "lake/people.parquet": buf.getvalue(),
        "lake/clean.txt": b"nothing about anyone\n",
    }
    for key, body in objects.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body)
    yield server
    server.stop()


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PDSCAN_KEY", TEST_KEY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_person_found_in_every_kind_of_source(env, pg, s3):
    expected = {os.path.relpath(k, env / "files"): v for k, v in person.make_files(env / "files").items()}
    expected |= person.make_sqlite(env / "crm.db")
    expected |= {
        "public.accounts": {("row_key", 1), ("row_key", 2)},
        "public.calls": {("row_key", "(0,1)")},
        f"s3://{BUCKET}/crm/people.csv": {("row", 0)},
        f"s3://{BUCKET}/logs/app.log.gz": {("line", 2)},
        f"s3://{BUCKET}/lake/people.parquet": {("row", 0)},
    }
    result = CliRunner().invoke(
        cli,
        ["dsar", "find", "files", "sqlite:///crm.db", pg, f"s3://{BUCKET}", "--endpoint-url", s3.endpoint,
         *person.IDENTIFIER_ARGS, "--output", "answer.json", "--evidence", "evidence.json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    package = json.loads((env / "evidence.json").read_text())  # locations, methods, coverage
    assert person.found(package) == expected
    assert package["complete"] and [s["status"] for s in package["sources"]] == ["searched"] * 4
    assert package["sources"][2]["source"] == pg.replace(READER_PASSWORD, "***")
    records = {(r["container"], json.dumps(r["location"].get("row_key"))): r for r in package["records"]}
    jsonb = records[("public.accounts", "2")]
    assert jsonb["matched"] == ["email", "account"]
    (email,) = [p for p in jsonb["data"] if p["identifier"] == "email"]
    assert email == {"field": "profile.$.contact.email", "entity": "EMAIL_ADDRESS", "category": "email",
                                "identifier": "email", "covered": None, "value": person.EMAIL.upper()}  # fmt: skip
    assert records[("public.accounts", "1")]["matched"] == ["name", "phone", "ssn"]
    obj = next(r for r in package["records"] if r["container"].endswith("app.log.gz"))
    assert obj["location"]["key"] == "logs/app.log.gz" and obj["location"]["etag"]
    (ssn,) = [p for p in obj["data"] if p["identifier"] == "ssn"]
    assert ssn["covered"] and ssn["value"] == "***4187"  # 7024(d): the evidence holds the last four only
    coverage = {c["container"]: c for c in package["coverage"]}
    assert coverage[f"s3://{BUCKET}/lake/clean.txt"]["status"] == "searched"
    assert coverage["public.accounts"]["method"] == "sql-where"
    # the WHERE clause returned the candidates only (two true rows, two near misses), not 204 rows
    assert coverage["public.accounts"]["records"] == 4
    output = result.stdout + result.stderr
    for secret in [*person.SECRETS, READER_PASSWORD, ADMIN_PASSWORD]:
        assert secret not in output, secret
    store = open(os.environ["PDSCAN_STORE"], "rb").read()
    for secret in [*person.SECRETS, READER_PASSWORD]:
        assert secret.encode() not in store, secret


def test_postgres_where_clauses_and_streaming_agree(env, pg):
    found = {}
    for flag in ("", "--stream"):
        args = [
            "dsar",
            "find",
            pg,
            *person.IDENTIFIER_ARGS,
            "-o",
            "x.json",
            "--evidence",
            "a.json",
            *([flag] if flag else []),
        ]
        assert CliRunner().invoke(cli, args).exit_code == 1
        package = json.loads((env / "a.json").read_text())
        found[flag] = person.found(package)
        rows = {c["container"]: c["records"] for c in package["coverage"]}
        assert rows["public.accounts"] == (204 if flag else 4)
    assert found[""] == found["--stream"] == {"public.accounts": {("row_key", 1), ("row_key", 2)},
                                              "public.calls": {("row_key", "(0,1)")}}  # fmt: skip


def test_deletion_plan_names_table_keys(env, pg):
    result = CliRunner().invoke(cli, ["dsar", "find", pg, "--phone", person.PHONE, "--for-deletion", "-o", "plan.json"])
    assert result.exit_code == 1, result.stderr
    plan = json.loads((env / "plan.json").read_text())["plan"]
    keys = sorted((p["container"], str(p["location"]["row_key"]), tuple(p["key_columns"])) for p in plan)
    assert keys == [("public.accounts", "1", ("id",)), ("public.calls", "(0,1)", ("ctid",))]


@pytest.fixture(scope="module")
def maria(mariadb_server):
    base = mariadb_server.admin_url.rsplit("/", 1)[0]
    engine = create_engine(f"{base}/", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS dsar_test"))
        conn.execute(text("CREATE DATABASE dsar_test CHARACTER SET utf8mb4"))
        conn.execute(text("CREATE TABLE dsar_test.people (id int PRIMARY KEY, name varchar(80), phone varchar(40), "
                          "ssn char(11), acct bigint, note text, extra json)"))  # fmt: skip
        conn.execute(
            text("INSERT INTO dsar_test.people VALUES (:i, :n, :p, :s, :a, :t, :j)"),
            [
                {"i": 1, "n": person.NAME, "p": "1-415-555-0187", "s": None, "a": None, "t": None, "j": None},
                {"i": 2, "n": None, "p": None, "s": person.SSN, "a": None, "t": None, "j": None},
                {"i": 3, "n": None, "p": None, "s": None, "a": None, "t": "mail 50%_off to " + person.EMAIL, "j": None},
                {"i": 4, "n": person.OTHER_NAME, "p": person.OTHER_PHONE, "s": person.OTHER_SSN,
                 "a": int(person.ACCOUNT) + 1, "t": person.OTHER_EMAIL, "j": json.dumps({"e": person.OTHER_EMAIL})},
                {"i": 5, "n": None, "p": None, "s": None, "a": None, "t": None,
                 "j": json.dumps({"contact": {"tel": "(415) 555-0187"}})},
                {"i": 6, "n": None, "p": None, "s": None, "a": int(person.ACCOUNT), "t": None, "j": None},
            ],
        )  # fmt: skip
        conn.execute(text("GRANT SELECT ON dsar_test.* TO 'reader'@'%'"))
    engine.dispose()
    yield mariadb_server.url(database="dsar_test")


def test_mariadb_replace_chains_and_escaped_like(env, maria):
    args = ["dsar", "find", maria, *person.IDENTIFIER_ARGS, "-o", "x.json", "--evidence", "a.json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.stderr
    package = json.loads((env / "a.json").read_text())
    assert person.found(package) == {"dsar_test.people": {("row_key", k) for k in (1, 2, 3, 5, 6)}}
    weak = [r["location"]["row_key"] for r in package["records"] if r["strength"] == "weak"]
    assert weak == []  # row 1 has the phone too
    assert READER_PASSWORD not in result.stderr + (env / "a.json").read_text()


def test_a_missing_bucket_is_a_failed_source_and_the_rest_is_still_searched(env, s3):
    person.make_files(env / "files")
    args = ["dsar", "find", "s3://no-such-bucket", "files", "--endpoint-url", s3.endpoint, "--email", person.EMAIL]
    result = CliRunner().invoke(cli, [*args, "-o", "x.json", "--evidence", "a.json"])
    assert result.exit_code == 2 and "no such bucket" in result.stderr
    package = json.loads((env / "a.json").read_text())
    assert [(s["source"], s["status"]) for s in package["sources"]] == [("s3://no-such-bucket", "failed"),
                                                                        (str(env / "files"), "searched")]  # fmt: skip
    assert package["complete"] is False and package["summary"]["records"] == 2
