"""Database passwords with every reserved character are sent whole and shown nowhere (issue 17 point 9).

`redact` parses a database URL with SQLAlchemy's own `make_url`, the parse the driver gets: a `/`,
`#` or `?` in a password is part of the password there, where `urlsplit` read it as a path, a
fragment or a query and showed it. The end-to-end tests run real scans against real PostgreSQL
and MariaDB roles with such passwords (as a user would write the URL: raw, and percent-encoded)
and look for any piece of the password in everything pdscan prints or writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from pdscan.cli import cli
from pdscan.connectors.registry import ConnectorOptions, check, redact
from tests.connectors.conftest import mariadb_server, postgres_server  # noqa: F401 (fixtures)
from tests.connectors.servers import free_port

KEY = "pdscan-credentials-key"
RESERVED = list("/#?@:%[]!$&'()*+,;= ")
NON_ASCII = ["é", "€"]
SSN = "532-71-4409"
EMAIL = "jane.roe@example.com"


def _password(separators: list[str], tag: str) -> tuple[str, list[str]]:
    """A password whose pieces are unique tokens, so that a piece shown anywhere is caught."""
    tokens = [f"QZ{tag}{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(len(separators) + 1)]
    return tokens[0] + "".join(sep + tok for sep, tok in zip(separators, tokens[1:])), tokens


# Raw in a URL a password cannot hold `@` (SQLAlchemy's userinfo ends at the first one); a `%` is
# kept as it is when no two hex digits follow (here a token's "Q"). Percent-encoded it holds anything.
PG_RAW, PG_RAW_TOKENS = _password([c for c in RESERVED if c != "@"] + NON_ASCII, "r")
PG_FULL, PG_FULL_TOKENS = _password(RESERVED + NON_ASCII, "f")
# PyMySQL sends a password as latin-1 and the server keeps it as utf-8: ASCII only for MariaDB
MY_RAW, MY_RAW_TOKENS = _password([c for c in RESERVED if c != "@"], "m")
MY_FULL, MY_FULL_TOKENS = _password(RESERVED, "n")


def forms(password: str) -> list[str]:
    return [password, quote(password, safe=""), quote_plus(password), quote(password)]


# -- redact, on its own -------------------------------------------------------------------------


@pytest.mark.parametrize("char", RESERVED + NON_ASCII)
@pytest.mark.parametrize("scheme", ["postgresql", "mysql+pymysql", "mariadb", "mssql+pyodbc"])
def test_every_reserved_character_is_hidden_raw_and_encoded(scheme, char):
    password = f"QZpre{char}QZpost"
    for given in {password, quote(password, safe="")} if char not in "@%" else {quote(password, safe="")}:
        url = f"{scheme}://reader:{given}@db.example:5432/crm"
        assert make_url(url).password == password  # what the driver sends: the whole password
        shown = redact(url)
        assert shown == f"{scheme}://reader:***@db.example:5432/crm", (given, shown)
    # raw even where SQLAlchemy cannot take it whole (`@`, `%` and two hex digits): no piece shown
    for given in (password, f"QZpre{char}QZmid?QZpost", f"QZpre{char}QZmid/QZpost@x", f"QZpre%41{char}QZpost"):
        shown = redact(f"{scheme}://reader:{given}@db.example:5432/crm")
        assert "QZ" not in shown and shown.endswith("@db.example:5432/crm"), (given, shown)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://u:a@b@h/db", "postgresql://***@h/db"),  # a raw @: the rest is no host to show
        ("postgresql://u:a@b/c@h/db", "postgresql://***@h/db"),
        ("postgresql://u:a?b@c/d#e@h/db", "postgresql://***@h/db"),  # a second @: masked to the last
        ("s3://AK:se?cr#et@bucket/x", "s3://***@bucket/x"),
        ("postgresql://u:p[6]@h/db", "postgresql://u:***@h/db"),  # urlsplit raised on this
        ("postgresql://u@h/db?password=QZsecret&sslmode=require", "postgresql://u@h/db?password=***&sslmode=require"),
        ("postgresql://u:QZsecret@h:notaport/db", "postgresql://u:***@h:notaport/db"),  # make_url refuses
        ("s3://AKIAEXAMPLE:QZse/cr+et@bucket/prefix", "s3://***@bucket/prefix"),
        ("s3://bucket/prefix?aws_secret_access_key=QZsecret", "s3://bucket/prefix?aws_secret_access_key=***"),
        ("s3://bucket/users/jane@example.com/", "s3://bucket/users/jane@example.com/"),
        ("sqlite:////tmp/a@b.db", "sqlite:////tmp/a@b.db"),
        ("postgresql://reader@h:5432/db", "postgresql://reader@h:5432/db"),
        ("exports/2026", "exports/2026"),
    ],
)
def test_redact_shapes(url, shown):
    assert redact(url) == shown


def test_usage_problems_and_the_options_repr_never_show_it():
    for source in ("s3://AK:QZsecret@bucket/x", "postgresql://u:QZsecret@h:notaport/db"):
        problem = check(source)
        assert problem and "QZsecret" not in problem, problem
    assert "QZsecret" not in repr(ConnectorOptions(password="QZsecret"))


# -- real servers ------------------------------------------------------------------------------


def _pdscan(work: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "PDSCAN_DB_PASSWORD"}
    environ |= {"PDSCAN_KEY": KEY, "PDSCAN_STORE": str(work / "pdscan.db"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pdscan", *map(str, args)], cwd=work, capture_output=True, text=True,
        env=environ, timeout=300,
    )  # fmt: skip


class Seen:
    """Everything pdscan printed or wrote, searched for any piece of a password."""

    def __init__(self, work: Path):
        self.work = work
        self.texts: dict[str, str] = {}

    def add(self, name: str, done) -> None:
        out = getattr(done, "stdout", None) or ""
        err = getattr(done, "stderr", None) or ""
        self.texts[f"{name}: stdout"] = out
        self.texts[f"{name}: stderr"] = err

    def reports(self) -> None:
        env = {"PDSCAN_KEY": KEY, "PDSCAN_STORE": str(self.work / "pdscan.db")}
        runner = CliRunner()
        for args in (["scans"], ["scans", "--format", "json"], ["diff"], ["diff", "--format", "json"]):
            done = runner.invoke(cli, args, env=env)
            assert done.exit_code in (0, 1), done.output
            assert "***" in done.output or args[0] == "diff", done.output
            self.add(" ".join(args), done)
        for kind in ("inventory", "pfi", "right-to-know"):
            for fmt in ("json", "csv", "md", "html"):
                done = runner.invoke(cli, ["report", kind, "--format", fmt, "-o", self.work / f"{kind}.{fmt}"], env=env)
                assert done.exit_code == 0, done.output
                self.add(f"report {kind} {fmt}", done)

    def assert_hidden(self, tokens: list[str], passwords: list[str]) -> None:
        texts = dict(self.texts)
        for path in sorted(self.work.iterdir()):
            if path.is_file():
                texts[path.name] = path.read_bytes().decode("utf-8", errors="replace")
        pieces = [p for password in passwords for p in forms(password)] + tokens + [SSN, EMAIL]
        for piece in pieces:
            leaked = sorted(name for name, body in texts.items() if piece in body)
            assert not leaked, f"{piece!r} appears in {leaked}"


def _found_ssn(document: dict) -> list[dict]:
    return [
        f for f in document["findings"] if f["entity"] == "US_SSN" and f["location"]["container"].endswith("people")
    ]


def _plant(admin_url: str, role_sql: list[str], grant: str) -> None:
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in role_sql:
            conn.execute(text(statement))
        conn.execute(text("CREATE TABLE IF NOT EXISTS people (id INT PRIMARY KEY, ssn VARCHAR(20), email VARCHAR(80))"))
        conn.execute(text("DELETE FROM people"))
        rows = ", ".join(f"({i}, '{SSN[:-2]}{i:02d}', 'person{i}@example.org')" for i in range(10, 40))
        conn.execute(text(f"INSERT INTO people VALUES {rows}, (99, '{SSN}', '{EMAIL}')"))
        conn.execute(text(grant))
    engine.dispose()


def _sql_literal(password: str) -> str:
    return "'" + password.replace("'", "''") + "'"


def _end_to_end(work: Path, urls: list[str], tokens: list[str], passwords: list[str], store_url: str | None = None):
    """Two scans (raw, then encoded), the store's commands and reports, a DSAR answer: nothing shown."""
    seen = Seen(work)
    for n, url in enumerate(urls):
        done = _pdscan(work, "scan", url, "--format", "json", "-o", work / f"out{n}.json", "--no-progress", "--rescan")
        seen.add(f"scan {n}", done)
        assert done.returncode == 1, done.stderr
        document = json.loads((work / f"out{n}.json").read_text())
        (ssn,) = _found_ssn(document)
        assert ssn["source"].count("***") == 1, ssn["source"]
    done = _pdscan(work, "scan", urls[-1], "--format", "csv", "--no-store", "-q")
    seen.add("scan csv", done)
    assert done.returncode == 1 and "***" in done.stdout
    seen.reports()
    args = ["dsar", "find", urls[-1], "--email", EMAIL]
    done = _pdscan(work, *args, "-o", work / "answer.json", "--evidence", work / "evidence.json")
    seen.add("dsar find", done)
    assert done.returncode == 1, done.stderr
    assert json.loads((work / "evidence.json").read_text())["records"], "the planted person was not found"
    done = _pdscan(work, *args, "--for-deletion", "--format", "md", "-o", work / "plan.md")
    seen.add("dsar plan", done)
    assert done.returncode == 1, done.stderr
    # what the answer holds is the person's: the e-mail is in it on purpose; its files are checked apart
    answer = {n: (work / n).read_text() for n in ("answer.json", "evidence.json", "plan.md")}
    for name, body in answer.items():
        for piece in [p for pw in passwords for p in forms(pw)] + tokens:
            assert piece not in body, (name, piece)
        (work / name).unlink()
    seen.assert_hidden(tokens, passwords)
    return seen


