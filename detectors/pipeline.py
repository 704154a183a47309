"""Detection over a batch of values: prefilter, then Presidio on the candidates only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.detectors import columns, filters, prefilter
from pdscan.detectors.custom import CustomRules
from pdscan.detectors.testvalues import is_test_value
from pdscan.masking import normalize

DEFAULT_ENTITIES = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "US_SSN",
    "IP_ADDRESS",
    "US_BANK_NUMBER",
    "IBAN_CODE",
)


def supported_entities() -> list[str]:
    """Presidio's entities pdscan uses, then those of pdscan's own recognizers."""
    from pdscan.detectors import recognizers

    out = list(DEFAULT_ENTITIES)
    out += [e for e in recognizers.entities() if e not in out]
    out += [e for e in (*sorted(columns.HINT_ONLY), "CPNI") if e not in out]
    return out


# Presidio never sees more than this many characters at once: long lines are cut into
# overlapping windows, so a regex or the NER model works on bounded input (a 110 KB
# token costs 60 prefilter windows, not a quadratic regex run).
WINDOW = 2000
OVERLAP = 200


@dataclass(frozen=True)
class Hit:
    """One detected span inside one value of a batch. `text` is the raw value: never log it."""

    index: int
    entity: str
    start: int
    end: int
    score: float
    detector: str
    text: str
    test_data: bool = False


def _windows(length: int) -> list[int]:
    step = WINDOW - OVERLAP
    return list(range(0, max(length - OVERLAP, 1), step))


# Entities whose span is a whole structure: what lies inside one is part of it, not a
# finding of its own (a "name" inside a user agent, digits inside a URL or an email).
# Entities NER finds as word spans: punctuation at their edges ("> Alma Jensen") is not part of them.
WORD_ENTITIES = frozenset({"PERSON", "ORGANIZATION"})


# Words NER takes into a name that only label it: "Beneficiary Eric Pope", "Customer Ann Lee".
_ROLE_WORD = re.compile(
    r"(?i)(?:beneficiary|customer|client|patient|employee|contact|attn|attention|name|dear|user|agent|tenant|"
    r"member|applicant|sender|recipient|payee|holder|cardholder|signed|from|to|cc)\b[ \t:]+(?=\w)"
)


def _trim_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    role = _ROLE_WORD.match(text, start, end)
    if role:
        start = role.end()
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "." and end - start > 1):
        end -= 1
    return start, end


CONTAINERS = frozenset({"USER_AGENT", "URL", "EMAIL_ADDRESS", "STREET_ADDRESS", "IBAN_CODE"})


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Within one value: drop exact repeats, and spans inside a stronger span or a container span."""
    best: dict[tuple[int, int, str], Hit] = {}
    for h in hits:
        key = (h.start, h.end, h.entity)
        if key not in best or h.score > best[key].score:
            best[key] = h
    ranked = sorted(best.values(), key=lambda h: (h.entity not in CONTAINERS, -h.score, h.start - h.end))
    kept: list[Hit] = []
    for h in ranked:
        if any(
            k.entity != h.entity
            and k.start <= h.start
            and h.end <= k.end
            and (k.end - k.start) > (h.end - h.start)
            or k.entity != h.entity
            and (k.start, k.end) == (h.start, h.end)
            and k.score >= h.score
            for k in kept
        ):
            continue
        kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end, h.entity))


