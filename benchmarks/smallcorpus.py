"""Seeded folders of many small files (NDJSON events, CSV orders, text logs; 1-2 KB each).

Fields as an event pipeline writes them: 9-digit numeric ids, timestamps, paths, user agents,
session hashes. About one file in `pii_every` holds personal data (an e-mail, a person's name
with a phone number, an IP address). Names are WNUT-17 person mentions (real user text, not
Faker's lists, which the name detector itself loads), or a short list of our own without it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WNUT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "wnut17" / "train.conll"
OWN_NAMES = (
    "Marisol Okafor", "Tobias Lindqvist", "Anjali Ramaswamy", "Dmitri Volkonsky", "Keziah Abernathy",
    "Ifeoma Nwachukwu", "Lorcan Fitzgerald", "Yusuf Demirci", "Solveig Haugland", "Teodora Ilic",
)  # fmt: skip
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "okhttp/4.12.0",
    "curl/8.4.0",
)  # fmt: skip
EVENTS = ("page_view", "add_to_cart", "checkout", "search", "login", "logout", "api_call")
PATHS = ("/products/{n}", "/api/v2/items/{n}", "/search?q=shoes&page={k}", "/cart", "/checkout/step/{k}")
STATUSES = ("paid", "shipped", "pending", "refunded", "cancelled")
LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARN")


def person_names(limit: int = 300) -> list[str]:
    """Two-word person mentions from WNUT-17 (capitalized first and last name), else OWN_NAMES."""
    if not WNUT.exists():
        return list(OWN_NAMES)
    names, current = [], []
    for line in WNUT.read_text(encoding="utf-8").splitlines():
        token, _, tag = line.partition("\t")
        if tag == "I-person" and current:
            current.append(token)
            continue
        if len(current) == 2 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in current):
            names.append(" ".join(current))
        current = [token] if tag == "B-person" else []
    unique = sorted(set(names))
    return unique[:limit] or list(OWN_NAMES)


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names = person_names()
        self.day = 0

    def ts(self) -> str:
        r = self.rng
        return f"2026-03-{1 + r.randrange(28):02d}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z"

    def path(self) -> str:
        return self.rng.choice(PATHS).format(n=self.rng.randint(10_000, 99_999), k=self.rng.randint(1, 9))

    def pii(self) -> tuple[str, str]:
        """(kind, value) of one piece of personal data."""
        r = self.rng
        name = r.choice(self.names)
        kind = r.choice(("email", "name_phone", "ip"))
        if kind == "email":
            first, _, last = name.lower().partition(" ")
            return kind, f"{first}.{last}@example.org"
        if kind == "name_phone":
            return kind, f"{name} asked for a call back on (415) 555-{r.randint(1000, 9999)}"
        return kind, f"203.0.113.{r.randint(1, 254)}"

    def ndjson(self, size: int, pii: bool) -> str:
        r = self.rng
        lines, at = [], r.randrange(8) if pii else -1
        while sum(len(x) + 1 for x in lines) < size:
            event = {"id": r.randint(100_000_000, 999_999_999), "ts": self.ts(), "type": r.choice(EVENTS),
                     "path": self.path(), "status": r.choice((200, 200, 200, 304, 404)), "ms": r.randint(2, 900),
                     "ua": r.choice(USER_AGENTS), "session": f"{r.getrandbits(64):016x}"}  # fmt: skip
            if len(lines) == at:
                kind, value = self.pii()
                event["email" if kind == "email" else "client_ip" if kind == "ip" else "note"] = value
            lines.append(json.dumps(event, separators=(",", ":")))
        return "\n".join(lines) + "\n"

    def csv(self, size: int, pii: bool) -> str:
        r = self.rng
        lines = ["order_id,created,sku,qty,amount,status,remark"]
        at = r.randrange(1, 10) if pii else -1
        while sum(len(x) + 1 for x in lines) < size:
            remark = r.choice(("", "", "gift wrap", "leave at door", "express"))
            if len(lines) == at:
                remark = f'"{self.pii()[1]}"'
            lines.append(f"{r.randint(100_000_000, 999_999_999)},{self.ts()},SKU-{r.randint(1000, 9999)},"
                         f"{r.randint(1, 5)},{r.uniform(3, 400):.2f},{r.choice(STATUSES)},{remark}")  # fmt: skip
        return "\n".join(lines) + "\n"

    def log(self, size: int, pii: bool) -> str:
        r = self.rng
        lines, at = [], r.randrange(6) if pii else -1
        while sum(len(x) + 1 for x in lines) < size:
            line = (f"{self.ts()} {r.choice(LEVELS)} req={r.getrandbits(48):012x} GET {self.path()} "
                    f"{r.choice((200, 200, 301, 500))} {r.randint(2, 900)}ms ua=\"{r.choice(USER_AGENTS)}\"")  # fmt: skip
            if len(lines) == at:
                line = f"{self.ts()} INFO profile updated for user {r.randint(10**8, 10**9 - 1)}: {self.pii()[1]}"
            lines.append(line)
        return "\n".join(lines) + "\n"


MIXED = ("ndjson", "ndjson", "csv", "log")


def write_corpus(
    folder: Path, files: int, pii_every: int = 100, seed: int = 17, kinds: tuple[str, ...] = MIXED
) -> dict:
    """`files` files of 1-2 KB under `folder` (100 to a subfolder): of `kinds` in turn (by default half
    NDJSON, a quarter each CSV and logs); returns counts (files, bytes, files with personal data)."""
    writer = _Writer(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = pii_files = 0
    for i in range(files):
        sub = folder / f"part-{i // 100:04d}"
        sub.mkdir(exist_ok=True)
        pii = writer.rng.randrange(pii_every) == 0
        pii_files += pii
        size = writer.rng.randint(1000, 1750)
        kind = kinds[i % len(kinds)]
        body = getattr(writer, kind)(size, pii)
        path = sub / f"{i:07d}.{kind}"
        path.write_text(body, encoding="utf-8")
        total += len(body.encode())
    return {"files": files, "bytes": total, "pii_files": pii_files}
