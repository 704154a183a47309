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
from faker.providers.address.en import Provider as _EnglishAddresses
from faker.providers.address.en_US import Provider as _UsAddresses
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from pdscan.detectors.prefilter import Gate

ENTITY = "STREET_ADDRESS"

# British street types missing from the USPS table.
UK_TYPES = frozenset("close rise parade esplanade embankment wynd vale".split())
# USPS suffixes that are everyday words ("10 Data Center", "3 Easy Way" still pass with a unit or a city).
WEAK_TYPES = (
    frozenset(
        "center centre club park point station union key run pass path walk view camp forest lake river hill hills "
        "green mill well wells fork land light lights port mount mountain spring springs field fields garden gardens "
        "estate estates island islands isle harbor haven heights valley ridge shore shores creek beach bluff cape "
        "corner corners course cove crest crossing glen grove lodge manor meadow meadows mission orchard plain plains "
        "point points radial ramp ranch rapid rapids rest row spur square stream summit trace track trail trailer "
        "tunnel vista village villages ville ways allee".split()
    )
    | UK_TYPES
)
US_TYPES = frozenset(usaddress.STREET_NAMES) | {"street", "streets"} | UK_TYPES
# Street words of other countries: before the name (Rua ...), after it (... utca), or glued to it (...strasse).
PRE_TYPES = frozenset(
    "rua rue via viale vicolo piazza piazzale corso largo strada calle c/ carrer avenida avda avinguda av avenue "
    "paseo passeig plaza praça praca travessa estrada alameda rambla camino chemin boulevard bd allée impasse quai "
    "place route ul ulica aleja plac ulitsa prospekt λεωφόρος λ οδός πλατεία πάροδος".split()
)
POST_TYPES = frozenset(
    "utca u út tér körút köz sétány rkp ulica cesta trg tee iela gatve str terrasse allé alle caddesi sokak "
    "strasse straße gasse weg platz allee vej gade gata gate gatan vägen veien vegen katu tie kuja straat laan".split()
)
GLUED_TYPES = (
    "strasse", "straße", "str.", "gasse", "weg", "platz", "allee", "damm", "ufer", "vej", "gade", "stræde",
    "gatan", "vägen", "gata", "gate", "gränd", "veien", "vegen", "katu", "tie", "kuja", "polku", "straat",
    "laan", "plein", "gracht", "dreef", "kade", "steeg", "braut", "stræti", "straeti", "torget", "bakken", "stien",
)  # fmt: skip
# Street words that are also everyday words or endings ("Gate 23", "Watergate", "Brigade", "necktie").
WEAK_GLUED = frozenset({"gate", "gade", "tee", "weg", "kade"})
CONNECTORS = frozenset(
    "de do da dos das del dei della delle degli di la le les des du van von der den het ter e y i al el "
    "am an im zum zur auf nad pod na of the".split()
)
DIRECTIONS = frozenset(usaddress.DIRECTIONS) | {"n.", "s.", "e.", "w."}
UNIT_WORDS = r"apt|apartment|suite|ste|unit|room|rm|floor|fl|bldg|building|dept|flat|piso"
UNIT_SET = frozenset(UNIT_WORDS.split("|"))
COUNTRIES = frozenset(c.lower() for c in _EnglishAddresses.countries) | {"usa", "united states", "uk"}
STATES = frozenset(s.lower() for s in _UsAddresses.states)

