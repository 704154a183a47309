"""Throughput of the database connector on a 1,000,000-row, 10-column PostgreSQL table.

    python benchmarks/db_throughput.py [--rows 1000000] [--url postgresql://admin:pw@host/db]

Without --url it starts a throwaway server like the tests do (tests/connectors/servers.py).
Times `pdscan scan` end to end (its startup, mostly loading spaCy, is timed on its own) in sample mode (default --sample-size) and in --full mode:
seconds, rows/s, MB/s of values read, the child's peak RSS; then the connector alone
(rows read into Arrow batches, no detection) in --full mode.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from pdscan.connectors.registry import ConnectorOptions  # noqa: E402
from pdscan.connectors.sql import connect  # noqa: E402
from pdscan.core.model import ItemResult  # noqa: E402

FIRST = "ARRAY['Maria','James','Priya','Chen','Fatima','Lucas','Olga','Kwame','Sofia','Daniel']"
LAST = "ARRAY['Gonzalez','Smith','Raman','Wei','Khan','Silva','Petrova','Mensah','Rossi','Okafor']"
CARDS = "ARRAY['4539148803436467','5270426764505516','4916976652406147','5180380736798221']"
CREATE = f"""
DROP TABLE IF EXISTS bench;
CREATE TABLE bench AS
SELECT g AS id,
       ({FIRST})[1 + g % 10] || ' ' || ({LAST})[1 + (g / 10) % 10] AS full_name,
       'user' || g || '@example.com' AS email,
       '(212) 4' || lpad((g % 100)::text, 2, '0') || '-' || lpad((g % 10000)::text, 4, '0') AS phone,
       lpad((100 + g % 600)::text, 3, '0') || '-' || lpad((10 + g % 89)::text, 2, '0') || '-'
         || lpad((1000 + g % 8999)::text, 4, '0') AS ssn,
       ({CARDS})[1 + g % 4] AS card,
       round((g % 100000) / 100.0, 2) AS amount,
       'SKU-' || lpad((g % 99999)::text, 5, '0') AS sku,
       (ARRAY['active','pending','closed'])[1 + g % 3] AS status,
       timestamp '2025-01-01' + (g || ' seconds')::interval AS created_at
FROM generate_series(1, :rows) g;
ALTER TABLE bench ADD PRIMARY KEY (id);
ANALYZE bench;
"""


def build(admin_url: str, rows: int) -> None:
    engine = create_engine(admin_url, poolclass=NullPool)
    started = time.monotonic()
    with engine.begin() as conn:
        for statement in filter(str.strip, CREATE.split(";")):
            conn.execute(text(statement), {"rows": rows} if ":rows" in statement else {})
        conn.execute(text("GRANT SELECT ON bench TO PUBLIC"))
    engine.dispose()
    print(f"built {rows:,} rows x 10 columns in {time.monotonic() - started:.1f} s")


def run_cli(url: str, *args: str, table: str = "public.bench") -> dict:
    cmd = [sys.executable, "-m", "pdscan", "scan", url, "--include", table, "--format", "ndjson", *args]
    env = {**os.environ, "PDSCAN_KEY": "benchmark"}
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    stderr = proc.stderr.read()
    _, _, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    found = re.search(r"\(([\d.]+) MB, (\d+) records\)", stderr)
    if not found:
        raise SystemExit(f"pdscan failed: {stderr}")
    mb, rows = float(found.group(1)), int(found.group(2))
    return {"seconds": seconds, "rows": rows, "mb": mb, "rss_mb": usage.ru_maxrss / 1024}


def connector_only(url: str, full: bool) -> dict:
    connector = connect(url, ConnectorOptions(full=full, include=("public.bench",)))
    started = time.monotonic()
    (item,) = list(connector.items([]))
    result = ItemResult(item.source, item.container)
    for _ in connector.read(item, result):
        pass
    seconds = time.monotonic() - started
    return {"seconds": seconds, "rows": result.records, "mb": result.bytes / 1e6}


def report(name: str, r: dict) -> None:
    if not r["rows"]:
        print(f"{name:<28} {r['seconds']:6.1f} s, peak RSS {r['rss_mb']:.0f} MB")
        return
    rss = f", peak RSS {r['rss_mb']:.0f} MB" if "rss_mb" in r else ""
    print(
        f"{name:<28} {r['rows']:>9,} rows in {r['seconds']:6.1f} s: "
        f"{r['rows'] / r['seconds']:>9,.0f} rows/s, {r['mb'] / r['seconds']:5.1f} MB/s{rss}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="an admin URL of an existing PostgreSQL database (default: start one)")
    args = parser.parse_args()
    server = None
    if args.url:
        admin_url = scan_url = args.url
    else:
        from tests.connectors.servers import start_postgres

        server = start_postgres()
        admin_url, scan_url = server.admin_url, server.reader_url
    try:
        build(admin_url, args.rows)
        report("startup (no table matched)", run_cli(scan_url, table="none"))
        report("pdscan scan (sample 10,000)", run_cli(scan_url))
        report("pdscan scan --full", run_cli(scan_url, "--full"))
        report("connector alone, sample", connector_only(scan_url, full=False))
        report("connector alone, --full", connector_only(scan_url, full=True))
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
