"""PERSON from name lists: runs of capitalized words that start with a known given name, or follow
an honorific ("Mrs. Labrie"), and names the small spaCy model calls organizations or places.

spaCy's small English model misses many names, above all non-English ones, and labels some as ORG
("Tomomi Nishiyama lives at ..."). Faker's name lists of every locale (pdscan.detectors.names)
fill the gap:

- "Ella H. Snider", "Johannes Varvio": a known given name, then capitalized words or initials;
- "Mr. Quinn", "Dr Adomo": any capitalized word after an honorific;
- "Scott" alone: only when spaCy also saw an entity there and the name is no everyday word.

A run that continues into a company or street word ("Hall Orchestra", "Kevin Street") or sits in
a "Barnett, Melton and Garcia" firm name is not a person.
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from pdscan.detectors import nameevidence
from pdscan.detectors.filters import NAME_LIST, follows_name_intro, is_firm_or_place
from pdscan.detectors.names import COMMON_WORDS, is_given_name, is_known_name, is_surname
from pdscan.detectors.prefilter import Gate

ENTITY = "PERSON"
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")  # letters, inner apostrophes and hyphens
_PARTICLES = frozenset("van von der den de del della da di du le la ten ter bin al el dos das".split())
_HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir madam dame mister".split())
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "EVENT", "PRODUCT", "LANGUAGE", "LAW"})
# Where NER named something else, evidence alone does not make a person ("Microsoft said")
_OTHER_LABELS = frozenset({*_NOT_PERSON_LABELS, "ORG", "WORK_OF_ART"})
_BY = re.compile(r"(?i)\bby:?\s+$")
_RELATION_AFTER = re.compile(
    r"['’]s (?:kid|kids|son|daughter|wife|husband|mother|mom|father|dad|brother|sister|friend|boss|children)\b"
)


class PersonNameRecognizer(LocalRecognizer):
    READS_NLP = True  # spaCy's entities (which it defers to) and their labels
    ENTITIES = [ENTITY]
    FULL = 0.75  # given name + a listed name, or introduced ("Mrs. Labrie", "my name is Key")
    SHAPED = 0.6  # given name + unknown word; First X. Last; one given name spaCy also marked, or a speaker
    SURNAME_LAST = 0.4  # unknown word + listed surname: context ("contact", "customer") lifts it
    GIVEN_ALONE = 0.4  # below the default threshold: a column of given names is told by its name or its share
    CONTEXT = [
        "name", "named", "contact", "customer", "employee", "patient", "signed", "dear", "beneficiary", "kid", "son", "daughter", "wife", "husband", "mother", "mom", "father", "dad", "brother", "sister",
        "friend", "boss", "colleague", "said", "asked", "told", "called", "shouted", "met", "spoke", "talked",
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="PersonNameRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if ENTITY not in entities:
            return []
        ner_spans = {(e.start_char, e.end_char) for e in getattr(nlp_artifacts, "entities", None) or ()}
        doc = getattr(nlp_artifacts, "tokens", None)
        # spaCy's other labels (all of them, before Presidio's mapping): "Sunday" is a DATE, "France" a GPE
        not_people = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ()) if e.label_ in _NOT_PERSON_LABELS]
        named = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ()) if e.label_ in _OTHER_LABELS]
        found: dict[tuple[int, int], float] = {}
        for run in _runs(text):
            placed = any(s < run[-1][1] and run[0][0] < e for s, e in not_people)
            if placed and not follows_name_intro(text, run[0][0]):
                continue  # "Sunday", "France"; but "call me Csanád" whatever the model calls it
            if 1 < len(run) <= 3 and nameevidence.is_strong_title(run[0][2]):
                run = run[1:]  # "Producer Vilhjálmur Georgsson", "President Obama": the title is no part of the name
            score = self._score(text, run, ner_spans)
            if not score and not any(s < run[-1][1] and run[0][0] < e for s, e in named):
                score = self._evidence_alone(text, run)
            if score:
                found[run[0][0], run[-1][1]] = score
        vocab = getattr(doc, "vocab", None)
        lower = [*_lowercase_titled(text, vocab), *_lowercase_speakers(text, vocab)]
        lower = [(span, score) for span, score, unlisted in lower if not (unlisted and _overlaps(span, named))]
        for span, score in [*_name_lists(text), *_lowercase_introduced(text), *lower]:
            found[span] = max(found.get(span, 0.0), score)
        people = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ()) if e.label_ == "PERSON"]
        for span in _later_mentions(text, [*(k for k, v in found.items() if v >= self.GIVEN_ALONE + 0.1), *people]):
            found[span] = max(found.get(span, 0.0), self.SHAPED)
        return [self._result(start, end, score) for (start, end), score in sorted(found.items())]

    def _score(self, text: str, run: list[tuple[int, int, str]], ner_spans: set[tuple[int, int]]) -> float:
        start, end = run[0][0], run[-1][1]
        words = [w for _, _, w in run]
        if is_firm_or_place(text, start, end, words):
            return 0.0
        if follows_name_intro(text, start):
            return self.FULL
        names = [w for w in words if len(w) > 1]
        if not names or any(w.casefold() in STOP_WORDS for w in names):
            return 0.0  # "Carry Me Back To Canada"
        first, last = names[0], names[-1]
        common = first.casefold() in COMMON_WORDS
        given = is_given_name(first)
        if len(names) == 1:
            if not given or common or text[start - 1 : start] == "/" or text[end : end + 1] == "/":
                return 0.0
            speaker = (start == 0 or text[:start].isspace()) and text[end : end + 1] in (":", ",")
            relation = _RELATION_AFTER.match(text, end)
            if (start, end) in ner_spans or speaker or relation or nameevidence.has_evidence(text, start, end):
                return self.SHAPED
            return self.GIVEN_ALONE  # "Love", "Peace": a given name somewhere, nothing here says so
        if given and (is_surname(last) or is_given_name(last) and not common):
            return self.FULL  # "Lily Nolan", though a lily is a flower
        initial = len(words) == 3 and len(words[1]) == 1
        if given and initial:
            return self.FULL  # "Shane M Culp"
        if not common and (given or initial):
            return self.SHAPED
        if is_surname(last) and last.casefold() not in COMMON_WORDS:
            alone = not text[:start].strip(" >-*•\t") and not text[end:].strip(" .\t")
            return self.SHAPED if alone else self.SURNAME_LAST  # a line that is only "Maha Cazares"
        if _BY.search(text[max(0, start - 8) : start]):
            return self.SHAPED  # "directed by Arquímedes Ballesteros"
        return 0.0

    def _evidence_alone(self, text: str, run: list[tuple[int, int, str]]) -> float:
        """A run no list knows and NER did not mark, when the words around it say it is a person:
        "my kid Selma", "coach Dantonio", "Enrico shouted at Gary", `Alice: "Who are you?"`."""
        start, end = run[0][0], run[-1][1]
        words = [w for _, _, w in run if w not in _PARTICLES]
        if len(words) > 2 or any(len(w) < 2 or not nameevidence.may_be_name_word(w) for w in words):
            return 0.0
        if any(len(part) < 2 for w in words for part in w.split("-")):
            return 0.0  # "B-person" (a tag), "X-ray": the parts of a hyphenated name are words ("Jean-Luc")
        if is_firm_or_place(text, start, end, words) or nameevidence.is_said_to_be_thing_or_place(text, start, end):
            return 0.0
        return self.SHAPED if nameevidence.has_strong_evidence(text, start, end) else 0.0

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        explanation = AnalysisExplanation(self.name, score, textual_explanation="name list")
        result = RecognizerResult(ENTITY, start, end, score, explanation)
        result.recognition_metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return result


_CONTRACTION = re.compile(r"['’](?:m|ll|ve|d|re|t)$", re.I)


def _is_name_word(word: str) -> bool:
    """Title case ("Snider", "O'Neil", "Jeknić") or a one-letter initial; not "I'm" or "It'll"."""
    return word[0].isupper() and (len(word) == 1 or not word.isupper()) and not _CONTRACTION.search(word)


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of name-shaped words joined by one space (an initial's dot allowed, particles inside).

    A possessive ends a run ("Szczepańska's" -> "Szczepańska"); an honorific does not start one.
    """
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []  # particles waiting for a following name word
    for m in _WORD.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], end - 2
        gap = text[(pending or current)[-1][1] : start] if current else ""
        joined = (
            gap.isspace() and len(gap) <= 4 and "\n" not in gap or gap == ". " and len((pending or current)[-1][2]) == 1
        )
        if word.casefold() in _HONORIFICS:
            word = ""
        if word and _is_name_word(word) and len(current) < 5:
            if not joined and current:
                runs.append(current)
                current = []
            current += (pending if joined else []) + [(start, end, word)]
            pending = []
        elif word and joined and word in _PARTICLES and len(pending) < 2:
            pending.append((start, end, word))
        else:
            if current:
                runs.append(current)
            current, pending = [], []
        if end != m.end():  # a possessive
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return [_drop_leading_stop_words(r) for r in runs]


