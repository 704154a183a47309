"""STREET_ADDRESS: a street line (number, name, street type) and what follows it (unit, city, state, postcode).

US street lines are confirmed by usaddress's labels (its USPS street-type table drives the search too);
other countries' lines by their street words (Rua, Via, -strasse, -vej, utca ...) before a house number.
A street line with a known street type or street word is reported alone (`10932 Bigge Rd`, a whole cell
of an address column, or `Villacher Strasse 89` in prose); weaker ones ("10 Data Center", "20789 Allika 46")
need a unit, a city, a state or postcode after them, or a word such as "address" or "lives". PO boxes,
US military lines (`PSC 1234, Box 5678`, `APO AE 09012`: files are read line by line) and street corners
have forms of their own. No spaCy NER is used, so the gates need no NER run.
"""

from __future__ import annotations

import re
from functools import lru_cache

import usaddress
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers.address_tail import extend
from pdscan.detectors.recognizers.address_words import (
    CONNECTORS,
    CORNER,
    DIRECTIONS,
    GLUED_TYPES,
    LOWER_PRE,
    MILITARY,
    MILITARY_LINE,
    PO_BOX,
    POST_TYPES,
    PRE_TYPES,
    SEP,
    STOP,
    TOKEN,
    UK_TYPES,
    UNIT,
    UNIT_BEFORE,
    UNIT_SET,
    UNIT_WORDS,
    US_TYPES,
    WEAK_GLUED,
    WEAK_TYPES,
    YEAR,
    bare_word,
    is_name,
    is_number,
    lower_case_street,
    lower_street_word,
    lower_word,
    name_word,
    sentence_period,
)

ENTITY = "STREET_ADDRESS"


class StreetAddressRecognizer(LocalRecognizer):
    """Street lines found token by token, confirmed by usaddress (US) or street words (elsewhere), then extended."""

    ENTITIES = [ENTITY]
    CONTEXT = [
        "address", "addresses", "addr", "street", "lives", "live", "lived", "living", "resides", "reside",
        "residence", "located", "location", "ship", "shipping", "shipped", "deliver", "delivery", "mail", "mailing",
        "billing", "home", "office", "moved", "send", "sent", "visit",
    ]  # fmt: skip
    BOX_SCORE, MILITARY_SCORE, MILITARY_LINE_SCORE, CORNER_SCORE = 0.5, 0.75, 0.6, 0.55
    WHOLE_VALUE_SCORE = 0.5  # a cell that is nothing but a street line with a known street type
    MAX_SCORE = 0.95

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="StreetAddressRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if ENTITY not in entities:
            return []
        found = [*self._street_lines(text), *self._fixed_forms(text)]
        kept: list[tuple[int, int, float, str]] = []
        for start, end, score, why in sorted(found, key=lambda f: (-f[2], f[0] - f[1])):
            if not any(s < end and start < e for s, e, _, _ in kept):
                kept.append((start, end, score, why))
        return [self._result(*k) for k in sorted(kept)]

    def _street_lines(self, text: str):
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        lower = any(lower_street_word(t[2]) for t in tokens)  # lower-case street names only beside such a word
        i = 0
        while i < len(tokens):
            line = _street_at(text, tokens, i, lower)
            if not line:
                i += 1
                continue
            first, last, score, why = line
            start, end = tokens[first][0], tokens[last][1] - sentence_period(tokens[last][2])
            end, evidence = extend(text, end)
            before = UNIT_BEFORE.search(text, max(0, start - 32), start)
            if before:  # a unit before the street line: "Flat 3, 27 Alder Rise", "Suite 913 0547 Bygget 91"
                start, evidence = before.start(), evidence + _UNIT_BEFORE_EVIDENCE
            elif first > 0 and is_number(tokens[first - 1][2]) and not text[tokens[first - 1][1] : start].strip(" \t"):
                start = tokens[first - 1][0]  # a second number before the street line: "17151 2450 Crown St"
            score += evidence
            if why != "plain" and not evidence and not text[:start].strip() and not text[end:].strip(" .,"):
                score = max(score, self.WHOLE_VALUE_SCORE)
            yield start, end, min(score, self.MAX_SCORE), why
            i = last + 1
            while i < len(tokens) and tokens[i][0] < end:
                i += 1

    def _fixed_forms(self, text: str):
        for m in MILITARY.finditer(text):
            yield m.start(), m.end(), self.MILITARY_SCORE, "military"
        for m in MILITARY_LINE.finditer(text):
            yield m.start(), m.end(), self.MILITARY_LINE_SCORE, "military"
        for m in PO_BOX.finditer(text):
            end, evidence = extend(text, m.end())
            yield m.start(), end, min(self.BOX_SCORE + evidence, self.MAX_SCORE), "po box"
        for m in CORNER.finditer(text):
            second = _name_prefix(m.group(2))
            if _street_words(m.group(1)) and second:
                yield m.start(), m.start(2) + len(second), self.CORNER_SCORE, "corner"

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        explanation = AnalysisExplanation(self.name, score, textual_explanation=f"street address ({why})")
        result = RecognizerResult(ENTITY, start, end, score, explanation)
        result.recognition_metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return result


