"""Presidio's PatternRecognizer.analyze without its per-call overhead, for the many short values of logs.

The same patterns, flags, time-out, validation, invalidation, scores and duplicate removal as
`PatternRecognizer._PatternRecognizer__analyze_patterns`; without the two clock reads, the debug
logging and the explanation text built for every call (a third of its time on log lines, where a
recognizer is called once per line). A recognizer that overrides `analyze` takes part only through
`refine(text, results)`, the work it does after the patterns (pdscan's own recognizers).
"""

from __future__ import annotations

import copy
import re as stdre

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS
from presidio_analyzer.predefined_recognizers import IpRecognizer

_HEX_GROUPS = re.compile(r"(?:[0-9A-Fa-f]{1,4}:){6}")


def _ipv6_possible(text: str) -> bool:
    """Every alternative of Presidio's IPv6 patterns holds "::" or six hex groups, each with its colon."""
    return "::" in text or text.count(":") >= 6 and _HEX_GROUPS.search(text) is not None


# A dotted quad that `ipaddress.ip_interface` takes (octets of at most 255 without leading zeros, a
# prefix of at most 32): what Presidio's IpRecognizer.invalidate_result would parse to say so.
_PLAIN_IPV4 = stdre.compile(
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?:/(?:3[0-2]|[12]?\d))?",
    stdre.ASCII,
)


def _plain_ipv4(text: str) -> bool:
    return _PLAIN_IPV4.fullmatch(text) is not None


# Matches known to be valid without the recognizer's own check, by its (not overridden) invalidate_result.
SURELY_VALID = {IpRecognizer.invalidate_result: _plain_ipv4}


# Text a pattern cannot match without, checked first: the pattern itself costs 30-90 µs a log line.
PREREQUISITES = {
    ("IpRecognizer", name): _ipv6_possible for name in ("IPv6", "IPv4_embedded", "IPv4_mapped", "IPv6_unspecified")
}


# RE2 patterns that match wherever a costly pattern could (lookarounds dropped or read as a
# character before, every letter Python's case-insensitive [a-z] takes): one pass over a batch
# says where the pattern need not run. A bare domain needs a label at a free position (not after
# a word character or . @ / : -), a dot, and at least two letters of a top-level domain.
_LETTER = "a-z\\x{130}\\x{131}\\x{17F}\\x{212A}"
_LABEL = f"[{_LETTER}0-9](?:[{_LETTER}0-9\\-]{{0,61}}[{_LETTER}0-9])?"
SUPERSETS = {
    ("WebUrlRecognizer", "URL (bare domain)"): f"(?i)(?:^|[^\\w.@/:\\-]){_LABEL}\\.(?:{_LABEL}\\.)*[{_LETTER}]{{2}}",
}


def absent(values: pa.Array) -> dict[tuple[str, str], np.ndarray]:
    """For each (recognizer, pattern) of SUPERSETS: where in `values` it cannot match."""
    return {
        key: ~pc.match_substring_regex(values, pattern).fill_null(False).to_numpy(zero_copy_only=False)
        for key, pattern in SUPERSETS.items()
    }


# A segment as spaCy's tokenizer cuts a text: blanks opening the text, a run of non-blank
# characters, the blanks after it (Python's \\s is str.isspace, as spaCy's).
_SEGMENT = stdre.compile(r"(?:^\s+)?\S+\s*")


def run(recognizer, text: str, entities: list[str], nlp_artifacts=None, skip: frozenset = frozenset()) -> list:
    """One recognizer's results on `text` (its patterns run directly where `supported`), each with
    the recognizer's id and name in its metadata, as AnalyzerEngine.analyze leaves them."""
    if supported(recognizer):
        found = analyze(recognizer, text, skip)
    else:
        found = recognizer.analyze(text=text, entities=entities, nlp_artifacts=nlp_artifacts)
    results = list(found or ())
    for result in results:
        metadata = result.recognition_metadata or {}
        metadata.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recognizer.id)
        metadata.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, recognizer.name)
        result.recognition_metadata = metadata
    return results


def supported(recognizer) -> bool:
    """Runs here with the same results as its own `analyze`."""
    if not isinstance(recognizer, PatternRecognizer) or getattr(recognizer, "deny_list", None):
        return False
    return type(recognizer).analyze is PatternRecognizer.analyze or hasattr(recognizer, "refine")


