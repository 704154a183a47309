"""The benchmark's corpora on disk: each written once (seeded, reused by later runs), each with a
slice of identical bytes that both tools scan when Presidio cannot take the whole of it.

A slice holds the first lines of every file of its corpus (the same share of each, cut at line
ends; a CSV keeps its header), or the first files of a folder of small files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import logcorpus, tablecorpus
from benchmarks.logparts import labels_path, nearmiss_path, read_labels, read_nearmiss


@dataclass
class Corpus:
    key: str
    title: str
    whole: Path  # the folder scanned whole
    slice: Path  # identical bytes for both tools (the whole folder when Presidio takes all of it)
    lines: dict[str, int]  # lines of each file of the slice (a CSV: its rows)
    labels: list[dict] = field(default_factory=list)
    nearmiss: list = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # also scanned one by one (loghub)

    def nbytes(self, which: str = "whole") -> int:
        return sum(p.stat().st_size for p in getattr(self, which).iterdir() if p.is_file())


def once(folder: Path, make) -> Path:
    """`make(scratch)` into a scratch folder renamed when complete (its labels beside it too), so a
    run stopped halfway never leaves a partial corpus for the next one to reuse."""
    if folder.exists():
        return folder
    scratch = folder.with_name(folder.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    make(scratch)
    for beside in (labels_path, nearmiss_path):
        if beside(scratch).exists():
            beside(scratch).rename(beside(folder))
    scratch.rename(folder)
    return folder


def _head(src: Path, dest: Path, budget: int) -> int:
    """The first lines of `src` (a CSV: its header and first rows) up to `budget` bytes; lines kept."""
    kept = size = 0
    with open(src, "rb") as fh, open(dest, "wb") as out:
        for line in fh:
            if kept and size + len(line) > budget:
                break
            out.write(line)
            size += len(line)
            kept += 1
    return kept - (src.suffix == ".csv")


def head_slice(whole: Path, share: float) -> tuple[Path, dict[str, int]]:
    """A folder beside `whole` with the first `share` of every file; (folder, {file: lines or rows})."""
    files = sorted(p for p in whole.iterdir() if p.is_file())
    if share >= 1:
        return whole, {p.name: _count_lines(p) - (p.suffix == ".csv") for p in files}
    folder = whole.with_name(f"{whole.name}.slice-{share:.4f}")

    def make(scratch: Path) -> None:
        for p in files:
            _head(p, scratch / p.name, int(p.stat().st_size * share))

    once(folder, make)
    return folder, {p.name: _count_lines(p) - (p.suffix == ".csv") for p in sorted(folder.iterdir())}


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def loghub(base: Path, src: Path, lines_per_file: int | None) -> Corpus:
    """The loghub files as they are (or their first lines), and all of them in one file."""
    tag = "all" if lines_per_file is None else f"head{lines_per_file}"
    names = sorted(p.name for p in src.glob("*.log"))

    def copy(scratch: Path) -> None:
        for name in names:
            with open(src / name, "rb") as fh:
                lines = fh.readlines()[:lines_per_file]
            (scratch / name).write_bytes(b"".join(lines))

    files = once(base / f"loghub-{tag}", copy)

    def concat(scratch: Path) -> None:
        with open(scratch / "loghub-all.log", "wb") as out:
            for name in names:
                out.write((files / name).read_bytes())

    whole = once(base / f"loghub-{tag}-concatenated", concat)
    lines = {"loghub-all.log": _count_lines(whole / "loghub-all.log")}
    title = f"loghub, 8 systems concatenated ({'every line' if lines_per_file is None else f'first {lines_per_file} lines of each'})"
    return Corpus("loghub", title, whole, whole, lines, files=[files / n for n in names])


def mixed_logs(base: Path, mb: float, slice_kb: float, seed: int = 1) -> Corpus:
    whole = once(base / f"logs-{mb:g}MB", lambda d: logcorpus.write_logs(d, int(mb * 1e6), seed=seed))
    part, lines = head_slice(whole, min(1.0, slice_kb * 1e3 / _size(whole)))
    title = "realistic mixed logs (access, syslog 3164/5424, logback, Python, JSON, Kubernetes)"
    return Corpus("logs", title, whole, part, lines, read_labels(whole), read_nearmiss(whole))


def log_and_csv(base: Path, mb: float, slice_kb: float, seed: int = 7) -> Corpus:
    """Realistic logs (60% of the bytes) beside a CSV customer export (40%)."""

    def make(folder: Path) -> None:
        logcorpus.write_logs(folder, int(mb * 0.6e6), seed=seed)
        tablecorpus.write_customers(folder / "customers.csv", int(mb * 0.4e6))

    whole = once(base / f"logs-csv-{mb:g}MB", make)
    part, lines = head_slice(whole, min(1.0, slice_kb * 1e3 / _size(whole)))
    title = "mixed logs + CSV customer export"
    return Corpus("table", title, whole, part, lines, read_labels(whole), read_nearmiss(whole))


def prose(base: Path, mb: float, slice_kb: float) -> Corpus:
    whole = once(base / f"tickets-{mb:g}MB", lambda d: tablecorpus.write_tickets(d, int(mb * 1e6)))
    part, lines = head_slice(whole, min(1.0, slice_kb * 1e3 / _size(whole)))
    return Corpus("prose", "support tickets (prose)", whole, part, lines, read_labels(whole), read_nearmiss(whole))


def small_files(base: Path, count: int, slice_count: int) -> Corpus:
    whole = once(base / f"small-{count}", lambda d: logcorpus.write_small_files(d, count))
    names = sorted(p.name for p in whole.iterdir())
    part = whole
    if slice_count < count:
        part = base / f"small-{count}.first-{slice_count}"

        def make(scratch: Path) -> None:
            for name in names[:slice_count]:
                shutil.copyfile(whole / name, scratch / name)

        once(part, make)
    lines = {p.name: _count_lines(p) for p in part.iterdir()}
    title = f"many small files (1-2 KB: log chunks, one in ten a CSV; {count:,} files)"
    return Corpus("small", title, whole, part, lines, read_labels(whole), read_nearmiss(whole))


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def old_log(base: Path, mb: float, slice_kb: float) -> Corpus:
    """The earlier benchmark's log (benchmarks/corpus.py: lower-case levels, no ids, one PII line in 2,000),
    kept as an extra row to show how much it flattered pdscan."""
    from benchmarks.corpus import write_log
    from benchmarks.perfcorpus import log_labels

    whole = once(base / f"old-log-{mb:g}MB", lambda d: write_log(d / "app.log", int(mb * 1e6), pii_every=2_000))
    part, lines = head_slice(whole, min(1.0, slice_kb * 1e3 / _size(whole)))
    labels = [{"file": "app.log", "line": n, "entity": e} for n, e in sorted(log_labels(whole / "app.log"))]
    title = "old corpus, for comparison only: the earlier app.log (lower-case levels, no ids)"
    return Corpus("old", title, whole, part, lines, labels, [])