# Base scores of street lines, by kind: a known street type or street word makes one, a bare name does not.
# a street word English also uses ("12 Avenue Road", "5 Route Planners") is weaker than "29 Rue de Tanger"
_US, _WEAK_US, _PRE_TYPE = (0.5, "us"), (0.35, "us"), (0.45, "street word")
_LOWER_US = (0.3, "us")  # "3747 fourth avenue suite 112": a lower-case street line needs a unit or context
_FOREIGN, _WEAK_FOREIGN, _PLAIN = (0.5, "street word"), (0.4, "street word"), (0.2, "plain")
# "number Name number" with a unit beside it: two numbers and a unit make an address ("19902 Dobrovského 1394 Apt. 066")
_PLAIN_UNIT = (0.3, "plain")
_UNIT_BEFORE_EVIDENCE = 0.2


def _street_at(text: str, tokens, i: int, lower: bool):
    """(first, last token, base score, kind) of a street line starting at token i, else None."""
    n = len(tokens)

    def same_line(a: int, b: int) -> bool:
        """No line break or comma between tokens a and b: one street line."""
        gap = text[tokens[a][1] : tokens[b][0]]
        return "\n" not in gap and "," not in gap

    def names_from(j: int, limit: int = 6) -> int:
        """The end (exclusive) of the run of street-name words starting at token j, on one line."""
        k = j
        while k < n and k - j < limit and (k == j or same_line(k - 1, k)) and name_word(tokens[k][2]):
            k += 1
        return k

    def lower_names_from(j: int, limit: int) -> int:
        """As names_from, lower-case words too: beside a street word no English text uses."""
        k = j
        while k < n and k - j < limit and same_line(k - 1, k) and (name_word(tokens[k][2]) or lower_word(tokens[k][2])):
            k += 1
        return k

    tok = tokens[i][2]
    first = i
    if is_number(tok):
        # number first, street type last: "10932 Bigge Rd", "1600 Pennsylvania Avenue NW"
        j = i + 1
        if j < n and same_line(i, j) and bare_word(tokens[j][2]) in DIRECTIONS:
            j += 1
        end = names_from(j) if j < n and same_line(i, j) else j
        more = end < n and (end == j or same_line(end - 1, end)) and lower_word(tokens[end][2])
        for lowered, stop in ((False, end), (True, lower_names_from(j, 6) if more and same_line(i, j) else end)):
            if lowered and (stop == end or bare_word(tokens[j][2]) in PRE_TYPES):  # "688 rue du centre 320": below
                break
            for k in range(stop - 1, j, -1):
                word = bare_word(tokens[k][2])
                if word not in US_TYPES:
                    continue
                last = k + 1 if k + 1 < n and same_line(k, k + 1) and bare_word(tokens[k + 1][2]) in DIRECTIONS else k
                street = tuple(t[2] for t in tokens[i : last + 1])
                line = street + tuple(
                    t[2] for x, t in enumerate(tokens[last + 1 : last + 8], last + 1) if same_line(last, x)
                )
                if _usaddress_confirms(street, len(street)) or _usaddress_confirms(line, len(street)):
                    kind = _LOWER_US if lowered else _WEAK_US if word in WEAK_TYPES else _US
                    return i, last, *kind
                if (
                    not lowered and word in UK_TYPES and all(is_name(t[2]) for t in tokens[j:k])
                ):  # usaddress: no "Close"
                    return i, last, *_WEAK_US
        # number first, street word first: "95 Avenue des Tuileries" (or "3247 Rua Igreja 25", below)
        if j < n and same_line(i, j) and bare_word(tokens[j][2]) in LOWER_PRE:
            end = max(end, lower_names_from(j + 1, 4))  # "26 rue des lieutemants Thomazo"
        while end > j + 1 and bare_word(tokens[end - 1][2]) in CONNECTORS:
            end -= 1  # "688 rue du", not a street: a name follows the connector
        if j < end and bare_word(tokens[j][2]) in PRE_TYPES and end > j + 1:
            dated = tokens[j][2].islower() and YEAR.fullmatch(tokens[j - 1][2].rstrip(",."))  # "2024 via UPS"
            if not dated and not (end < n and same_line(end - 1, end) and is_number(tokens[end][2])):
                return i, end - 1, *(_FOREIGN if bare_word(tokens[j][2]) in LOWER_PRE else _PRE_TYPE)
        if i + 1 >= n or not same_line(i, i + 1):
            return None
        i += 1
    # name first, house number last: "Rua do Arenque 1634", "Bundesstrasse 31", "Erzsébet tér 19."
    word = tokens[i][2]
    if not is_name(word) and bare_word(word) not in PRE_TYPES and not (lower and lower_word(word)):
        return None
    k = names_from(i)
    if k == i or k >= n or not same_line(k - 1, k) or not is_number(tokens[k][2]):
        if not lower:
            return None
        k = lower_names_from(i + 1, 4)
        if k >= n or not same_line(k - 1, k) or not is_number(tokens[k][2]):
            return None
        if not lower_case_street([bare_word(t[2]) for t in tokens[i:k]]):
            return None
        if text[tokens[k][1] : tokens[k][1] + 1] in ("%", "/", ":") or "-" in tokens[k][2]:
            return None
        return first, k, *_FOREIGN
    number = tokens[k][2].rstrip(".")
    if text[tokens[k][1] : tokens[k][1] + 1] in ("%", "/", ":") or "-" in number:
        return None
    words = [bare_word(t[2]) for t in tokens[i:k]]
    if words[0] in UNIT_SET:
        return None
    if bare_word(tokens[i][2]) in PRE_TYPES and len(words) > 1:
        return first, k, *_FOREIGN
    post = [w for w in words[1:] if w in POST_TYPES]
    if post:
        return first, k, *(_WEAK_FOREIGN if all(w in WEAK_GLUED for w in post) else _FOREIGN)
    glued = [g for w in words for g in GLUED_TYPES if w.endswith(g) and len(w) >= len(g) + 3]
    if glued:
        return first, k, *(_WEAK_FOREIGN if all(g in WEAK_GLUED for g in glued) else _FOREIGN)
    if words[-1] in US_TYPES and len(words) > 1:
        return first, k, *_WEAK_US
    # a bare "Name 12" needs a number before it ("20789 Allika 46") or a unit after it ("Allika 46, Suite 501")
    lead = first < i or i > 0 and is_number(tokens[i - 1][2]) and same_line(i - 1, i)
    unit = UNIT.match(text, SEP.match(text, tokens[k][1]).end()) or UNIT_BEFORE.search(
        text, max(0, tokens[first][0] - 32), tokens[first][0]
    )
    if not unit and (not lead or YEAR.fullmatch(number)):
        return None
    return first, k, *(_PLAIN_UNIT if unit and lead else _PLAIN)