class Detector:
    """Finds entities in batches of string values. Holds no knowledge of where they came from."""

    def __init__(
        self,
        entities: tuple[str, ...] | list[str] | None = None,
        min_score: float = 0.5,
        entity_min_scores: dict[str, float] | None = None,
        disabled_filters: tuple[str, ...] = (),
        allow_list: list[str] | None = None,
        custom: CustomRules | None = None,
    ):
        self.custom = custom or CustomRules()
        self.entities = set(entities) if entities else set(supported_entities()) | set(self.custom.entities)
        self.min_score = min_score
        self.entity_min_scores = dict(entity_min_scores or {})
        self.allow_list = [str(v) for v in allow_list or []]
        self._allowed: dict[str, frozenset[str]] = {}
        self.gates = prefilter.gates_for(self.entities) + self.custom.gates
        self.filters = frozenset(filters.FILTERS) - set(disabled_filters)
        self.stats = {"values": 0, "candidates": 0, "ner": 0}

    @cached_property
    def analyzer(self):
        from pdscan.detectors.analyzer import build_analyzer

        return build_analyzer()

    def threshold(self, entity: str) -> float:
        return self.entity_min_scores.get(entity, self.min_score)

    def allowed(self, entity: str, value: str) -> bool:
        """On the user's allow list (compared in the entity's normalized form)."""
        if not self.allow_list:
            return False
        if entity not in self._allowed:
            self._allowed[entity] = frozenset(normalize(entity, v) for v in self.allow_list)
        return normalize(entity, value) in self._allowed[entity]

    def _hit(self, index, entity, start, end, score, detector, text) -> Hit | None:
        if self.allowed(entity, text):
            return None
        return Hit(index, entity, start, end, score, detector, text, is_test_value(entity, text))

    def detect(self, values: pa.Array, context: list[str] | None = None, field: str | None = None) -> list[Hit]:
        """Hits for every value of `values` (a string array), ordered by value index.

        `field` is the column name or JSON path the values share, if any: its words are
        context for Presidio, and it can classify cells by itself (`lname` -> PERSON).
        """
        if len(values) == 0:
            return []
        if values.type != pa.string():
            values = values.cast(pa.string())
        if field is not None and context is None:
            context = columns.tokens(field) or None
        per_value: dict[int, list[Hit]] = {}
        if field is not None:
            detector = "ColumnNameHint" if columns.hinted_entity(field) else "NameList"
            for h in columns.hint_hits(field, values, self.entities):
                if h.score < self.threshold(h.entity):
                    continue
                hit = self._hit(h.index, h.entity, 0, len(h.text), h.score, detector, h.text)
                if hit:
                    per_value.setdefault(h.index, []).append(hit)
        self._detect(values, context, field, per_value)
        out: list[Hit] = []
        for index in sorted(per_value):
            out.extend(_resolve(per_value[index]))
        return out

    def _detect(self, values: pa.Array, context, field, per_value: dict[int, list[Hit]]) -> None:
        self.stats["values"] += len(values)
        no_person = columns.excludes_person(field)
        texts, owner, offset = self._segments(values)
        masks = prefilter.candidates(texts, self.gates)
        any_mask = np.zeros(len(texts), dtype=bool)
        for m in masks.values():
            any_mask |= m
        picked = np.flatnonzero(any_mask)
        if len(picked) == 0:
            return
        self.stats["candidates"] += len(picked)
        picked_texts = texts.take(pa.array(picked)).to_pylist()
        ner_gates = [g for g in self.gates if g.ner]
        needs_ner = np.zeros(len(texts), dtype=bool)
        for g in ner_gates:
            needs_ner |= masks[g.name]
        ner_positions = [i for i, seg in enumerate(picked) if needs_ner[seg]]
        self.stats["ner"] += len(ner_positions)
        engine = self.analyzer.nlp_engine
        artifacts = dict(zip(ner_positions, engine.with_ner(picked_texts[i] for i in ner_positions)))
        for pos, seg in enumerate(picked):
            text = picked_texts[pos]
            wanted = set()
            for g in self.gates:
                if masks[g.name][seg]:
                    wanted |= g.entities
            wanted &= self.entities
            if no_person:
                wanted.discard("PERSON")
            if not wanted:
                continue
            nlp_artifacts = artifacts.get(pos) or engine.tokens_only(text)
            results = self.analyzer.analyze(
                text,
                language="en",
                entities=sorted(wanted),
                nlp_artifacts=nlp_artifacts,
                context=context,
                score_threshold=0.0,
                ad_hoc_recognizers=self.custom.recognizers or None,
            )
            base = int(offset[seg])
            value_index = int(owner[seg])
            for r in results:
                if r.entity_type not in self.entities or r.score < self.threshold(r.entity_type):
                    continue
                # A span touching a cut edge is whole in the neighbouring window.
                if (r.start == 0 and base > 0) or (r.end == len(text) and len(text) == WINDOW):
                    continue
                if r.entity_type in WORD_ENTITIES:
                    r.start, r.end = _trim_to_words(text, r.start, r.end)
                    if r.start >= r.end:
                        continue
                detector = (r.recognition_metadata or {}).get("recognizer_name", "presidio")
                if filters.rejected_by(r.entity_type, text, r.start, r.end, self.filters, detector):
                    continue
                hit = self._hit(
                    value_index, r.entity_type, base + r.start, base + r.end, r.score, detector, text[r.start : r.end]
                )
                if hit:
                    per_value.setdefault(value_index, []).append(hit)

    def _segments(self, values: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """Cut values longer than WINDOW into overlapping windows (owner index, offset)."""
        lengths = pc.utf8_length(values).fill_null(0).to_numpy(zero_copy_only=False)
        n = len(values)
        if lengths.max(initial=0) <= WINDOW:
            return values, np.arange(n), np.zeros(n, dtype=np.int64)
        texts: list[str | None] = []
        owner: list[int] = []
        offset: list[int] = []
        long_ones = set(np.flatnonzero(lengths > WINDOW).tolist())
        for i in range(n):
            if i not in long_ones:
                texts.append(values[i].as_py())
                owner.append(i)
                offset.append(0)
                continue
            value = values[i].as_py()
            for start in _windows(len(value)):
                texts.append(value[start : start + WINDOW])
                owner.append(i)
                offset.append(start)
        return pa.array(texts, pa.string()), np.array(owner), np.array(offset, dtype=np.int64)