def _drop_leading_stop_words(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "The Steffen Mauer version", "Why is Rebecca": a sentence's first word is capitalized too."""
    while len(run) > 1 and run[0][2].casefold() in STOP_WORDS:
        run = run[1:]
    return run


_LOWER_INTRO = re.compile(r"(?i)\b(?:my name is|name:|named|call(?:s|ed)? me)[ \t]+(?=[^\W\d_])")
_LOWER_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*\.?")


def _lowercase_introduced(text: str):
    """ "my name is lena andersson", "name: hyuuma t. maida": up to three words a name list knows."""
    for m in _LOWER_INTRO.finditer(text):
        words = []
        pos = m.end()
        while len(words) < 3:
            w = _LOWER_WORD.match(text, pos)
            if not w or w.group().rstrip(".").casefold() in STOP_WORDS:
                break
            words.append(w)
            pos = w.end()
            gap = re.match(r"[ \t]+", text[pos:])
            if not gap:
                break
            pos += gap.end()
        if words and not words[0].group()[0].isupper():  # capitalized runs are handled above
            first, last = words[0].group().rstrip("."), words[-1].group().rstrip(".")
            if is_given_name(first) or len(words) > 1 and is_surname(last):
                yield (words[0].start(), words[-1].end() - words[-1].group().endswith(".")), PersonNameRecognizer.FULL


def _lowercase_titled(text: str, vocab=None):
    """ "coach bielsa", "my wife cath": a name in lower case after a title or a relation; with the
    third item True when no list holds it (then the vocabulary must not know it either)."""
    for m in nameevidence.LOWER_AFTER_TITLE.finditer(text):
        first, second = m.group("first"), m.group("second")
        listed = _lower_name_word(first, vocab)
        if listed is None:
            continue
        end = m.end("first")
        if second and (is_surname(second) or _unknown_word(second, vocab)) and nameevidence.may_be_name_word(second):
            end = m.end("second")  # "coach marcelo bielsa"
        yield (m.start("first"), end), PersonNameRecognizer.SHAPED, not listed


def _lowercase_speakers(text: str, vocab=None):
    """ "bielsa said", "at the club, okonkwo told me": the word beginning a clause, then a speech verb."""
    for m in nameevidence.LOWER_BEFORE_SPEECH.finditer(text):
        listed = _lower_name_word(m.group("first"), vocab)
        if listed is not None:
            yield m.span("first"), PersonNameRecognizer.SHAPED, not listed


def _lower_name_word(word: str, vocab) -> bool | None:
    """True: a listed name; False: a word neither the lists nor spaCy's vocabulary know; None: no name."""
    if not nameevidence.may_be_name_word(word) or nameevidence.is_verb(word):
        return None  # "president said", "my brother works"
    if is_known_name(word):
        return True
    return False if _unknown_word(word, vocab) else None


def _unknown_word(word: str, vocab) -> bool:
    """No vector in the medium model's vocabulary: 96% of the lower-case words of WNUT-17's posts
    that pass may_be_name_word have one ("class", "office", "parking"), 18% of the lists' names do
    (docs/accuracy.md). Without the model's vocabulary nothing is unknown. Longer than 15 letters it is
    a user name run together ("datjayycarterkidd asked"), not a surname."""
    return vocab is not None and 3 <= len(word) <= 15 and not vocab.has_vector(word.casefold())


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in others)