def analyze(recognizer: PatternRecognizer, text: str, skip: frozenset = frozenset()) -> list[RecognizerResult]:
    """The recognizer's results; `skip`: (recognizer, pattern) names known not to match `text` (`absent`)."""
    flags = recognizer.global_regex_flags
    name, entity = recognizer.name, recognizer.supported_entities[0]
    metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id}
    results = []
    surely_valid = SURELY_VALID.get(type(recognizer).invalidate_result)
    for pattern in recognizer.patterns:
        prerequisite = PREREQUISITES.get((name, pattern.name))
        if prerequisite is not None and not prerequisite(text) or skip and (name, pattern.name) in skip:
            continue
        if not pattern.compiled_regex or pattern.compiled_with_flags != flags:
            pattern.compiled_with_flags = flags
            pattern.compiled_regex = re.compile(pattern.regex, flags=flags)
        try:
            for match in pattern.compiled_regex.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                if start == end:
                    continue
                current = text[start:end]
                validation = recognizer.validate_result(current)
                score = pattern.score
                if validation is not None:
                    score = EntityRecognizer.MAX_SCORE if validation else EntityRecognizer.MIN_SCORE
                if not (surely_valid and surely_valid(current)) and recognizer.invalidate_result(current):
                    score = EntityRecognizer.MIN_SCORE
                if score <= EntityRecognizer.MIN_SCORE:
                    continue
                explanation = AnalysisExplanation(
                    recognizer=name,
                    original_score=pattern.score,
                    pattern_name=pattern.name,
                    pattern=pattern.regex,
                    validation_result=validation,
                    regex_flags=flags,
                )
                explanation.score = score
                results.append(RecognizerResult(entity, start, end, score, explanation, dict(metadata)))
        except TimeoutError:
            continue  # as Presidio does: the pattern is skipped
    if len(results) > 1:
        results = EntityRecognizer.remove_duplicates(results)
    refine = getattr(recognizer, "refine", None)
    return refine(text, results) if refine else results


# ---- context words, decided without Presidio's tokens ---------------------------------------