def test_postgres_reserved_characters_connect_find_and_never_show(postgres_server, tmp_path):  # noqa: F811
    pg = postgres_server
    role = ["DROP ROLE IF EXISTS tricky_raw", "DROP ROLE IF EXISTS tricky_full"]
    role += [f"CREATE ROLE tricky_raw LOGIN PASSWORD {_sql_literal(PG_RAW)}"]
    role += [f"CREATE ROLE tricky_full LOGIN PASSWORD {_sql_literal(PG_FULL)}"]
    _plant(pg.admin_url, role, "GRANT SELECT ON people TO tricky_raw, tricky_full")
    base = f"127.0.0.1:{pg.port}/pdscan_test"
    urls = [f"postgresql://tricky_raw:{PG_RAW}@{base}", f"postgresql://tricky_full:{quote(PG_FULL, safe='')}@{base}"]
    _end_to_end(tmp_path, urls, PG_RAW_TOKENS + PG_FULL_TOKENS, [PG_RAW, PG_FULL])


def test_postgres_password_from_the_environment_and_config_never_shown(postgres_server, tmp_path):  # noqa: F811
    pg = postgres_server
    role = ["DROP ROLE IF EXISTS tricky_env", f"CREATE ROLE tricky_env LOGIN PASSWORD {_sql_literal(PG_FULL)}"]
    _plant(pg.admin_url, role, "GRANT SELECT ON people TO tricky_env")
    seen = Seen(tmp_path)
    url = f"postgresql://tricky_env@127.0.0.1:{pg.port}/pdscan_test"
    done = _pdscan(tmp_path, "scan", url, "--format", "json", "--no-store", env={"PDSCAN_DB_PASSWORD": PG_FULL})
    seen.add("env", done)
    assert done.returncode == 1 and _found_ssn(json.loads(done.stdout)), done.stderr
    # a config's source URL with the password in it, and a usage error that names the source
    encoded = f"postgresql://tricky_env:{quote(PG_FULL, safe='')}@127.0.0.1:{pg.port}/pdscan_test"
    (tmp_path / "pdscan.yaml").write_text(f"sources:\n  - url: {json.dumps(encoded)}\n    retention: [nosuch]\n")
    done = _pdscan(tmp_path, "scan", "--no-store")
    seen.add("config retention", done)
    assert done.returncode == 2 and "tricky_env:***@" in done.stderr, done.stderr
    (tmp_path / "pdscan.yaml").write_text(f"sources:\n  - url: {json.dumps(encoded)}\n")
    done = _pdscan(tmp_path, "scan", "--no-store", "--format", "json")
    seen.add("config", done)
    assert done.returncode == 1 and _found_ssn(json.loads(done.stdout)), done.stderr
    (tmp_path / "pdscan.yaml").unlink()
    seen.assert_hidden(PG_FULL_TOKENS, [PG_FULL])


