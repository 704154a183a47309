"""Scoring of the accuracy harness: findings matched to labeled spans, counts and metrics per entity."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from benchmarks.accuracy_data import Doc, Span, finding_entity

GROUPS = {"card+IBAN": ("CREDIT_CARD", "IBAN_CODE"), "email+phone": ("EMAIL_ADDRESS", "PHONE_NUMBER")}


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def matches(found: Span, label: Span, text: str | None = None) -> bool:
    """Same entity, overlapping on one line, and the finding lies >= 50% inside the label, or covers
    >= 50% of it while being at most twice as long."""
    inside = overlap(found, label)
    if found.entity != label.entity or inside == 0:
        return False
    if text is not None and "\n" in text[max(found.start, label.start) : min(found.end, label.end)]:
        return False
    size, wanted = found.end - found.start, label.end - label.start
    return inside >= 0.5 * size or (inside >= 0.5 * wanted and size <= 2 * wanted)


@dataclass
class DocScore:
    tp: list[tuple[Span, Span]] = field(default_factory=list)
    fp: list[Span] = field(default_factory=list)
    fn: list[Span] = field(default_factory=list)
    dup: list[Span] = field(default_factory=list)  # a second finding on a matched label: neither TP nor FP


def score_doc(labels: list[Span], found: list[Span], text: str | None = None) -> DocScore:
    """Pair findings with labels, largest overlap first, each label at most once."""
    pairs = [
        (overlap(f, s), fi, si) for fi, f in enumerate(found) for si, s in enumerate(labels) if matches(f, s, text)
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    by_found: dict[int, int] = {}
    taken: set[int] = set()
    for _, fi, si in pairs:
        if fi not in by_found and si not in taken:
            by_found[fi] = si
            taken.add(si)
    near = {fi for _, fi, _ in pairs}
    out = DocScore(tp=[(found[fi], labels[si]) for fi, si in sorted(by_found.items())])
    out.dup = [f for fi, f in enumerate(found) if fi in near and fi not in by_found]
    out.fp = [f for fi, f in enumerate(found) if fi not in near]
    out.fn = [s for si, s in enumerate(labels) if si not in taken]
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dup: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn, self.dup = (
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.dup + other.dup,
        )

    def metrics(self) -> dict[str, float | int | None]:
        """Precision is None without findings, recall None without labels, F1 None if either is."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = None if p is None or r is None else 2 * p * r / (p + r) if p + r else 0.0
        return {**asdict(self), "support": self.tp + self.fn, "precision": p, "recall": r, "f1": f1}


@dataclass
class Result:
    counts: dict[str, Counts]
    fp: dict[str, list[tuple[Doc, Span]]]
    fn: dict[str, list[tuple[Doc, Span, list[Span]]]]
    negatives: Counter  # every finding on a text that must yield nothing, by entity
    seconds: float
    chars: int

    def micro(self) -> Counts:
        total = Counts()
        for c in self.counts.values():
            total.add(c)
        return total

    def group(self, members: tuple[str, ...]) -> Counts:
        total = Counts()
        for entity in members:
            total.add(self.counts.get(entity, Counts()))
        return total


def evaluate(
    docs: list[Doc], per_doc: list[list[Span]], scored: list[str], seconds: float = 0.0, chars: int = 0
) -> Result:
    counts = {e: Counts() for e in scored}
    fps, fns = defaultdict(list), defaultdict(list)
    negatives: Counter = Counter()
    for doc, found in zip(docs, per_doc):
        if doc.negative:
            negatives.update(f.entity for f in found)
        mapped = [
            Span(e, f.start, f.end, f.score, f.detector) for f in found if (e := finding_entity(f.entity)) in counts
        ]
        result = score_doc(doc.spans, mapped, doc.text)
        for f, _ in result.tp:
            counts[f.entity].tp += 1
        for f in result.dup:
            counts[f.entity].dup += 1
        for f in result.fp:
            counts[f.entity].fp += 1
            fps[f.entity].append((doc, f))
        for s in result.fn:
            counts[s.entity].fn += 1
            fns[s.entity].append((doc, s, [f for f in found if overlap(f, s)]))
    return Result(counts, fps, fns, negatives, seconds, chars)
