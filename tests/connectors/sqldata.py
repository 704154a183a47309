"""The tables every database test loads: the piicatcher sample and a generated ledger.

The ledger hides personal data under unhelpful column names and holds columns with none.
Only the integer SSN column is named for what it is: nine bare digits are any reference
number without that hint (the SSN recognizer asks for context), in a database as in a file.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    insert,
)
from sqlalchemy.dialects import postgresql

from tests.conftest import DATASETS

SAMPLE_CSV = DATASETS / "piicatcher" / "sample-data.csv"
LEDGER_ROWS = 300

# column -> entity; every other ledger column must stay unflagged
LEDGER_PII = {
    "c1": "PERSON",
    "notes_x": "EMAIL_ADDRESS",
    "ref": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "acct": "CREDIT_CARD",
    "val2": "CREDIT_CARD",
    "src": "IP_ADDRESS",
    "loc": "STREET_ADDRESS",
    "meta.$.contact.mail": "EMAIL_ADDRESS",
}
LEDGER_PII_ARRAY = {"alt": "EMAIL_ADDRESS"}  # PostgreSQL only
LEDGER_CLEAN = ("amount", "sku", "status", "created_at", "remark", "qty", "meta.$.tier")
REMARKS = (
    "Shipped in two boxes.",
    "Awaiting warehouse confirmation.",
    "Price matched the spring promotion.",
    "Returned item was unopened.",
    "Invoice reissued after a rounding fix.",
    "Backordered until next quarter.",
    "Gift wrap requested.",
    "Customer prefers morning delivery windows.",
)


def ledger_table(metadata: MetaData, backend: str) -> Table:
    pg = backend == "postgresql"
    columns = [
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("c1", String(80)),
        Column("notes_x", String(120)),
        Column("ref", String(40)),
        Column("ssn", Integer),
        Column("acct", BigInteger),
        Column("val2", Numeric(20, 0)),
        Column("src", String(40)),
        Column("loc", String(200)),
        Column("meta", postgresql.JSONB if pg else JSON),
        Column("amount", Numeric(10, 2)),
        Column("sku", String(20)),
        Column("status", String(12)),
        Column("created_at", DateTime),
        Column("remark", Text),
        Column("qty", Integer),
        Column("photo", LargeBinary),
    ]
    if pg:
        columns.append(Column("alt", postgresql.ARRAY(Text)))
    return Table("ledger", metadata, *columns)


def ledger_rows(backend: str, n: int = LEDGER_ROWS, seed: int = 20261128) -> list[dict]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    start = datetime(2025, 1, 1)
    rows = []
    for i in range(1, n + 1):
        row = {
            "id": i,
            "c1": fake.name(),
            "notes_x": fake.email(),
            "ref": f"({rnd.randint(201, 989)}) {rnd.randint(201, 989)}-{rnd.randint(0, 9999):04d}",
            "ssn": int(fake.ssn().replace("-", "")),
            "acct": int(fake.credit_card_number(card_type="visa16")),
            "val2": Decimal(fake.credit_card_number(card_type="mastercard")),
            "src": fake.ipv4_public(),
            "loc": fake.street_address(),
            "meta": {"contact": {"mail": fake.email()}, "tier": rnd.choice(["gold", "silver", "basic"])},
            "amount": Decimal(rnd.randint(100, 999_999)) / 100,
            "sku": f"SKU-{rnd.randint(10000, 99999)}-{rnd.choice(['S', 'M', 'L', 'XL'])}",
            "status": rnd.choice(["active", "pending", "closed", "refunded"]),
            "created_at": start + timedelta(seconds=rnd.randint(0, 30_000_000)),
            "remark": " ".join(rnd.sample(REMARKS, 2)),
            "qty": rnd.randint(1, 40),
            "photo": bytes(rnd.getrandbits(8) for _ in range(16)),
        }
        if backend == "postgresql":
            row["alt"] = [fake.email(), fake.email()]
        rows.append(row)
    return rows


def sample_table(metadata: MetaData) -> tuple[Table, list[dict]]:
    with open(SAMPLE_CSV, newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        names = reader.fieldnames
    table = Table("sample_data", metadata, *(Column(n, String(100)) for n in names))
    return table, rows


def load(conn, backend: str) -> None:
    """Create and fill both tables on an open (admin) connection."""
    metadata = MetaData()
    ledger = ledger_table(metadata, backend)
    sample, sample_rows = sample_table(metadata)
    metadata.create_all(conn)
    conn.execute(insert(ledger), ledger_rows(backend))
    conn.execute(insert(sample), sample_rows)


def expected_ledger(backend: str) -> set[tuple[str, str]]:
    pii = dict(LEDGER_PII)
    if backend == "postgresql":
        pii.update(LEDGER_PII_ARRAY)
    return set(pii.items())
