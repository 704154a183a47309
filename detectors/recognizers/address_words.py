"""Word tables and token predicates of street addresses (pdscan.detectors.recognizers.street_address).

Street types come from usaddress (the USPS table) and Faker's English address providers (countries,
US states); other countries' street words are listed here.
"""

from __future__ import annotations

import re

import usaddress
from faker.providers.address.en import Provider as _EnglishAddresses
from faker.providers.address.en_US import Provider as _UsAddresses

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
    "rua rúa rue via viale vicolo piazza piazzale corso largo strada calle c/ carrer avenida avda avinguda av avenue "
    "paseo passeig plaza praça praca travessa estrada alameda rambla camino chemin boulevard bd allée impasse quai "
    "place route ul ulica trg aleja plac ulitsa prospekt λεωφόρος λ οδός πλατεία πάροδος".split()
)
POST_TYPES = frozenset(
    "utca u út útja tér körút köz sétány fasor rakpart rkp ulica cesta trg tee iela gatve str terrasse allé alle caddesi sokak "
    "tänav põik puiestee maantee strasse straße gasse weg platz allee vej gade gata gate gatan vägen veien vegen katu tie kuja straat laan".split()
)
GLUED_TYPES = (
    "strasse", "straße", "str.", "gasse", "weg", "platz", "allee", "damm", "ufer", "vej", "gade", "stræde",
    "gatan", "vägen", "gata", "gate", "gränd", "veien", "vegen", "katu", "tie", "kuja", "polku", "straat",
    "laan", "plein", "gracht", "dreef", "kade", "steeg", "braut", "stræti", "straeti", "torget", "bakken", "stien",
)  # fmt: skip
# Street words that are also everyday words or endings ("Gate 23", "Watergate", "Brigade", "necktie").
WEAK_GLUED = frozenset({"gate", "gade", "tee", "weg", "kade"})
# Street words no English text uses, so that lower-case names may stand beside them: "rua augusta 24",
# "hegyalja út 98", "hersnapvej 18" (not "via", "place", "route", "tee", "u": "sent via email 5").
LOWER_PRE = frozenset(
    "rua rúa rue calle carrer trg avenida avda avinguda viale vicolo piazza piazzale strada travessa estrada "
    "alameda rambla chemin allée quai ulica aleja plac ulitsa prospekt paseo passeig praça praca "
    "λεωφόρος οδός πλατεία πάροδος".split()
)
LOWER_POST = frozenset(
    "utca út útja tér körút sétány fasor rakpart ulica cesta trg iela gatve caddesi sokak tänav puiestee "
    "maantee strasse straße gasse platz vej gata gatan vägen veien vegen katu straat".split()
)
ENGLISH_LINKS = frozenset({"the", "of", "and", "a", "an"})  # "rue the day 5 times" is no street
LOWER_GLUED = (
    "strasse", "straße", "gasse", "platz", "vej", "stræde", "gatan", "vägen", "veien", "vegen", "katu", "straat", "gracht",
)  # fmt: skip
CONNECTORS = frozenset(
    "de do da dos das del dei della delle degli di la le les des du van von der den het ter e y i al el "
    "am an im zum zur auf nad pod na of the".split()
)
DIRECTIONS = frozenset(usaddress.DIRECTIONS) | {"n.", "s.", "e.", "w."}
UNIT_WORDS = r"apt|apartment|suite|ste|unit|room|rm|floor|fl|bldg|building|dept|flat|piso"
UNIT_SET = frozenset(UNIT_WORDS.split("|"))
COUNTRIES = frozenset(c.lower() for c in _EnglishAddresses.countries) | {"usa", "united states", "uk"}
STATES = frozenset(s.lower() for s in _UsAddresses.states)

