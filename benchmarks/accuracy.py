"""Span-level precision, recall and F1 per entity of pdscan beside plain Presidio, on labeled text.

    python benchmarks/accuracy.py [--datasets synth,datafog,generated,wnut17,loghub] [--limit N]
                                  [--no-baseline] [--errors N] [--json FILE] [--min-score S]
                                  [--without-name-lists]

synth: presidio-research's synth_dataset_v2; datafog: DataFog's test corpus; wnut17: WNUT-17
train and dev, real posts, PERSON scored (all under ../shared/datasets); generated:
benchmarks/labeled.py, seeded; loghub: real logs with no labels, a false-positive set (every
finding counted per 1,000 lines). Texts are split into lines as the file connector does. The
label table, the matching rule and measured numbers: docs/accuracy.md.
Here: the report and the command line; the datasets and label table in accuracy_data.py, the
matching and counting in accuracy_score.py, the two engines in accuracy_engines.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy_data import (  # noqa: E402
    FALSE_POSITIVE_SETS,
    LOADERS,
    PATHS,
    Doc,
    Span,
    scored_entities,
    split_lines,
)
from benchmarks.accuracy_engines import MIN_SCORE, Pdscan, Presidio, detect  # noqa: E402
from benchmarks.accuracy_score import GROUPS, Counts, Result, evaluate  # noqa: E402


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


def print_false_positives(
    name: str, docs: list[Doc], found: dict[str, list[list[Span]]], timing: dict, supported: list[str]
) -> dict:
    """Every finding of every entity on texts that hold (almost) no personal data, per 1,000 lines."""
    lines, _ = split_lines(docs)
    per_k = 1000 / max(len(lines), 1)
    counts = {e: Counter(f.entity for spans in per_doc for f in spans) for e, per_doc in found.items()}
    print(f"\n== {name}: {len(docs):,} files, {len(lines):,} lines, {sum(len(d.text) for d in docs):,} chars; "
          "no labels: every finding counts")  # fmt: skip
    print(f"{'entity':22}" + "".join(f" | {e + ' findings':>18} {'per 1k lines':>12}" for e in found))
    entities = sorted({e for c in counts.values() for e in c})
    for entity in [*entities, "all"]:
        cells = [sum(c.values()) if entity == "all" else c[entity] for c in counts.values()]
        mark = "" if entity == "all" or entity in supported else " *"
        print(f"{entity + mark:22}" + "".join(f" | {n:18,d} {n * per_k:12.2f}" for n in cells))
    print("* not a pdscan entity. IP_ADDRESS: the logs' addresses are real ones, counted all the same.")
    for engine, per_doc in found.items():
        by_file = ", ".join(f"{d.id.split('/')[-1]} {len(f)}" for d, f in zip(docs, per_doc))
        seconds, chars = timing[engine]
        print(f"{engine}: {chars / max(seconds, 1e-9):,.0f} chars/s ({seconds:.1f} s); findings per file: {by_file}")
    return {
        "lines": len(lines),
        "engines": {
            e: {"findings": dict(c), "per_1000_lines": {k: v * per_k for k, v in c.items()}} for e, c in counts.items()
        },
    }


def name_list_share(with_lists: Counts, without: Counts) -> dict:
    """PERSON with and without the name lists; share: the part of the found names that needs them."""
    a, b = with_lists.metrics(), without.metrics()
    share = (with_lists.tp - without.tp) / with_lists.tp if with_lists.tp else None
    return {"with": a, "without": b, "share_of_recall": share}


def print_name_list_share(name: str, share: dict) -> None:
    def cells(m: dict) -> str:
        return " ".join("-" if m[k] is None else f"{m[k]:.2f}" for k in ("precision", "recall", "f1"))

    a, b, part = share["with"], share["without"], share["share_of_recall"]
    print(f"name lists, pdscan PERSON P R F1: with {cells(a)} (TP {a['tp']}, FP {a['fp']}), without "
          f"{cells(b)} (TP {b['tp']}, FP {b['fp']}): "
          f"{'-' if part is None else f'{part:.0%}'} of the names found need them")  # fmt: skip


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
        "--datasets",
        default=",".join(LOADERS),
        help=f"comma-separated: {', '.join(LOADERS)}",
    )
    parser.add_argument(
        "--limit", type=int, help="first N texts of each dataset (generated: N texts; loghub: N lines a file)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip plain Presidio")
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print the N most frequent FP and FN per entity (pdscan)"
    )
    parser.add_argument("--json", metavar="FILE", help="write every number to FILE")
    parser.add_argument(
        "--min-score", type=float, default=MIN_SCORE, help="findings below it do not count (default 0.5)"
    )
    parser.add_argument(
        "--without-name-lists",
        action="store_true",
        help="run pdscan again with its name lists emptied: their share of PERSON recall",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = set(names) - set(LOADERS)
    if unknown:
        parser.error(f"unknown dataset(s): {', '.join(sorted(unknown))}")
    missing = [str(PATHS[n]) for n in names if n in PATHS and not PATHS[n].exists()]
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
    shares = {}
    for name in names:
        docs = LOADERS[name](args.limit)
        found, timing = {}, {}
        for engine in engines:
            found[engine.name], *timing[engine.name] = detect(engine, docs, args.min_score)
        if args.without_name_lists:
            from pdscan.detectors.names import without_name_lists

            with without_name_lists():
                unlisted = detect(engines[0], docs, args.min_score)[0]
        if name in FALSE_POSITIVE_SETS:
            report["datasets"][name] = print_false_positives(name, docs, found, timing, supported)
            if args.without_name_lists:
                person = sum(f.entity == "PERSON" for spans in unlisted for f in spans)
                print(f"name lists: pdscan PERSON findings {report['datasets'][name]['engines']['pdscan']['findings'].get('PERSON', 0)} "
                      f"with them, {person} without")  # fmt: skip
                report["datasets"][name]["pdscan_person_without_name_lists"] = person
            if args.errors:
                all_found = sorted({f.entity for spans in found["pdscan"] for f in spans})
                print_errors(name, "pdscan", evaluate(docs, found["pdscan"], all_found), args.errors)
            continue
        scored = scored_entities(name, docs)
        results = {}
        for engine in engines:
            results[engine.name] = evaluate(docs, found[engine.name], scored, *timing[engine.name])
        print_table(name, docs, scored, results, supported)
        report["datasets"][name] = report_json(docs, scored, results)
        if args.without_name_lists and "PERSON" in scored:
            shares[name] = name_list_share(
                results["pdscan"].counts["PERSON"], evaluate(docs, unlisted, scored).counts["PERSON"]
            )
            print_name_list_share(name, shares[name])
            report["datasets"][name]["name_lists"] = shares[name]
        if args.errors:
            print_errors(name, "pdscan", results["pdscan"], args.errors)
    if shares:
        print("\nthe name lists' share of pdscan's PERSON recall (recall with them -> without them):")
        for name, share in shares.items():
            a, b = share["with"]["recall"], share["without"]["recall"]
            print(f"  {name:10} {a:.2f} -> {b:.2f}  ({share['share_of_recall']:.0%} of the names found need the lists)")
    report["seconds"] = time.perf_counter() - started
    print(f"\ntotal {report['seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
