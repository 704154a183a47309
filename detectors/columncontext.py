"""Presidio's `analyze` on a cell whose only context word is in its column's name.

A cell of an `email` or `card_number` column holds no context word of its own, but the column
name is context (`AnalyzerEngine.analyze(..., context=["card", "number"])`): Presidio's enhancer
reads the words around each result in the cell's tokens, finds no supportive one, then finds one
in the context it was given and raises the score. Where the cell holds none of its recognizers'
context words, that outcome depends on the recognizer and the column name only, so it is worked
out once per column (`boosted`) and each cell's results are raised as Presidio's
`LemmaContextAwareEnhancer` raises them: + the similarity factor, at least the minimum score with
context, at most 1.0; a result its recognizer already raised is left alone. The recognizers,
their order, the spaCy output they read, the duplicate removal and the metadata are Presidio's
(`lean.analyze` for pattern recognizers). `tests/detectors/test_columncontext.py` compares it
with `analyze` itself.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult


def applies(recognizers) -> bool:
    """None of these recognizers raises scores by context itself (Presidio's default does nothing)."""
    return all(type(r).enhance_using_context is EntityRecognizer.enhance_using_context for r in recognizers)


def boosted(recognizers, context: list[str], enhancer) -> frozenset[str]:
    """Ids of the recognizers whose context words the column name's words hold, matched as the enhancer matches."""
    words = [w.lower() for w in context or ()]
    whole = enhancer.context_matching_mode == "whole_word"

    def supported(own: str) -> bool:
        own = own.lower()
        return any(own == w if whole else own in w for w in words)

    return frozenset(r.id for r in recognizers if r.context and any(supported(c) for c in r.context))


def analyze(
    text: str, entities: list[str], recognizers, ids: frozenset[str], enhancer, nlp_artifacts=None
) -> list[RecognizerResult]:
    """What `AnalyzerEngine.analyze(text, entities, context=..., nlp_artifacts=...)` returns when
    only the context raises scores, for the recognizers `ids` (from `boosted`). `nlp_artifacts`:
    spaCy's output, for recognizers that read it (names, organizations); the enhancer never needs it here."""
    from pdscan.detectors import lean

    factor, floor = enhancer.context_similarity_factor, enhancer.min_score_with_context_similarity
    results = []
    for recognizer in recognizers:
        for result in lean.run(recognizer, text, entities, nlp_artifacts):
            metadata = result.recognition_metadata
            if recognizer.id in ids and not metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                result.score = min(max(result.score + factor, floor), EntityRecognizer.MAX_SCORE)
            results.append(result)
    return EntityRecognizer.remove_duplicates([r for r in results if r.score >= 0.0])
