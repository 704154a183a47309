"""Regenerate the bundled example data (seeded, fake people). Needs Faker: pip install faker.

python benchmarks/make_examples.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from faker import Faker

HERE = Path(__file__).resolve().parents[1] / "examples"
fake = Faker("en_US")
Faker.seed(2020)
rng = random.Random(2020)

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15",
    "curl/8.4.0",
]
PATHS = ["/", "/pricing", "/support", "/account/billing", "/services/voice", "/login", "/api/v2/quotes"]


def phone() -> str:
    area, mid, last = rng.randint(201, 989), rng.randint(200, 999), rng.randint(1000, 9999)
    return rng.choice([f"({area}) {mid}-{last}", f"{area}-{mid}-{last}", f"+1 {area} {mid} {last}"])


def tickets() -> None:
    lines = ["ticket_id | opened | channel | message"]
    templates = [
        "Hi, this is {name}. Please update the billing contact to {email} and call me back at {phone}.",
        "Customer {name} reports dropped calls at the Atlanta office since the last maintenance window.",
        "Card on file ending needs replacing; new card {card} exp {exp}, billing zip {zip}.",
        "Agent note: verified caller with SSN {ssn} before changing the account owner.",
        "Router at site 12 reboots every night around 02:00; firmware 4.2.1 installed yesterday.",
        "Please send the invoice to {email}; our AP contact is {name}.",
        "Wire refund to account {account}, routing {routing} (checking).",
        "Escalated to tier 2, no customer data needed.",
        "Caller could not log in from IP {ip}; password reset sent to {email}.",
    ]
    for i in range(60):
        msg = rng.choice(templates).format(
            name=fake.name(), email=fake.email(), phone=phone(), card=fake.credit_card_number("visa16"),
            exp=fake.credit_card_expire(), zip=fake.zipcode(), ssn=fake.ssn(), account=fake.bban()[-10:].replace("0", "7"),
            routing=fake.aba(), ip=fake.ipv4_public(),
        )  # fmt: skip
        opened = fake.date_time_between("-90d", "now").isoformat(timespec="minutes")
        lines.append(f"T-{10400 + i} | {opened} | {rng.choice(['email', 'phone', 'chat'])} | {msg}")
    (HERE / "support_tickets.txt").write_text("\n".join(lines) + "\n")


def customers() -> None:
    import csv

    with open(HERE / "customers.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["customer_id", "full_name", "email", "phone", "street", "city", "state", "zip",
                    "card_number", "ssn", "plan", "monthly_amount", "status", "created_at"])  # fmt: skip
        for i in range(40):
            w.writerow([
                f"C{5000 + i}", fake.name(), fake.email(), phone(), fake.street_address(), fake.city(),
                fake.state_abbr(), fake.zipcode(), fake.credit_card_number(rng.choice(["visa16", "mastercard"])),
                fake.ssn(), rng.choice(["Voice Basic", "UCaaS Pro", "SD-WAN 100"]), f"{rng.uniform(40, 900):.2f}",
                rng.choice(["active", "suspended", "closed"]), fake.date_time_between("-3y", "now").isoformat(),
            ])  # fmt: skip


def weblog() -> None:
    with open(HERE / "weblog.ndjson", "w") as fh:
        for _ in range(80):
            event = {
                "ts": fake.date_time_between("-7d", "now").isoformat(),
                "client": {"ip": fake.ipv4_public() if rng.random() < 0.8 else fake.ipv6(), "user_agent": rng.choice(AGENTS)},
                "request": {"method": rng.choice(["GET", "POST"]), "path": rng.choice(PATHS), "status": rng.choice([200, 200, 302, 404])},
                "referrer": rng.choice(["https://www.google.com/", "https://www.linkedin.com/", None]),
            }  # fmt: skip
            if rng.random() < 0.3:
                event["user"] = {"email": fake.email()}
            fh.write(json.dumps(event) + "\n")


def orders() -> None:
    n = 50
    table = pa.table({
        "order_id": [f"SO-{77000 + i}" for i in range(n)],
        "customer": [fake.name() for _ in range(n)],
        "contact_email": [fake.email() for _ in range(n)],
        "iban": [fake.iban() for _ in range(n)],
        "amount": [round(rng.uniform(10, 5000), 2) for _ in range(n)],
        "sku": [f"SKU-{rng.randint(1000, 9999)}" for _ in range(n)],
        "shipped": [rng.random() < 0.7 for _ in range(n)],
    })  # fmt: skip
    pq.write_table(table, HERE / "orders.parquet")


if __name__ == "__main__":
    tickets()
    customers()
    weblog()
    orders()
