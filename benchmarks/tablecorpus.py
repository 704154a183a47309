"""Seeded customer tables and support tickets, names from benchmarks.fakedata's own lists.

write_customers(path, size, seed)   a CSV customer export: five personal columns (TABLE_LABELS) beside
                                    ids, epoch times, device ids, versions and notes that are not
write_tickets(folder, size, seed)   tickets.txt, one support ticket a line, half of them naming someone;
                                    labels beside the folder (benchmarks.logparts.read_labels)
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.fakedata import Fake
from benchmarks.logparts import Labels, Tag, render

HEADER = ("customer_id", "name", "email", "phone", "card_number", "iban", "order_ref", "last_login_ms", "device_id",
          "app_version", "plan", "status", "amount", "country", "created", "notes")  # fmt: skip
TABLE_LABELS = {
    "name": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "card_number": "CREDIT_CARD",
    "iban": "IBAN_CODE",
}
NOTES = ("prefers email", "VIP since March", "Called twice, no answer", "Moved to the Premium plan",
         "Ask Tier 2 before any refund", "Uses the Android app only", "Billing address in Dublin",
         "Paused over Christmas", "Referred by the Austin office", "", "", "")  # fmt: skip


def customer_row(fake: Fake, i: int) -> list[str]:
    r = fake.rng
    name = fake.name()
    return [fake.uuid(), name, fake.email(name), fake.phone(), fake.card(), fake.iban() if r.random() < 0.4 else "",
            fake.long_id(), str(fake.tick(90_000)), fake.hex(16), fake.version(), r.choice(("free", "pro", "team")),
            r.choice(("active", "active", "closed", "past_due")), f"{r.uniform(1, 999):.2f}",
            r.choice(("US", "US", "GB", "DE", "NL")), f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
            r.choice(NOTES)]  # fmt: skip


def write_customers(path: Path, size: int, seed: int = 3) -> int:
    """About `size` bytes of customer rows; returns the rows written."""
    fake = Fake(seed)
    rows = written = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        while written < size:
            row = customer_row(fake, rows)
            writer.writerow(row)
            written += sum(len(c.encode()) + 1 for c in row)
            rows += 1
    return rows


# Sentences of support tickets. Upper-case fields are planted and labeled; the rest are not personal.
NAMED = (
    "Customer {PERSON} called about a double charge on invoice {n} and asked for a refund to the card on file.",
    "{PERSON} reports that the {product} loses its Wi-Fi connection every night since the {month} update.",
    "Please send the replacement to {PERSON}, who will be at the {city} office until {weekday}.",
    "Spoke with {PERSON} ({EMAIL_ADDRESS}); the login loop stops after clearing the app cache.",
    "Callback requested: {PERSON} at {PHONE_NUMBER}, after 5 pm Eastern.",
    "Account {n} was transferred to {PERSON} after the merger; old admin removed.",
    "Hi team, this is {PERSON} from the {city} store, our {product} will not pair with the register.",
    "Escalated to {team} because {PERSON} was charged twice for the {plan} plan.",
    "{PERSON} asked us to use {EMAIL_ADDRESS} for all invoices from now on.",
    "Left a voicemail for {PERSON} on {PHONE_NUMBER} about the delayed shipment {n}.",
    "Thanks {PERSON}, the new {product} arrived and works fine.",
    "Per {PERSON}, the warehouse in {city} still shows order {n} as pending.",
)
PLAIN = (
    "The router firmware was upgraded to {version} and the customer confirmed the service is stable again.",
    "Escalated to {team} after the third dropped call this week; no customer data needed.",
    "The {product} keeps rebooting when the battery drops below 20 percent.",
    "Refund of {amount} USD approved by {team} on {weekday}.",
    "Duplicate of ticket {n}; closing.",
    "Customer says the {city} pickup point was closed on {weekday} afternoon.",
    "Reset the MFA device and sent a new enrollment link; please confirm by {month} 30.",
    "The {plan} plan renewal failed because the card expired; customer will update it in the portal.",
    "Shipping label reprinted, tracking number updated in the order.",
    "Please check why the {product} app shows the {month} statement twice.",
    "Known issue with {version}: the export button is greyed out in Safari.",
    "Moved to {team} queue, waiting for the vendor in {city}.",
)
PRODUCTS = ("Galaxy S23", "ThinkPad X1 Carbon", "AirPods Pro", "Nest Hub", "Surface Laptop 5", "Echo Dot",
            "Pixel 8", "Kindle Paperwhite", "Roku Ultra", "Sonos Beam")  # fmt: skip
CITIES = ("Dublin", "Austin", "Lisbon", "Nairobi", "Denver", "Rotterdam", "Osaka", "Leeds", "Tucson", "Porto")
TEAMS = ("the Platform team", "Billing Ops", "Tier 2", "the Logistics desk", "Trust and Safety")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "March", "April", "June", "September", "November")


def _fill(template: str, fake: Fake) -> list:
    """The template's parts: upper-case fields become planted Tags (one person per sentence)."""
    r = fake.rng
    person = fake.name()
    values = {"PERSON": person, "EMAIL_ADDRESS": fake.email(person), "PHONE_NUMBER": fake.phone(),
              "n": str(r.randint(10**5, 10**7)), "product": r.choice(PRODUCTS), "city": r.choice(CITIES),
              "team": r.choice(TEAMS), "weekday": r.choice(WEEKDAYS), "month": r.choice(MONTHS),
              "plan": r.choice(("Basic", "Premium", "Family")), "version": fake.version(),
              "amount": f"{r.uniform(5, 500):.2f}"}  # fmt: skip
    parts: list = []
    for i, piece in enumerate(template.replace("}", "{").split("{")):
        if i % 2 == 0:
            parts.append(piece)
        else:
            parts.append(Tag(piece, values[piece]) if piece.isupper() else values[piece])
    return parts


def write_tickets(folder: Path, size: int, seed: int = 5) -> list[dict]:
    """`folder`/tickets.txt of about `size` bytes, one ticket (1-3 sentences) a line; returns the labels."""
    folder.mkdir(parents=True, exist_ok=True)
    fake, labels = Fake(seed), Labels(folder)
    written = number = 0
    with open(folder / "tickets.txt", "w", encoding="utf-8", newline="\n") as fh:
        while written < size:
            count = fake.rng.randint(1, 3)
            named = fake.rng.random() < 0.5
            sentences = [fake.pick(PLAIN) for _ in range(count)]
            if named:
                sentences[fake.rng.randrange(count)] = fake.pick(NAMED)
            parts: list = []
            for i, sentence in enumerate(sentences):
                parts += ([" "] if i else []) + _fill(sentence, fake)
            text, spans = render(parts)
            number += 1
            fh.write(text + "\n")
            written += len(text.encode()) + 1
            labels.add("tickets.txt", number, spans)
    labels.write()
    return labels.planted
