"""The labeled datasets of the accuracy harness as Docs: loading, the label table, address pieces joined.

The table and the rules behind it: docs/accuracy.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SYNTH = DATASETS / "presidio-research" / "synth_dataset_v2.json"
DATAFOG = DATASETS / "datafog"
WNUT17 = DATASETS / "wnut17"
WNUT17_SPLITS = ("train", "dev")  # the test split is kept back (datasets README)
LOGHUB = DATASETS / "loghub"
FALSE_POSITIVE_SETS = frozenset({"loghub"})  # no labels: every finding is counted, per 1,000 lines
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


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) per text of a CoNLL file: one `token<TAB>tag` a line, a blank (or
    whitespace-only) line between texts; a stray byte-order mark counts as blank."""
    texts, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8-sig").split("\n"):
        if not line.replace("\ufeff", "").strip():
            if tokens:
                texts.append((tokens, tags))
            tokens, tags = [], []
            continue
        token, tag = line.rstrip("\r").rsplit("\t", 1)
        tokens.append(token)
        tags.append(tag.strip())
    if tokens:
        texts.append((tokens, tags))
    return texts


def conll_doc(doc_id: str, tokens: list[str], tags: list[str], kind: str = "person") -> Doc:
    """The text as its tokens joined by single spaces; a B-/I- run of `kind` is one span
    (an I- without its B- starts one). Labels of other kinds are not scored."""
    text, raw, start, span = "", [], 0, None
    for token, tag in zip(tokens, tags):
        start = len(text) + (1 if text else 0)
        text = f"{text} {token}" if text else token
        prefix, _, label = tag.partition("-")
        if label == kind and (prefix == "I" and span):
            span[2] = len(text)
            continue
        if span:
            raw.append(tuple(span))
        span = ["PERSON", start, len(text)] if label == kind else None
    if span:
        raw.append(tuple(span))
    return make_doc(doc_id, text, raw)


def load_wnut17(limit: int | None = None) -> list[Doc]:
    docs = [
        conll_doc(f"wnut17-{split}-{i}", tokens, tags)
        for split in WNUT17_SPLITS
        for i, (tokens, tags) in enumerate(read_conll(WNUT17 / f"{split}.conll"))
    ]
    return docs[:limit]


def load_loghub(limit: int | None = None) -> list[Doc]:
    """Each file one text that must yield nothing (`limit`: its first N lines)."""
    docs = []
    for path in sorted(LOGHUB.glob("*.log")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        docs.append(Doc(f"loghub/{path.stem}", "\n".join(lines[:limit]), [], negative=True))
    return docs


def scored_entities(name: str, docs: list[Doc]) -> list[str]:
    """Entities a dataset labels (generated: also those it never holds): findings of others are not counted there."""
    found = {s.entity for d in docs for s in d.spans}
    if name == "generated":
        from benchmarks.labeled import ABSENT, ENTITIES

        found |= {*ENTITIES, *ABSENT}
    return sorted(found)


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


LOADERS = {
    "synth": load_synth,
    "datafog": load_datafog,
    "generated": load_generated,
    "wnut17": load_wnut17,
    "loghub": load_loghub,
}
PATHS = {"synth": SYNTH, "datafog": DATAFOG, "wnut17": WNUT17, "loghub": LOGHUB}