_TOKEN = re.compile(r"[\w#][^\s,;:()\"<>?!]*")
_NUM = re.compile(r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?\.?")
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)\.?", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SEP = re.compile(r"[ \t]*,?[ \t]*(?:\n[ \t>?*•\-]*,?[ \t]*)*")
_UNIT = re.compile(rf"(?:(?i:{UNIT_WORDS})\.?[ \t]*#?[ \t]*|#[ \t]?)[A-Za-z]?\d{{1,5}}[A-Za-z]?\b")
_POSTCODE = re.compile(
    r"\d{5}(?:-\d{4})?\b|[A-Z]\d[A-Z] ?\d[A-Z]\d\b|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\d{4} ?[A-Z]{2}\b|\d{4,6}\b"
)
_POSTCODE_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:" + _POSTCODE.pattern + ")")
_STATE = re.compile(r"[A-Z]{2}\b")
_PLACE = re.compile(r"[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,3}")
# US military mail: "PSC 1234, Box 5678" or "Unit 1234 Box 5678" or a ship, over "APO AE 09012".
_MILITARY_BOX = r"(?:PSC|CMR|Unit)[ \t]+\d{1,5},?[ \t]+Box[ \t]+\d{1,5}"
_MILITARY_POST = r"[AFD]PO[ \t]+A[AEP][ \t]+\d{5}"
_MILITARY = re.compile(
    rf"(?i)\b(?:{_MILITARY_BOX}|(?:USNS|USNV|USS|USCGC)[ \t]+\w[\w'\-]*(?:[ \t]\w[\w'\-]*)?)\s*,?\s*{_MILITARY_POST}\b"
)
_MILITARY_LINE = re.compile(rf"(?i)\b(?:{_MILITARY_BOX}|{_MILITARY_POST})\b")  # one line of it, as a file has it
_PO_BOX = re.compile(r"\b(?i:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box)[ \t]+\d{1,6}\b")
_CORNER = re.compile(r"\b(?i:the[ \t]+)?(?i:corner)[ \t]+of[ \t]+([^\n,?!;]{3,60}?)[ \t]+and[ \t]+([^\n,?!;]{3,60})")


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
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        i = 0
        while i < len(tokens):
            line = _street_at(text, tokens, i)
            if not line:
                i += 1
                continue
            first, last, score, why = line
            start, end = tokens[first][0], tokens[last][1] - _sentence_period(tokens[last][2])
            if first > 0 and _is_number(tokens[first - 1][2]) and "\n" not in text[tokens[first - 1][1] : start]:
                start = tokens[first - 1][0]  # a second number before the street line: "17151 2450 Crown St"
            end, evidence = _extend(text, end)
            score += evidence
            if why != "plain" and not evidence and not text[:start].strip() and not text[end:].strip(" .,"):
                score = max(score, self.WHOLE_VALUE_SCORE)
            yield start, end, min(score, self.MAX_SCORE), why
            i = last + 1
            while i < len(tokens) and tokens[i][0] < end:
                i += 1

    def _fixed_forms(self, text: str):
        for m in _MILITARY.finditer(text):
            yield m.start(), m.end(), self.MILITARY_SCORE, "military"
        for m in _MILITARY_LINE.finditer(text):
            yield m.start(), m.end(), self.MILITARY_LINE_SCORE, "military"
        for m in _PO_BOX.finditer(text):
            end, evidence = _extend(text, m.end())
            yield m.start(), end, min(self.BOX_SCORE + evidence, self.MAX_SCORE), "po box"
        for m in _CORNER.finditer(text):
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
_US, _WEAK_US, _PRE_TYPE = (0.5, "us"), (0.35, "us"), (0.45, "street word")
_FOREIGN, _WEAK_FOREIGN, _PLAIN = (0.5, "street word"), (0.4, "street word"), (0.2, "plain")
# What follows a street line adds to its score: a unit most, then city, state, postcode, country.
_UNIT_EVIDENCE, _PART_EVIDENCE = 0.2, 0.1


def _is_number(tok: str) -> bool:
    return bool(_NUM.fullmatch(tok))


def _sentence_period(tok: str) -> int:
    """1 if the token's final '.' ends a sentence rather than an abbreviation ("Street.", "NW.", not "St.")."""
    word = tok[:-1]
    return int(tok.endswith(".") and not word[:1].isdigit() and (len(word) > 4 or len(word) > 1 and word.isupper()))


def _word(tok: str) -> str:
    return tok.lower().rstrip(".")


def _is_name(tok: str) -> bool:
    """A capitalized word or an ordinal such as 63rd."""
    if _ORDINAL.fullmatch(tok):
        return True
    if tok[:2].lower() in ("d'", "l'", "d’", "l’"):  # Avenue d'Ouchy
        tok = tok[2:]
    return tok[:1].isalpha() and tok[:1].isupper() and _word(tok) not in _STOP


_STOP = frozenset("a an and at by for from in into is it on or to with was were be are i you we he she they my".split())


