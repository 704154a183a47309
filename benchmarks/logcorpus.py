"""The realistic mixed log corpus: seeded, one file per format, sparse planted PII, labeled.

    write_logs(folder, total_bytes, seed)      access, syslog (RFC 3164 and 5424), logback, Python
                                               logging, JSON and Kubernetes container logs
    write_small_files(folder, count, seed)     1-2 KB files: log chunks of every format, small CSVs
    read_labels(folder)                        the planted values: {file, line, start, end, entity, value}
    read_nearmiss(folder)                      the look-alikes that must not be found: (file, line, start, end, kind)

About one record in 1,000 holds a planted personal value (`pii_rate`). The labels are written
beside the corpus folder (FOLDER.labels.jsonl, FOLDER.nearmiss.tsv), never inside it, so a scan
of the folder does not read them. Lines are numbered from 1 and offsets count characters.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from benchmarks.fakedata import Fake
from benchmarks.logformats import FORMATS
from benchmarks.logparts import Labels, read_labels, read_nearmiss, render

PII_RATE = 1 / 1000


def _records(fmt, fake: Fake, pii_rate: float):
    """Rendered lines of one format, forever: (text, spans)."""
    while True:
        for parts in fmt(fake, fake.rng.random() < pii_rate):
            yield render(parts)


def write_logs(folder: Path, total: int, seed: int = 1, pii_rate: float = PII_RATE) -> list[dict]:
    """About `total` bytes of logs in `folder`, split by FORMATS' shares; returns the planted labels."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = Labels(folder)
    for i, (name, (fmt, share)) in enumerate(FORMATS.items()):
        fake = Fake(seed * 1000 + i)
        budget, written, number = int(total * share), 0, 0
        with open(folder / name, "w", encoding="utf-8", newline="\n") as fh:
            for text, spans in _records(fmt, fake, pii_rate):
                if written >= budget:
                    break
                number += 1
                fh.write(text + "\n")
                written += len(text.encode()) + 1
                labels.add(name, number, spans)
    labels.write()
    return labels.planted


def write_small_files(folder: Path, count: int, seed: int = 2, pii_rate: float = PII_RATE) -> list[dict]:
    """`count` files of 1-2 KB: nine in ten are chunks of one log format, one in ten a small CSV."""
    from benchmarks.tablecorpus import HEADER, customer_row

    folder.mkdir(parents=True, exist_ok=True)
    labels = Labels(folder)
    fake = Fake(seed)
    streams = {
        name: _records(fmt, Fake(seed * 1000 + i), pii_rate) for i, (name, (fmt, _)) in enumerate(FORMATS.items())
    }
    for n in range(count):
        size = fake.rng.randint(1000, 2000)
        if n % 10 == 9:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(HEADER)
            while out.tell() < size:
                writer.writerow(customer_row(fake, n))
            (folder / f"export-{n:05d}.csv").write_text(out.getvalue(), encoding="utf-8")
            continue
        stem = fake.pick(list(streams))
        name = f"{n:05d}-{stem}"
        lines, written = [], 0
        for text, spans in streams[stem]:
            lines.append(text)
            labels.add(name, len(lines), spans)
            written += len(text.encode()) + 1
            if written >= size:
                break
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    labels.write()
    return labels.planted


__all__ = ["write_logs", "write_small_files", "read_labels", "read_nearmiss"]
