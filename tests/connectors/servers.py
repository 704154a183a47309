"""Real PostgreSQL and MariaDB servers for tests: Debian binaries, a temp dir, a free port on 127.0.0.1.

Both refuse to run as root, so as root they run as the packages' `postgres` / `mysql` users.
A missing binary is an error, not a skip: `.ci/run` installs the packages.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ADMIN_PASSWORD = "admin-Pw-7Qz"
READER_PASSWORD = "reader-Pw-3Kx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(name: str) -> tuple[list[str], str | None]:
    """A command prefix that drops root to `name` (nothing when not root) and the user to chown to."""
    if os.geteuid() != 0:
        return [], None
    pwd.getpwnam(name)  # KeyError: the package did not create its user
    return ["runuser", "-u", name, "--"], name


def _run(cmd: list[str], log: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{log} failed ({done.returncode}): {done.stderr[-2000:]}")


def _wait(url: str, proc: subprocess.Popen | None, logfile: str, seconds: float = 60) -> None:
    engine = create_engine(url, poolclass=NullPool)
    until = time.monotonic() + seconds
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except Exception:
            if proc is not None and proc.poll() is not None or time.monotonic() > until:
                with open(logfile, errors="replace") as fh:
                    raise RuntimeError(f"server did not start: {fh.read()[-2000:]}") from None
            time.sleep(0.2)


@dataclass
class Server:
    kind: str
    port: int
    root: str
    admin_url: str  # a superuser
    reader_url: str  # an ordinary role: the one pdscan scans with
    stop_cmd: list[str] | None = None
    proc: subprocess.Popen | None = None

    def url(self, user: str = "reader", password: str | None = None, database: str = "pdscan_test") -> str:
        scheme = "postgresql" if self.kind == "postgresql" else "mariadb"
        password = password or (READER_PASSWORD if user == "reader" else ADMIN_PASSWORD)
        return f"{scheme}://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.stop_cmd:
            subprocess.run(self.stop_cmd, capture_output=True, timeout=60)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def postgres_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql (see .ci/run)")
    return os.path.dirname(found[-1])


def start_postgres() -> Server:
    bindir = postgres_bin()
    prefix, owner = _as_user("postgres")
    root = tempfile.mkdtemp(prefix="pdscan-pg-")
    data, log = os.path.join(root, "data"), os.path.join(root, "server.log")
    pwfile = os.path.join(root, "pw")
    with open(pwfile, "w") as fh:
        fh.write(ADMIN_PASSWORD + "\n")
    if owner:
        shutil.chown(root, owner)
        shutil.chown(pwfile, owner)
    initdb = [os.path.join(bindir, "initdb"), "-D", data, "-U", "admin", "--pwfile", pwfile]
    _run([*prefix, *initdb, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"], "initdb")
    port = free_port()
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    ctl = os.path.join(bindir, "pg_ctl")
    _run([*prefix, ctl, "-D", data, "-o", opts, "-l", log, "-w", "-t", "60", "start"], "pg_ctl start")
    server = Server(
        "postgresql", port, root, "", "", stop_cmd=[*prefix, ctl, "-D", data, "-m", "immediate", "-w", "stop"]
    )
    try:
        base = f"postgresql+psycopg://admin:{ADMIN_PASSWORD}@127.0.0.1:{port}"
        _wait(f"{base}/postgres", None, log)
        engine = create_engine(f"{base}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CREATE DATABASE pdscan_test"))
            conn.execute(text(f"CREATE ROLE reader LOGIN PASSWORD '{READER_PASSWORD}'"))
        server.admin_url = f"{base}/pdscan_test"
        server.reader_url = server.url()
    except BaseException:
        server.stop()
        raise
    return server


def start_mariadb() -> Server:
    for tool in ("mariadbd", "mariadb-install-db"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            raise RuntimeError(f"{tool} not found: apt-get install mariadb-server (see .ci/run)")
    prefix, owner = _as_user("mysql")
    root = tempfile.mkdtemp(prefix="pdscan-maria-")
    data, sock, log = os.path.join(root, "data"), os.path.join(root, "mysqld.sock"), os.path.join(root, "server.log")
    if owner:
        shutil.chown(root, owner)
    user = ["--user=" + owner] if owner else []
    install = ["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal"]
    _run([*install, *user, "--skip-test-db"], "mariadb-install-db")
    port = free_port()
    server_cmd = [
        shutil.which("mariadbd") or "/usr/sbin/mariadbd",
        "--no-defaults",
        f"--datadir={data}",
        f"--socket={sock}",
        f"--port={port}",
        "--bind-address=127.0.0.1",
        f"--pid-file={os.path.join(root, 'mysqld.pid')}",
        f"--log-error={log}",
        "--skip-log-bin",
        "--innodb-buffer-pool-size=32M",
        "--innodb-flush-log-at-trx-commit=0",
        *user,
    ]
    proc = subprocess.Popen(server_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server("mariadb", port, root, "", "", proc=proc)
    try:
        local = f"mysql+pymysql://root@localhost/?unix_socket={sock}"
        _wait(local, proc, log)
        engine = create_engine(local, poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(text("CREATE DATABASE pdscan_test CHARACTER SET utf8mb4"))
            for name, password in (("admin", ADMIN_PASSWORD), ("reader", READER_PASSWORD)):
                conn.execute(text(f"CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'"))
            conn.execute(text("GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION"))
        server.admin_url = f"mysql+pymysql://admin:{ADMIN_PASSWORD}@127.0.0.1:{port}/pdscan_test"
        server.reader_url = server.url()
    except BaseException:
        server.stop()
        raise
    return server