@lru_cache(maxsize=4096)
def _usaddress_confirms(line: tuple[str, ...], size: int) -> bool:
    """usaddress reads the first `size` tokens of the line as house number, street name and street type."""
    try:
        labels = [label for _, label in usaddress.parse(" ".join(line))][:size]
    except Exception:  # noqa: BLE001 - the CRF tagger can raise on odd input
        return False
    return (
        len(labels) == size
        and labels[0] == "AddressNumber"
        and set(labels) <= _STREET_LABELS
        and ("StreetNamePostType" in labels[-2:] or "StreetNamePreType" in labels)
    )


_STREET_LABELS = frozenset(
    {"AddressNumber", "AddressNumberSuffix", "StreetNamePreDirectional", "StreetNamePreModifier", "StreetNamePreType",
     "StreetName", "StreetNamePostType", "StreetNamePostDirectional"}
)  # fmt: skip


def _street_words(phrase: str) -> bool:
    """A street of a corner: capitalized words, street words and numbers, no everyday words."""
    words = phrase.split()
    return (
        0 < len(words) <= 6
        and (is_name(words[0]) or is_number(words[0]) or bare_word(words[0]) in PRE_TYPES)
        and not any(bare_word(w) in STOP for w in words)
    )


def _name_prefix(phrase: str) -> str:
    """The leading run of name words (and numbers) of a phrase: the second street of a corner."""
    out = []
    for word in phrase.split()[:6]:
        if not (name_word(word) or is_number(word)) or (out and bare_word(word) in STOP):
            break
        out.append(word)
    while out and bare_word(out[-1]) in CONNECTORS:
        out.pop()
    text = " ".join(out)
    return text if out and phrase.startswith(text) else ""


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


