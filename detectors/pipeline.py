"""Detection over a batch of values: prefilter, then Presidio on the candidates only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.core import entities
from pdscan.core.masking import normalize
from pdscan.detectors import columncontext, columns, escapes, filters, prefilter, triage
from pdscan.detectors.custom import CustomRules
from pdscan.detectors.testvalues import is_test_value


def supported_entities() -> list[str]:
    """Every registered entity (pdscan.core.entities: pdscan's own, then plugins'), in registry order."""
    return entities.names()


# Presidio never sees more than this many characters at once: long lines are cut into
# overlapping windows, so a regex or the NER model works on bounded input (a 110 KB
# token costs 60 prefilter windows, not a quadratic regex run).
WINDOW = 2000
OVERLAP = 200
# A column whose distinct values are at most this share of its cells is detected once per distinct
# value (hashing a column of unique ids would cost more than it saves).
DISTINCT_SHARE = 0.9


@dataclass(frozen=True)
class Hit:
    """One detected span inside one value of a batch. `text` is the raw value: never log it.

    `text`, `start` and `end` are the raw span; `decoded` the same span with its escapes decoded
    (pdscan.detectors.escapes), when it holds any: what masks, normalizes and fingerprints it (`value`)."""

    index: int
    entity: str
    start: int
    end: int
    score: float
    detector: str
    text: str
    test_data: bool = False
    decoded: str | None = None

    @property
    def value(self) -> str:
        """The value found, escapes decoded."""
        return self.text if self.decoded is None else self.decoded

    def at(self, index: int) -> Hit:
        """The same hit on the value at `index` (a fifth of what dataclasses.replace costs, per hit of a bundle)."""
        moved = object.__new__(Hit)
        moved.__dict__.update(self.__dict__)
        moved.__dict__["index"] = index
        return moved


def _windows(length: int) -> list[int]:
    step = WINDOW - OVERLAP
    return list(range(0, max(length - OVERLAP, 1), step))


# The specs' span rules, by their old names, read when asked: WORD_ENTITIES, entities NER finds as
# word spans (punctuation at their edges, "> Alma Jensen", is not part of them; word_spans);
# CONTAINERS, entities whose span is a whole structure (what lies inside one is part of it, not a
# finding of its own: a "name" inside a user agent, digits inside a URL or an email; container);
# CARRIED, (container, entity) pairs where the entity is personal data of its own inside it (the
# e-mail address in `/account/verify?email=ana@example.org` is the person's, whatever URL it came
# in; carries).
_TABLES = {"WORD_ENTITIES": entities.word_entities, "CONTAINERS": entities.containers, "CARRIED": entities.carried}


def __getattr__(name: str):
    if name in _TABLES:
        return _TABLES[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Within one value: drop exact repeats, and spans inside a stronger span or a container span."""
    best: dict[tuple[int, int, str], Hit] = {}
    for h in hits:
        key = (h.start, h.end, h.entity)
        if key not in best or h.score > best[key].score:
            best[key] = h
    containers, carried = entities.containers(), entities.carried()
    ranked = sorted(best.values(), key=lambda h: (h.entity not in containers, -h.score, h.start - h.end))
    kept: list[Hit] = []
    for h in ranked:
        if any(
            k.entity != h.entity
            and (k.entity, h.entity) not in carried
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


def _ner_windows(text: str, log: bool, wanted: set[str], by_ner: set[str], context_ner: list) -> list[tuple[int, int]]:
    """Where spaCy's NER runs on a value; PERSON leaves `wanted` where nothing in a log line can be a name.

    Prose: the whole value, where a NER gate asked for it. A log line: windows around its
    name-shaped words and after the context words of the NER gates that matched (an organization
    counts only after its context word), so NER skips the line's vocabulary and runs on words that
    repeat from line to line (pdscan.detectors.triage).
    """
    if not log:
        return [(0, len(text))] if by_ner else []
    found = []
    if "PERSON" in wanted:
        found = triage.name_windows(text)
        if not found and not triage.introduced(text):
            wanted.discard("PERSON")  # no name-shaped word: neither NER nor the name lists can find one
    for gate in context_ner:
        if gate.entities & wanted:
            found += triage.context_windows(text, triage.context_pattern(gate.context))
    return triage.merged(found)


def _reads_tokens(recognizer) -> bool:
    """A recognizer that reads spaCy's output (NER entities, tokens); pattern recognizers read the text only."""
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    return isinstance(recognizer, SpacyRecognizer) or getattr(recognizer, "READS_NLP", False)


def _reads_entities_only(recognizer) -> bool:
    """A recognizer whose results come from spaCy's NER entities alone: with none, it finds nothing."""
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    return type(recognizer).analyze is SpacyRecognizer.analyze or getattr(recognizer, "READS_NLP", None) == "entities"


def _deduplicated(results: list) -> list:
    """Presidio's remove_duplicates, which leaves a single result with a score as it is."""
    from presidio_analyzer import EntityRecognizer

    if len(results) < 2:
        return [r for r in results if r.score != 0]
    return EntityRecognizer.remove_duplicates(results)


def _raw_without_tokens(text: str, wanted: frozenset[str], recognizers, skip: frozenset = frozenset()) -> list:
    """The recognizers' own results, with their ids, before context and duplicate removal; `skip`:
    patterns that cannot match `text` (pdscan.detectors.lean.absent)."""

    from pdscan.detectors import lean

    entities = sorted(wanted)
    return [result for recognizer in recognizers for result in lean.run(recognizer, text, entities, None, skip)]


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
        self.order = prefilter.GateOrder()  # which gates seldom match, learned over this detector's life
        self.filters = frozenset(filters.FILTERS) - set(disabled_filters)
        self.stats = {"values": 0, "candidates": 0, "ner": 0, "presidio": 0, "enhanced": 0}
        self._plans: dict[tuple[frozenset[str], bool], tuple[list, bool, str]] = {}
        self._ner_cache: dict[str, tuple] = {}
        self._field_plans: dict[tuple, bool] = {}
        self._boosts: dict[tuple, tuple[frozenset[str]] | None] = {}

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

    def _hit(self, index, entity, start, end, score, detector, text, decoded: str | None = None) -> Hit | None:
        value = text if decoded is None else decoded
        if self.allowed(entity, value):
            return None
        return Hit(index, entity, start, end, score, detector, text, is_test_value(entity, value), decoded)

    def prime(self, arrays: list[pa.Array]) -> prefilter.Primed:
        """The gates' masks of a record batch's columns, computed together once: pass it to
        `detect` for those columns (or slices of them) while the batch is scanned."""
        return prefilter.prime(arrays, self.gates, self.order)

    def detect(
        self,
        values: pa.Array,
        context: list[str] | None = None,
        field: str | None = None,
        parts=None,
        primed: prefilter.Primed | None = None,
    ) -> list[Hit]:
        """Hits for every value of `values` (a string array), ordered by value index.

        `field` is the column name or JSON path the values share, if any: its words are
        context for Presidio, and it can classify cells by itself (`lname` -> PERSON).
        `parts`: where each column starts when `values` holds several columns of that name one
        after another (small files detected together): column-wide rules judge each apart.
        `primed`: the gates' masks of the record batch `values` belongs to (`prime`), if made.
        """
        if len(values) == 0:
            return []
        if values.type != pa.string():
            values = values.cast(pa.string())
        if field is not None and context is None:
            context = columns.context_words(field) or None
        per_value: dict[int, list[Hit]] = {}
        given = values
        values, decoded = escapes.view(values)  # from here on, escaped values are read decoded
        if field is not None:
            detector = "ColumnNameHint" if columns.hinted_entity(field) else "NameList"
            for h in columns.hint_hits(field, values, self.entities, parts):
                if h.score < self.threshold(h.entity):
                    continue
                d = decoded.get(h.index)
                raw = h.text if d is None else d.raw
                hit = self._hit(h.index, h.entity, 0, len(raw), h.score, detector, raw, None if d is None else h.text)
                if hit:
                    per_value.setdefault(h.index, []).append(hit)
        primed_masks = primed.lookup(values, self.gates) if primed is not None and field is not None else None
        if field is None or not self._detect_distinct(given, context, field, per_value, primed_masks):
            self._detect(values, context, field, per_value, decoded, primed)
        out: list[Hit] = []
        for index in sorted(per_value):
            out.extend(_resolve(per_value[index]))
        return out

    def _detect_distinct(
        self, raw: pa.Array, context, field: str, per_value: dict[int, list[Hit]], primed_masks=None
    ) -> bool:
        """`_detect` on each distinct value of a column once (a plan, a status, the same note on many
        rows, a name that recurs), its hits given to every cell holding it: beyond the column-name
        hints (taken on the whole column above), a cell's hits depend on its own text and the
        column's name only. False, having done nothing, where the values hardly repeat.
        `primed_masks`: the gates' masks of the (decoded) values, taken for the distinct ones at
        their first cell, so their patterns are not compiled again."""
        if len(raw) < 2:
            return False
        encoded = pc.dictionary_encode(raw)
        if len(encoded.dictionary) > DISTINCT_SHARE * len(raw):
            return False
        distinct, decoded = escapes.view(encoded.dictionary)
        which = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        masks = None
        if primed_masks is not None:
            seen, first = np.unique(which, return_index=True)
            first = first[seen >= 0]  # every distinct value occurs, in dictionary order
            masks = {name: m[first] for name, m in primed_masks.items()}
        found: dict[int, list[Hit]] = {}
        self._detect(distinct, context, field, found, decoded, masks=masks)
        if not found:
            return True
        has_hits = np.zeros(len(distinct) + 1, dtype=bool)  # the last slot stands for nulls (-1)
        has_hits[list(found)] = True
        for position in np.flatnonzero(has_hits[which]).tolist():
            per_value.setdefault(position, []).extend(h.at(position) for h in found[int(which[position])])
        return True

    def _detect(
        self, values: pa.Array, context, field, per_value: dict[int, list[Hit]], decoded, primed=None, masks=None
    ) -> None:
        """`masks`: the gates' masks of `values`, when known (used unless long values are cut into windows)."""
        self.stats["values"] += len(values)
        no_person = columns.excludes_person(field)
        id_column = columns.names_identifiers(field)
        field_words = tuple(context or ())
        texts, owner, offset = self._segments(values)
        if masks is None or texts is not values:
            masks = prefilter.candidates(texts, self.gates, self.order, primed)
        masks = self._context_checked(texts, masks, field_words)
        any_mask = np.zeros(len(texts), dtype=bool)
        for m in masks.values():
            any_mask |= m
        picked = np.flatnonzero(any_mask)
        if len(picked) == 0:
            return
        self.stats["candidates"] += len(picked)
        picked_array = texts.take(pa.array(picked))
        picked_texts = picked_array.to_pylist()
        wanted_at: list[frozenset[str]] = []
        ner_only: dict[int, set[str]] = {}
        windowed: list[int] = []  # positions whose text goes through NER, on windows around names and context words
        windows: dict[int, list[tuple[int, int]]] = {}
        for pos, seg in enumerate(picked):
            wanted, context_ner, by_ner, by_others = set(), [], set(), set()
            for g in self.gates:
                if masks[g.name][seg]:
                    wanted |= g.entities
                    (by_ner if g.ner else by_others).update(g.entities)
                    if g.ner and g.context:
                        context_ner.append(g)
            wanted &= self.entities
            log = triage.is_log_line(picked_texts[pos])
            # in a log line, entities only NER gates asked for: where NER finds none of them, they go
            ner_only[pos] = by_ner - by_others if log else set()
            if no_person:
                wanted.discard("PERSON")
            if id_column:  # an id is no card or account unless its value says so ("card 4093...")
                wanted -= {e for e in entities.not_in_id_columns() if not self._names_itself(e, picked_texts[pos])}
            found = _ner_windows(picked_texts[pos], log, wanted, by_ner & wanted, context_ner)
            if found:
                windows[pos] = found
                windowed.append(pos)
            wanted_at.append(frozenset(wanted))
        self.stats["ner"] += len(windowed)
        engine = self.analyzer.nlp_engine
        items = [(picked_texts[i], windows[i]) for i in windowed]
        artifacts = dict(zip(windowed, engine.with_windowed_ner(items, self._ner_cache)))
        for pos in windowed:
            found = {e.label_ for e in artifacts[pos].entities} if artifacts[pos] else set()
            if ner_only[pos] - found:  # the model found none of them: no recognizer can
                wanted_at[pos] = wanted_at[pos] - (ner_only[pos] - found)
            if artifacts[pos] is None:
                del artifacts[pos]
        absent = None  # where costly patterns cannot match (lean.SUPERSETS), for all picked values at once
        for pos, seg in enumerate(picked):
            wanted = wanted_at[pos]
            if not wanted:
                continue
            text = picked_texts[pos]
            with_ner = pos in artifacts
            recognizers, needs_tokens, pattern = self._plan(wanted, with_ner)
            results = None
            field_context = self._field_context(wanted, field_words)
            if field_context and not triage.has_context(text, pattern):
                boost = self._column_boost(wanted, context)
                if boost is not None:  # only the column name's words can raise a score: Presidio's rule, applied here
                    reads = needs_tokens or with_ner
                    tokens = (artifacts.get(pos) or engine.tokens_only(text)) if reads else None
                    enhancer = self.analyzer.context_aware_enhancer
                    results = columncontext.analyze(text, sorted(wanted), recognizers, boost[0], enhancer, tokens)
            if results is None and not (needs_tokens or with_ner or field_context):
                # no recognizer reads tokens: Presidio's enhancer is all the rest, and it changes
                # nothing unless a result's own context word is a token of the value
                if absent is None:
                    from pdscan.detectors import lean

                    absent = lean.absent(picked_array)
                skip = frozenset(key for key, where in absent.items() if where[pos])
                raw = _raw_without_tokens(text, wanted, recognizers, skip)
                if self._context.may_enhance(text, raw, recognizers):
                    self.stats["enhanced"] += 1
                    enhancer = self.analyzer.context_aware_enhancer
                    results = None if context else self._context.boosted(text, raw, recognizers, enhancer)
                    if results is None:
                        results = self._enhanced(text, raw, recognizers, self._context.artifacts(text), context)
                    else:
                        results = _deduplicated([r for r in results if r.score >= 0.0])
                else:
                    results = _deduplicated(raw)
            if results is None:
                self.stats["presidio"] += 1
                results = self.analyzer.analyze(
                    text,
                    language="en",
                    entities=sorted(wanted),
                    nlp_artifacts=artifacts.get(pos) or engine.tokens_only(text),
                    context=context,
                    score_threshold=0.0,
                    ad_hoc_recognizers=self.custom.recognizers or None,
                )
            self._collect(results, text, int(offset[seg]), int(owner[seg]), per_value, decoded.get(int(owner[seg])))

    def _collect(
        self, results, text: str, base: int, value_index: int, per_value: dict[int, list[Hit]], decoded=None
    ) -> None:
        """Hits for Presidio's results on one segment; `decoded`: the value's escapes, to map spans back to the raw value."""
        for r in results:
            if r.entity_type not in self.entities or r.score < self.threshold(r.entity_type):
                continue
            # A span touching a cut edge is whole in the neighbouring window.
            if (r.start == 0 and base > 0) or (r.end == len(text) and len(text) == WINDOW):
                continue
            if r.entity_type in entities.word_entities():
                r.start, r.end = _trim_to_words(text, r.start, r.end)
                if r.start >= r.end:
                    continue
            metadata = r.recognition_metadata or {}
            detector = metadata.get("recognizer_name", "presidio")
            enabled = self.filters
            if "number_labeled_as_id" in enabled and self._own_word_before(r.entity_type, text, r.start):
                enabled = enabled - {
                    "number_labeled_as_id"
                }  # "card id 4093...", "Tax ID: 91-...": its word says what it is
            if filters.rejected_by(r.entity_type, text, r.start, r.end, enabled, detector):
                continue
            start, end, found = base + r.start, base + r.end, text[r.start : r.end]
            if decoded is None:
                hit = self._hit(value_index, r.entity_type, start, end, r.score, detector, found)
            else:
                start, end = decoded.raw_span(start, end)
                raw = decoded.raw[start:end]
                hit = self._hit(
                    value_index, r.entity_type, start, end, r.score, detector, raw, None if raw == found else found
                )
            if hit:
                per_value.setdefault(value_index, []).append(hit)

    def _context_checked(self, texts: pa.Array, masks: dict[str, np.ndarray], field_words) -> dict[str, np.ndarray]:
        """Masks without the candidates that cannot be reported: a gate's weak candidates with no
        context word of its entity in the value or the column name (one RE2 pass per such gate)."""
        out = dict(masks)
        for gate in self.gates:
            mask = masks[gate.name]
            if not gate.context or not mask.any() or triage.field_mentions(gate.context, field_words):
                continue
            if any(self.threshold(e) <= gate.weak_max for e in gate.entities):
                continue  # a threshold this low reports weak candidates without context
            weak = triage.lacks_context(texts, mask, triage.context_pattern(gate.context))
            if gate.context_tokens and (mask & ~weak).any():
                weak |= self._context.lacks_tokens(texts, mask & ~weak, gate)
            if gate.standalone and weak.any():
                weak &= triage.lacks_context(texts, weak, gate.standalone)
            out[gate.name] = mask & ~weak
        return out

    def _plan(self, wanted: frozenset[str], with_ner: bool = True) -> tuple[list, bool, str]:
        """The recognizers for these entities, whether one reads spaCy's tokens or entities, and a
        pattern of all their context words. `with_ner` False: the value has no NER entities, so
        recognizers that read nothing else are left out."""
        key = (wanted, with_ner)
        if key not in self._plans:
            recognizers = self.analyzer.registry.get_recognizers(
                language="en", entities=sorted(wanted), ad_hoc_recognizers=self.custom.recognizers or None
            )
            if not with_ner:
                recognizers = [r for r in recognizers if not _reads_entities_only(r)]
            needs_tokens = any(_reads_tokens(r) for r in recognizers)
            words = tuple(w for r in recognizers for w in (r.context or ()))
            self._plans[key] = (recognizers, needs_tokens, triage.context_pattern(words) if words else "(?!)")
        return self._plans[key]

    def _enhanced(self, text: str, raw: list, recognizers: list, artifacts, context) -> list:
        """The rest of AnalyzerEngine.analyze after its recognizers ran (their results `raw`): context
        enhancement on the value's tokens, results below the threshold of 0 dropped, duplicates removed."""
        results = self.analyzer._enhance_using_context(text, raw, artifacts, recognizers, context)
        return _deduplicated([r for r in results if r.score >= 0.0])

    @cached_property
    def _context(self):
        from pdscan.detectors import lean

        return lean.ContextCheck(self.analyzer.nlp_engine)

    def _own_word_before(self, entity: str, text: str, start: int) -> bool:
        """A context word of the entity's recognizers in the 40 characters before a match."""
        return triage.has_context(text[max(0, start - 40) : start], self._plan(frozenset({entity}))[2])

    def _names_itself(self, entity: str, text: str) -> bool:
        """A context word of the entity's recognizers anywhere in the value."""
        return triage.has_context(text, self._plan(frozenset({entity}))[2])

    def _field_context(self, wanted: frozenset[str], field_words: tuple[str, ...]) -> bool:
        if not field_words:
            return False
        key = (wanted, field_words)
        if key not in self._field_plans:
            recognizers = self._plan(wanted)[0]
            words = tuple(w for r in recognizers for w in (r.context or ()))
            self._field_plans[key] = triage.field_mentions(words, field_words)
        return self._field_plans[key]

    def _column_boost(self, wanted: frozenset[str], context) -> tuple[frozenset[str]] | None:
        """The recognizers the column name's words raise (`columncontext.boosted`), in a tuple; None
        where one of these recognizers raises scores by context itself (then Presidio's `analyze` runs)."""
        key = (wanted, tuple(context or ()))
        if key not in self._boosts:
            from pdscan.detectors.analyzer import ContextEnhancer

            recognizers = self._plan(wanted)[0]
            enhancer = self.analyzer.context_aware_enhancer  # the enhancer whose rule columncontext follows
            ok = columncontext.applies(recognizers) and type(enhancer) is ContextEnhancer
            self._boosts[key] = (columncontext.boosted(recognizers, context, enhancer),) if ok else None
        return self._boosts[key]

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