def _street_at(text: str, tokens, i: int):
    """(first, last token, base score, kind) of a street line starting at token i, else None."""
    n = len(tokens)

    def same_line(a: int, b: int) -> bool:
        """No line break or comma between tokens a and b: one street line."""
        gap = text[tokens[a][1] : tokens[b][0]]
        return "\n" not in gap and "," not in gap

    def names_from(j: int, limit: int = 6) -> int:
        """The end (exclusive) of the run of street-name words starting at token j, on one line."""
        k = j
        while k < n and k - j < limit and (k == j or same_line(k - 1, k)) and _name_word(tokens[k][2]):
            k += 1
        return k

    tok = tokens[i][2]
    first = i
    if _is_number(tok):
        # number first, street type last: "10932 Bigge Rd", "1600 Pennsylvania Avenue NW"
        j = i + 1
        if j < n and same_line(i, j) and _word(tokens[j][2]) in DIRECTIONS:
            j += 1
        end = names_from(j) if j < n and same_line(i, j) else j
        for k in range(end - 1, j, -1):
            word = _word(tokens[k][2])
            if word in US_TYPES:
                last = k + 1 if k + 1 < n and same_line(k, k + 1) and _word(tokens[k + 1][2]) in DIRECTIONS else k
                street = tuple(t[2] for t in tokens[i : last + 1])
                line = street + tuple(
                    t[2] for x, t in enumerate(tokens[last + 1 : last + 8], last + 1) if same_line(last, x)
                )
                if _usaddress_confirms(street, len(street)) or _usaddress_confirms(line, len(street)):
                    return i, last, *(_WEAK_US if word in WEAK_TYPES else _US)
        # number first, street word first: "95 Avenue des Tuileries" (or "3247 Rua Igreja 25", below)
        if j < end and _word(tokens[j][2]) in PRE_TYPES and end > j + 1:
            dated = tokens[j][2].islower() and _YEAR.fullmatch(tokens[j - 1][2].rstrip(",."))  # "2024 via UPS"
            if not dated and not (end < n and same_line(end - 1, end) and _is_number(tokens[end][2])):
                return i, end - 1, *_PRE_TYPE
        if i + 1 >= n or not same_line(i, i + 1):
            return None
        i += 1
    # name first, house number last: "Rua do Arenque 1634", "Bundesstrasse 31", "Erzsébet tér 19."
    if not _is_name(tokens[i][2]) and _word(tokens[i][2]) not in PRE_TYPES:
        return None
    k = names_from(i)
    if k == i or k >= n or not same_line(k - 1, k) or not _is_number(tokens[k][2]):
        return None
    number = tokens[k][2].rstrip(".")
    if text[tokens[k][1] : tokens[k][1] + 1] in ("%", "/", ":") or "-" in number:
        return None
    words = [_word(t[2]) for t in tokens[i:k]]
    if words[0] in UNIT_SET:
        return None
    if _word(tokens[i][2]) in PRE_TYPES and len(words) > 1:
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
    lead = first < i or i > 0 and _is_number(tokens[i - 1][2]) and same_line(i - 1, i)
    unit = _UNIT.match(text, _SEP.match(text, tokens[k][1]).end())
    if not unit and (not lead or _YEAR.fullmatch(number)):
        return None
    return first, k, *_PLAIN


def _name_word(tok: str) -> bool:
    word = _word(tok)
    if word in UNIT_SET:
        return False
    return _is_name(tok) or word in CONNECTORS or word in POST_TYPES or _word(tok) in PRE_TYPES


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


def _extend(text: str, end: int) -> tuple[int, float]:
    """Grow an address past its street line: unit, city, state, postcode, country. Returns (end, evidence)."""
    evidence = 0.0
    lines = 0
    while True:
        sep = _SEP.match(text, end)
        pos, gap, comma = sep.end(), sep.group().count("\n"), "," in sep.group()
        if pos >= len(text) or gap > 2 or lines + gap > 4:
            return end, evidence
        rest = text[pos : pos + 80]
        n, gain = _part_at(rest, gap, comma, evidence)
        if not n:
            return end, evidence
        end, evidence, lines = pos + n, evidence + gain, lines + gap


