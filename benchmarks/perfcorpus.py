"""The seeded performance corpus: logs with sparse PII, CSV and Parquet customer tables, JSON events,
and support tickets (prose). Every planted value is known, so the logs and tables are labeled.

    write_mixed(folder, total_bytes)   app.log (60%), customers.csv (20%), customers.parquet (10%), events.ndjson (10%)
    write_tickets(path, size)          prose where most lines need NER
    write_foreign(path, size)          lines of names, addresses, phones and text in German, Russian, Greek, Japanese
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.corpus import write_log
from benchmarks.throughput import write_csv, write_tickets

__all__ = ["write_mixed", "write_tickets", "write_foreign", "log_labels", "TABLE_LABELS"]

# Which column of the customer tables holds which entity (the rest hold none).
TABLE_LABELS = {"name": "PERSON", "email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "card": "CREDIT_CARD"}
EVENT_KINDS = ("page_view", "add_to_cart", "checkout", "search", "login")


def write_events(path: Path, size: int, pii_every: int = 500, seed: int = 9) -> None:
    """NDJSON events; one in `pii_every` carries an email in its payload."""
    rng = random.Random(seed)
    written = i = 0
    with open(path, "w") as fh:
        while written < size:
            event = {"ts": f"2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00Z", "kind": rng.choice(EVENT_KINDS),
                     "session": f"s{rng.randint(10**6, 10**7)}", "props": {"sku": f"SKU-{rng.randint(1000, 9999)}",
                     "qty": rng.randint(1, 5)}}  # fmt: skip
            if i % pii_every == pii_every - 1:
                event["props"]["contact"] = f"buyer{i}@example.com"
            line = json.dumps(event)
            fh.write(line + "\n")
            written += len(line) + 1
            i += 1


def csv_to_parquet(src: Path, dest: Path, row_group: int = 50_000) -> None:
    with open(src, newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]}) if rows else pa.table({})
    pq.write_table(table, dest, row_group_size=row_group)


def write_mixed(folder: Path, total: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "log": folder / "app.log",
        "csv": folder / "customers.csv",
        "parquet": folder / "customers.parquet",
        "ndjson": folder / "events.ndjson",
    }
    write_log(paths["log"], int(total * 0.6), pii_every=2_000)
    write_csv(paths["csv"], int(total * 0.2))
    spare = folder.parent / f".{folder.name}-parquet-src.csv"
    write_csv(spare, int(total * 0.1), seed=4)
    csv_to_parquet(spare, paths["parquet"])
    spare.unlink()
    write_events(paths["ndjson"], int(total * 0.1))
    return paths


def write_foreign(path: Path, size: int, seed: int = 11) -> None:
    """Faker lines in other scripts and languages: where a gate's DFA can blow up on UTF-8."""
    from faker import Faker

    fakers = [Faker(locale) for locale in ("de_DE", "ru_RU", "el_GR", "ja_JP")]
    for i, fake in enumerate(fakers):
        fake.seed_instance(seed + i)
    written = i = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < size:
            fake = fakers[i % len(fakers)]
            line = f"{fake.name()}, {fake.address()}, {fake.phone_number()}: {fake.text(80)}".replace("\n", " ")
            fh.write(line + "\n")
            written += len(line.encode()) + 1
            i += 1


def log_labels(path: Path, limit_bytes: int | None = None) -> set[tuple[int, str]]:
    """(line, entity) of every planted value in a log from benchmarks.corpus.write_log."""
    out: set[tuple[int, str]] = set()
    seen = 0
    with open(path) as fh:
        for number, line in enumerate(fh, 1):
            seen += len(line)
            if limit_bytes is not None and seen > limit_bytes:
                break
            if "password reset" in line:
                out |= {(number, "EMAIL_ADDRESS"), (number, "IP_ADDRESS")}
            elif "payment declined" in line:
                out |= {(number, "CREDIT_CARD"), (number, "PERSON")}
    return out


def slice_lines(path: Path, limit_bytes: int) -> list[str]:
    lines, seen = [], 0
    with open(path) as fh:
        for line in fh:
            seen += len(line)
            if seen > limit_bytes:
                break
            lines.append(line.rstrip("\n"))
    return lines