class ContextCheck:
    """Whether Presidio's context enhancer could change a value's results, and the tokens it reads.

    The enhancer (whole-word mode, as pdscan's analyzer sets it) raises a result of a recognizer
    only when one of the lower-cased spaCy tokens of the value (or a ':' piece of one) equals a
    context word of that recognizer. It looks a few keywords back and forward from the result, but
    skipping stop words and punctuation it can reach any token of the value: so any token counts
    here. spaCy's tokenizer cuts each segment of a value (a run of non-blank characters and the
    blanks after it) on its own: the same tokens cut alone or inside the value (checked on loghub,
    mixed-log, WNUT and synth lines, tests/detectors/test_lean.py). So only the segments that hold
    a context word as a substring are tokenized, each distinct segment once, and a value's tokens
    for the enhancer are its segments' tokens put together (`artifacts`).
    """

    CACHE = 200_000

    def __init__(self, engine) -> None:
        self._engine = engine
        self._tokenizer = engine.nlp["en"].tokenizer
        self._segments: dict[str, tuple[tuple[int, int, str], ...]] = {}
        self._words: dict = {}

    def _context_words(self, key, context) -> tuple:
        """The words in lower case, and a pattern that finds them inside any text (None: no words)."""
        if key not in self._words:
            words = frozenset(w.lower() for w in context or ())
            alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            self._words[key] = (words, re.compile(f"(?i){alternation}") if words else None)
        return self._words[key]

    def _segment_tokens(self, segment: str) -> tuple[tuple[int, int, str], ...]:
        """(offset, length, lower-case text) of each token of one segment."""
        found = self._segments.get(segment)
        if found is None:
            if len(self._segments) > self.CACHE:
                self._segments.clear()
            found = tuple((t.idx, len(t.text), t.lower_) for t in self._tokenizer(segment))
            self._segments[segment] = found
        return found

    def artifacts(self, text: str) -> NlpArtifacts:
        """What NerOnlySpacyEngine.tokens_only gives the enhancer (token offsets, lengths, lemmas, keywords), from the segments."""
        indices, tokens, lemmas = [], [], []
        for m in _SEGMENT.finditer(text):
            base = m.start()
            for offset, length, lower in self._segment_tokens(m.group()):
                indices.append(base + offset)
                tokens.append(text[base + offset : base + offset + length])
                lemmas.append(lower)
        return NlpArtifacts([], tokens, indices, lemmas, self._engine, "en", [])

    def has_token(self, text: str, words: frozenset[str], pattern) -> bool:
        """One of `words` (lower case) is a token of `text`; `pattern` finds them as substrings."""
        for m in pattern.finditer(text):
            start, end = m.span()
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            if not text[:start].strip():
                start = 0  # blanks that open the value belong to its first segment
            while end < len(text) and not text[end].isspace():
                end += 1
            while end < len(text) and text[end].isspace():
                end += 1
            tokens = self._segment_tokens(text[start:end])
            if any(lower in words or ":" in lower and words.intersection(lower.split(":")) for _, _, lower in tokens):
                return True
        return False

    def lacks_tokens(self, values, where, gate) -> np.ndarray:
        """Among the values `where` marks, those where no context word of `gate` is a token."""
        words, pattern = self._context_words(("gate", gate.name), gate.context)
        out = np.zeros(len(values), dtype=bool)
        picked = np.flatnonzero(where)
        for i, text in zip(picked, values.take(pa.array(picked)).to_pylist()):
            out[i] = not self.has_token(text, words, pattern)
        return out

    def may_enhance(self, text: str, results, recognizers) -> bool:
        """A result whose recognizer's context word is a token of `text` (or a result of an unknown recognizer)."""
        by_id = {r.id: r for r in recognizers}
        seen = set()
        for result in results:
            key = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY)
            recognizer = by_id.get(key)
            if recognizer is None:
                return True
            if key in seen:
                continue
            seen.add(key)
            words, pattern = self._context_words(recognizer.id, recognizer.context)
            if pattern is not None and self.has_token(text, words, pattern):
                return True
        return False

    def boosted(self, text: str, results, recognizers, enhancer) -> list | None:
        """What `enhancer` (Presidio's, whole-word mode) makes of `results` where the segments near each
        result settle it: no context word of its recognizer among the value's tokens (unchanged), or one
        at most five tokens before the result's own token (raised, as the enhancer raises it). None
        where neither holds: the enhancer must read the value's tokens."""
        by_id = {r.id: r for r in recognizers}
        out = []
        for result in results:
            metadata = result.recognition_metadata or {}
            recognizer = by_id.get(metadata.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            if recognizer is None:
                return None
            words, pattern = self._context_words(recognizer.id, recognizer.context)
            if (
                pattern is None
                or metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY)
                or not self.has_token(text, words, pattern)
            ):
                out.append(result)
                continue
            if not self._word_just_before(text, result.start, words):
                return None
            raised = copy.copy(result)
            raised.analysis_explanation = copy.copy(result.analysis_explanation)
            raised.recognition_metadata = dict(metadata)
            raised.score += enhancer.context_similarity_factor
            raised.score = max(raised.score, enhancer.min_score_with_context_similarity)
            raised.score = min(raised.score, ContextAwareEnhancer.MAX_SCORE)
            out.append(raised)
        return out

    def _word_just_before(self, text: str, start: int, words: frozenset[str]) -> bool:
        """A keyword token equal to one of `words` among the five tokens before the one holding `start`, or
        that token itself (the enhancer walks back from it collecting six keywords: these are among them)."""
        tokens = []  # the tokens of the segment holding `start` and of the one before, with offsets in `text`
        segments = [m for m in _SEGMENT.finditer(text, 0, start + 1)][-2:]
        for m in segments:
            end = m.end()
            if m is segments[-1]:
                end = _SEGMENT.match(text, m.start()).end()  # the whole segment, not cut at `start`
            segment = text[m.start() : end]
            tokens += [(m.start() + o, n, lower) for o, n, lower in self._segment_tokens(segment)]
        at = next((i for i, (idx, n, _) in enumerate(tokens) if idx == start or start < idx + n), None)
        if at is None:
            return False
        for _, _, lower in tokens[max(0, at - 5) : at + 1]:
            if lower in words and ":" not in lower and not self._engine.is_stopword(lower, "en"):
                if not self._engine.is_punct(lower, "en") and lower not in ("-pron-", "be"):
                    return True
        return False