def _part_at(rest: str, gap: int, comma: bool, evidence: float) -> tuple[int, float]:
    """Length and evidence of the address part at the start of `rest` (0 if none)."""
    m = _UNIT.match(rest)
    if m:
        return m.end(), _UNIT_EVIDENCE
    n = _country_at(rest)
    if n:
        pc = _POSTCODE_AFTER.match(rest, n)
        return (pc.end(), 2 * _PART_EVIDENCE) if pc else (n, _PART_EVIDENCE)
    m = _STATE.match(rest)
    n = m.end() if m else _state_name_at(rest)
    if n and (gap or comma or evidence):
        pc = _POSTCODE_AFTER.match(rest, n)
        if pc:
            return pc.end(), 2 * _PART_EVIDENCE
        if _line_ends(rest, n):
            return n, _PART_EVIDENCE
    m = _POSTCODE.match(rest)
    if m and (gap or comma or evidence):
        return m.end(), _PART_EVIDENCE
    m = _PLACE.match(rest)
    if m and gap < 2 and (gap or comma or evidence) and _looks_like_name(m.group()):
        n = m.end()
        follow = rest[_SEP.match(rest, n).end() :]
        ends = _line_ends(rest, n) and (gap or not follow or rest[n : n + 1] in ".?!")
        if ends or _STATE.match(follow) or _POSTCODE.match(follow) or _country_at(follow):
            return n, _PART_EVIDENCE
    return 0, 0.0


def _line_ends(rest: str, n: int) -> bool:
    return not rest[n:].split("\n", 1)[0].strip(" \t.?!")


def _country_at(rest: str) -> int:
    words = rest.split("\n", 1)[0].split()
    for size in (3, 2, 1):
        if len(words) >= size and " ".join(words[:size]).rstrip(".,?!").lower() in COUNTRIES:
            return rest.index(words[size - 1]) + len(words[size - 1].rstrip(".,?!"))
    return 0


def _state_name_at(rest: str) -> int:
    words = rest.split("\n", 1)[0].split()
    for size in (2, 1):
        if len(words) >= size and " ".join(words[:size]).rstrip(".,").lower() in STATES:
            return rest.index(words[size - 1]) + len(words[size - 1].rstrip(".,"))
    return 0


def _looks_like_name(phrase: str) -> bool:
    words = phrase.split()
    return 0 < len(words) <= 6 and _is_name(words[0]) and all(_name_word(w) or _is_number(w) for w in words)


def _street_words(phrase: str) -> bool:
    """A street of a corner: capitalized words, street words and numbers, no everyday words."""
    words = phrase.split()
    return (
        0 < len(words) <= 6
        and (_is_name(words[0]) or _is_number(words[0]) or _word(words[0]) in PRE_TYPES)
        and not any(_word(w) in _STOP for w in words)
    )


def _name_prefix(phrase: str) -> str:
    """The leading run of name words (and numbers) of a phrase: the second street of a corner."""
    out = []
    for word in phrase.split()[:6]:
        if not (_name_word(word) or _is_number(word)) or (out and _word(word) in _STOP):
            break
        out.append(word)
    while out and _word(out[-1]) in CONNECTORS:
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
    ),
    # a street word and a house number: "Rua do Arenque 1634", "Bundesstrasse 31", "Erzsébet tér 19."
    Gate(
        "street_address.foreign",
        rf"(?i){_B}(?:{_alternation(PRE_TYPES)})\.?\s+\S+(?:\s+\S+){{0,4}}?\s+\d{{1,5}}\b"
        rf"|(?i)\b\d{{1,6}}\s+(?:{_alternation(PRE_TYPES)})\.?\s+\p{{L}}"
        rf"|(?i)(?:\p{{L}}(?:{_alternation(g.rstrip('.') for g in GLUED_TYPES)})|{_B}(?:{_alternation(POST_TYPES)}))"
        r"\.?\s+\d{1,5}\b",
        frozenset({ENTITY}),
    ),
    # a unit after a number, a PO box, a military address, a street corner, or "20789 Allika 46"
    Gate(
        "street_address.forms",
        rf"(?i)\d\b.{{0,60}}\b(?:{UNIT_WORDS})\b\.?\s*#?\d|(?i)\bP\.?\s?O\.?\s*Box\s+\d|(?i)\b[AFD]PO\s+A[AEP]\s+\d{{5}}"
        r"|(?i)\b(?:PSC|CMR|Unit)\s+\d{1,5},?\s+Box\s+\d"
        r"|(?i)\bcorner\s+of\s+\S|(?:^|[\s,>])\d{1,6}\s+\p{Lu}\p{Ll}+(?:\s+\S+){0,3}?\s+\d{1,5}\b",
        frozenset({ENTITY}),
    ),
)