def _later_mentions(text: str, people: list[tuple[int, int]]):
    """ "Lisa Okafor won. Later Okafor thanked her team": the surname of a full mention, alone elsewhere."""
    spans = set(people)
    for start, end in people:
        words = text[start:end].split()
        if len(words) < 2 or len(words[-1]) < 3 or not _is_name_word(words[-1]):
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(words[-1])}(?!\w)", text):
            if not any(s <= m.start() < e for s, e in spans):
                yield m.start(), m.end()


def _name_lists(text: str):
    """Every item of "Efimiya, Mary, Ariana, Isabel, Teresa and Jodi" when most items are listed names.

    Three surnames not introduced by a colon are a firm ("Barnett, Melton and Garcia"), not people.
    """
    for m in NAME_LIST.finditer(text):
        items = [(w.start(), w.end(), w.group()) for w in _WORD.finditer(m.group())]
        items = [(m.start() + s, m.start() + e, w) for s, e, w in items if w not in ("and",)]
        if not all(_is_name_word(w) for _, _, w in items) or is_firm_or_place(text, *items[0][:2]):
            continue
        known = sum((is_given_name(w) or is_surname(w)) and w.casefold() not in COMMON_WORDS for _, _, w in items)
        if known * 3 >= len(items) * 2:
            for s, e, _ in items:
                yield (s, e), PersonNameRecognizer.SHAPED


RECOGNIZERS = [PersonNameRecognizer]
GATES = (
    # two capitalized words in a row, or a capitalized word after an honorific
    Gate(
        "person_name.words",
        r"\p{Lu}\p{Ll}+\.? +\p{Lu}|(?i:\b(?:mr|mrs|ms|miss|dr|prof)\.? +)\p{Lu}|^\s*\p{Lu}\p{Ll}+[:,]"
        r"|(?i:\bmy name is|\bname:|\bnamed|\bcall(?:s|ed)? me)\s+\p{L}"
        r"|(?i:\b(?:mr|mrs|ms|dr|prof|coach|president|senator|governor|mayor|uncle|aunt|auntie)|\b(?:my|his|her|our|your|their) (?:"
        + nameevidence.KIN
        + r"))\s+\p{Ll}",
        frozenset({ENTITY}),
        needs="A S n4|U L [:,] n3",
    ),
    # "bielsa said": a lower-case word beginning the value or a clause, then a speech verb. In a pass
    # of its own: within the one above it made loghub's lines 40% slower (CPU), alone 0.005 s a pass.
    Gate(
        "person_name.lower_speaker",
        r"(?:^|[.,;:!?][ \t]+)[ \t]*\p{Ll}+[ \t]+(?i:" + nameevidence.SPEECH_VERBS + r")\b",
        frozenset({ENTITY}),
        alone=True,
        needs="A S n4",
    ),
)