TOKEN = re.compile(r"[\w#][^\s,;:()\"<>?!]*")
_NUM = re.compile(r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?\.?")
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)\.?", re.I)
YEAR = re.compile(r"(?:19|20)\d\d")
SEP = re.compile(r"[ \t]*,?[ \t]*(?:\n[ \t>?*•\-]*,?[ \t]*)*")
UNIT = re.compile(rf"(?:(?i:{UNIT_WORDS})\.?[ \t]*#?[ \t]*|#[ \t]?)[A-Za-z]?\d{{1,5}}[A-Za-z]?\b")
UNIT_BEFORE = re.compile(r"(?<!\w)" + UNIT.pattern + r"[ \t]*,?[ \t]*\Z")  # "Flat 3, " before a street line
POSTCODE = re.compile(
    r"\d{5}(?:-\d{4})?\b|[A-Z]\d[A-Z] ?\d[A-Z]\d\b|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\d{4} ?[A-Z]{2}\b|\d{4,6}\b"
)
POSTCODE_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:" + POSTCODE.pattern + ")")
STATE = re.compile(r"[A-Z]{2}\b")
# a place name: words of letters ("London", not "London SW1A": the postcode is a part of its own)
PLACE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*(?:[ \t]+[^\W\d_](?:[^\W\d_]|['’.\-])*){0,3}(?![\w])")
# US military mail: "PSC 1234, Box 5678" or "Unit 1234 Box 5678" or a ship, over "APO AE 09012".
_MILITARY_BOX = r"(?:PSC|CMR|Unit)[ \t]+\d{1,5},?[ \t]+Box[ \t]+\d{1,5}"
_MILITARY_POST = r"[AFD]PO[ \t]+A[AEP][ \t]+\d{5}"
MILITARY = re.compile(
    rf"(?i)\b(?:{_MILITARY_BOX}|(?:USNS|USNV|USS|USCGC)[ \t]+\w[\w'\-]*(?:[ \t]\w[\w'\-]*)?)\s*,?\s*{_MILITARY_POST}\b"
)
MILITARY_LINE = re.compile(rf"(?i)\b(?:{_MILITARY_BOX}|{_MILITARY_POST})\b")  # one line of it, as a file has it
PO_BOX = re.compile(r"\b(?i:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box)[ \t]+\d{1,6}\b")
CORNER = re.compile(r"\b(?i:the[ \t]+)?(?i:corner)[ \t]+of[ \t]+([^\n,?!;]{3,60}?)[ \t]+and[ \t]+([^\n,?!;]{3,60})")


def is_number(tok: str) -> bool:
    return bool(_NUM.fullmatch(tok))


def sentence_period(tok: str) -> int:
    """1 if the token's final '.' ends a sentence rather than an abbreviation ("Street.", "NW.", not "St.")."""
    word = tok[:-1]
    return int(tok.endswith(".") and not word[:1].isdigit() and (len(word) > 4 or len(word) > 1 and word.isupper()))


def bare_word(tok: str) -> str:
    return tok.lower().rstrip(".")


def is_name(tok: str) -> bool:
    """A capitalized word or an ordinal such as 63rd."""
    if _ORDINAL.fullmatch(tok):
        return True
    if tok[:2].lower() in ("d'", "l'", "d’", "l’"):  # Avenue d'Ouchy
        tok = tok[2:]
    return tok[:1].isalpha() and tok[:1].isupper() and bare_word(tok) not in STOP


STOP = frozenset("a an and at by for from in into is it on or to with was were be are i you we he she they my".split())


def name_word(tok: str) -> bool:
    word = bare_word(tok)
    if word in UNIT_SET:
        return False
    return is_name(tok) or word in CONNECTORS or word in POST_TYPES or bare_word(tok) in PRE_TYPES


def lower_word(tok: str) -> bool:
    """A lower-case word that may be part of a street name beside a street word ("rua augusta 24")."""
    word = tok.rstrip(".")
    return word.isalpha() and word.islower() and word not in STOP and len(word) > 1


def lower_street_word(tok: str) -> bool:
    """A street word beside which lower-case names may stand ("út", "rua", "hersnapvej")."""
    word = bare_word(tok)
    return word in LOWER_PRE or word in LOWER_POST or word.endswith(LOWER_GLUED)


def lower_case_street(words: list[str]) -> bool:
    """A street name with lower-case words: led by a street word, or ending in one, that no English text uses."""
    if any(w in ENGLISH_LINKS for w in words):  # "rue the day 5 times"
        return False
    if words[0] in LOWER_PRE:
        return len(words) > 1
    return (
        len(words) <= 3
        and words[0] not in CONNECTORS
        and (words[-1] in LOWER_POST or any(w.endswith(g) and len(w) >= len(g) + 3 for w in words for g in LOWER_GLUED))
    )


def looks_like_name(phrase: str) -> bool:
    words = phrase.split()
    return 0 < len(words) <= 6 and is_name(words[0]) and all(name_word(w) or is_number(w) for w in words)
