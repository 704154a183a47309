"""Seeded generators for large scan inputs (used by benchmarks and the memory test)."""

from __future__ import annotations

import random
from pathlib import Path

LOG_TEMPLATES = (
    "{ts} info request completed method=get path=/api/v2/items/{n} status=200 duration_ms={ms}",
    "{ts} debug cache hit key=session:{n} ttl=300",
    "{ts} warn slow query table=orders rows={n} duration_ms={ms}",
    "{ts} info worker heartbeat queue=billing depth={ms}",
)
PII_LINES = (
    "{ts} info password reset sent to ana.torres{n}@example.com from 203.0.113.{k}",
    "{ts} error payment declined for card 4539 1488 0343 6467 customer=Ana Torres",
)


def write_log(path: Path, size_bytes: int, pii_every: int = 10_000, seed: int = 7) -> int:
    """A log of about `size_bytes`, one PII line every `pii_every` lines; returns the PII lines written."""
    rng = random.Random(seed)
    written = 0
    pii = 0
    lines = []
    with open(path, "w") as fh:
        i = 0
        while written < size_bytes:
            ts = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z"
            if i % pii_every == pii_every - 1:
                line = rng.choice(PII_LINES).format(ts=ts, n=i, k=i % 250)
                pii += 1
            else:
                line = rng.choice(LOG_TEMPLATES).format(ts=ts, n=rng.randint(1, 10**6), ms=rng.randint(1, 900))
            lines.append(line)
            written += len(line) + 1
            i += 1
            if len(lines) == 50_000:
                fh.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            fh.write("\n".join(lines) + "\n")
    return pii