RECOGNIZERS = [StreetAddressRecognizer]
_B = r"(?:^|[^\p{L}\p{N}])"  # RE2's \b knows only ASCII letters: "út", "Λεωφόρος"
_NAME = r"(?:\p{Lu}|\d{1,3}(?:st|nd|rd|th)\b)"
GATES = (
    # a house number, a capitalized name, a street type: "10932 Bigge Rd", "1600 Pennsylvania Avenue NW"
    Gate(
        "street_address.us",
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?{_NAME}\S*\s+(?:\S+\s+){{0,4}}(?i:{_alternation(US_TYPES)})(?:$|[^\p{{L}}])",
        frozenset({ENTITY}),
        alone=True,
        needs="d1 S A n5",
    ),
    # a street word and a house number: "Rua do Arenque 1634", "Bundesstrasse 31", "Erzsébet tér 19."
    Gate(
        "street_address.foreign",
        rf"(?i){_B}(?:{_alternation(PRE_TYPES)})\.?\s+\S+(?:\s+\S+){{0,4}}?\s+\d{{1,5}}\b"
        rf"|(?i)\b\d{{1,6}}\s+(?:{_alternation(PRE_TYPES)})\.?\s+\p{{L}}"
        rf"|(?i)(?:\p{{L}}(?:{_alternation(g.rstrip('.') for g in GLUED_TYPES)})|{_B}(?:{_alternation(POST_TYPES)}))"
        r"\.?\s+\d{1,5}\b",
        frozenset({ENTITY}),
        alone=True,
        needs="A S d1 n4",
    ),
    # a unit and its number ("Apt 4B"), a PO box, a military address, or "20789 Allika 46". (Not "a number,
    # then a unit within 60 characters": RE2 cannot count characters after every digit in its DFA, and
    # fell back to 2 MB/s on German text.)
    Gate(
        "street_address.forms",
        rf"(?i)\b(?:{UNIT_WORDS})\b\.?\s*#?\d|(?i)\bP\.?\s?O\.?\s*Box\s+\d|(?i)\b[AFD]PO\s+A[AEP]\s+\d{{5}}"
        r"|(?i)\b(?:PSC|CMR|Unit)\s+\d{1,5},?\s+Box\s+\d|(?-i:(?:^|[\s,>])\d{1,6}\s+\p{Lu}\p{Ll}+(?:\s+\S+){0,3}?\s+\d{1,5}\b)",
        frozenset({ENTITY}),
        alone=True,
        needs="A d1 n4",
    ),
    # a street corner: small, so it shares a pass with the other word gates
    Gate("street_address.corner", r"(?i)\bcorner\s+of\s+\S", frozenset({ENTITY}), needs="A S n11"),
)