def test_postgres_failed_connections_never_show_it(postgres_server, tmp_path):  # noqa: F811
    pg = postgres_server
    seen = Seen(tmp_path)
    wrong = PG_RAW + "x"
    cases = {
        "wrong raw": f"postgresql://tricky_raw:{wrong}@127.0.0.1:{pg.port}/pdscan_test",
        "wrong encoded": f"postgresql://tricky_full:{quote(wrong, safe='')}@127.0.0.1:{pg.port}/pdscan_test",
        "unreachable": f"postgresql://tricky_raw:{PG_RAW}@127.0.0.1:{free_port()}/pdscan_test",
        "raw @": f"postgresql://tricky_full:{PG_FULL}@127.0.0.1:{pg.port}/pdscan_test",  # cannot parse as meant
    }
    for name, url in cases.items():
        done = _pdscan(tmp_path, "scan", url, "--no-store", "-q")
        seen.add(name, done)
        assert done.returncode == 2, (name, done.stderr)
        line = done.stderr.strip().splitlines()[-1]  # a usage error has click's two lines of usage above
        assert line.startswith(("pdscan: error: cannot connect to postgresql://", "Error: not a valid database URL")), (
            line
        )
    assert "authentication failed" in seen.texts["wrong raw: stderr"]
    assert "connection refused" in seen.texts["unreachable: stderr"]
    done = _pdscan(tmp_path, "scans", "--store", cases["wrong encoded"])  # a store on a server: one line
    seen.add("store", done)
    assert done.returncode == 2 and "cannot open the store" in done.stderr
    seen.assert_hidden(PG_RAW_TOKENS + PG_FULL_TOKENS, [PG_RAW, PG_FULL, wrong])


def test_a_store_on_postgres_is_no_file_to_check(postgres_server, tmp_path):  # noqa: F811
    pg = postgres_server
    role = ["DROP DATABASE IF EXISTS tricky_store", "DROP ROLE IF EXISTS tricky_owner"]
    role += [
        f"CREATE ROLE tricky_owner LOGIN PASSWORD {_sql_literal(PG_FULL)}",
        "CREATE DATABASE tricky_store OWNER tricky_owner",
    ]
    _plant(pg.admin_url, role, "GRANT SELECT ON people TO tricky_owner")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text(f"customer SSN {SSN} on file\n")
    exposed = tmp_path / "pdscan.db"  # a 0644 file of that name beside: not the store, not looked at
    exposed.write_bytes(b"")
    exposed.chmod(0o644)
    store = f"postgresql://tricky_owner:{quote(PG_FULL, safe='')}@127.0.0.1:{pg.port}/tricky_store"
    seen = Seen(tmp_path)
    done = _pdscan(tmp_path, "scan", "data", "--store", store, "--format", "json", "-o", tmp_path / "out.json")
    seen.add("scan", done)
    assert done.returncode == 1, done.stderr
    done = _pdscan(tmp_path, "scans", "--store", store)
    seen.add("scans", done)
    assert done.returncode == 0 and "data" in done.stdout, done.stderr
    seen.assert_hidden(PG_FULL_TOKENS, [PG_FULL])


def test_mariadb_reserved_characters_connect_find_and_never_show(mariadb_server, tmp_path):  # noqa: F811
    my = mariadb_server
    role = ["DROP USER IF EXISTS 'tricky_raw'@'%'", "DROP USER IF EXISTS 'tricky_full'@'%'"]
    role += [f"CREATE USER 'tricky_raw'@'%' IDENTIFIED BY {_sql_literal(MY_RAW)}"]
    role += [f"CREATE USER 'tricky_full'@'%' IDENTIFIED BY {_sql_literal(MY_FULL)}"]
    grant = "GRANT SELECT ON pdscan_test.* TO 'tricky_raw'@'%', 'tricky_full'@'%'"
    _plant(my.admin_url, role, grant)
    base = f"127.0.0.1:{my.port}/pdscan_test"
    urls = [f"mariadb://tricky_raw:{MY_RAW}@{base}", f"mariadb://tricky_full:{quote(MY_FULL, safe='')}@{base}"]
    seen = _end_to_end(tmp_path, urls, MY_RAW_TOKENS + MY_FULL_TOKENS, [MY_RAW, MY_FULL])
    done = _pdscan(tmp_path, "scan", f"mariadb://tricky_raw:{MY_RAW}x@{base}", "--no-store", "-q")
    assert done.returncode == 2 and "authentication failed" in done.stderr, done.stderr
    seen.add("wrong password", done)
    done = _pdscan(tmp_path, "scan", f"mariadb://tricky_raw:{MY_RAW}€@{base}", "--no-store", "-q")  # not latin-1
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    seen.add("not latin-1", done)
    seen.assert_hidden(MY_RAW_TOKENS + MY_FULL_TOKENS, [MY_RAW, MY_FULL])
