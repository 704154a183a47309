"""False-positive filters: small named predicates over a hit in its value. Each can be switched off."""

from __future__ import annotations

import re
from collections.abc import Callable

from pdscan.core import entities
from pdscan.detectors import nameevidence, triage
from pdscan.detectors.names import COMMON_WORDS, is_given_name, is_known_name, is_surname


def __getattr__(name: str):
    """NUMERIC_ENTITIES: the specs marked numeric (entities.numeric_entities()), read when asked."""
    if name == "NUMERIC_ENTITIES":
        return entities.numeric_entities()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Labels of business identifiers: a number right after one is that identifier, not personal data.
ID_LABEL = re.compile(
    r"(?i)\b(?:order|invoice|ref|reference|ticket|part|sku|serial|tracking|case|confirmation|isbn|po|item|model|"
    r"build|version|job|batch|task|request|req|shipment|lot|run)\b(?:[ \t]*(?:no\.?|number|num|#|id))?[ \t]*[:#]?[ \t]*$"
)


def number_labeled_as_other(entity: str, value: str, start: int, end: int) -> bool:
    """A number right after an identifier label: `PO 45-5164379`, `export job 20240905218977`. Only
    for the entities whose shape an order or job number can have too (the specs' ambiguous_number:
    a card's issuer and Luhn digit say more)."""
    return entity in entities.ambiguous_numbers() and bool(ID_LABEL.search(value[max(0, start - 24) : start]))


_PHONE_KIND = re.compile(r"(?i)(?:office|fax|home|mobile|cell|work|tel|phone|landline)\b")


def is_glued_to_token(entity: str, value: str, start: int, end: int) -> bool:
    """A number that is part of a longer code (`555-123-4567-A`, `X555-123-4567`)."""
    if entity not in entities.numeric_entities():
        return False
    before = value[start - 1] if start > 0 else ""
    after = value[end] if end < len(value) else ""
    if before.isalnum() or after.isalnum():
        return True
    if after in "-_/" and end + 1 < len(value) and value[end + 1].isalnum():
        return not (entity == "PHONE_NUMBER" and _PHONE_KIND.match(value, end + 1))  # "082 490 1693-Office"
    if before in "-_/" and start >= 2 and (value[start - 2].isalnum() or value[start - 2] == "_"):
        return True  # "blk_-6400421658804613208", "txn-2125550143"
    # one group of a longer dotted or colon-separated number: a time "11.00.22.056566", "16:14:00.349"
    return before in ".:" and start >= 2 and value[start - 2].isdigit() or after in ".:" and _digit_at(value, end + 1)


def _digit_at(value: str, index: int) -> bool:
    return index < len(value) and value[index].isdigit()


# Words that label a number as a machine identifier: `id=4093609377352800`, `blk_...`, `txn 2125550143`.
ID_WORDS = (
    r"id|ids|uid|gid|pid|tid|ppid|uuid|guid|blk|block|blockid|req|reqid|request|requestid|txn|txid|xid|trace|traceid|"
    r"span|spanid|session|sessionid|sid|thread|tid|port|seq|sequence|nonce|hash|checksum|crc|offset|epoch|ts|timestamp|"
    r"millis|ms|ns|bytes|size|len|length|count|inode|ino|pgid|jobid|appattempt|attempt|container|build|version|rev|"
    r"key|pk|order|orders|product|item|sku|invoice|cart|ticket|shipment|tracking|event|msg|message"
)
_ID_LABEL_BEFORE = re.compile(
    rf"(?i)(?:^|[^a-z0-9])(?:{ID_WORDS})(?:[_\-]?\d{{1,3}})?(?:[ \t]*(?:no\.?|number|num|#))?\\?[\"']?[ \t]*[:=#_\-]?"
    r"[ \t]*\\?[\"']?[ \t]*[\-_]?$"
)


def number_labeled_as_id(entity: str, value: str, start: int, end: int) -> bool:
    """A number right after a machine-identifier label (`id=`, `blk_`, `req`, `txn`, `trace`, `span`):
    an identifier, whatever its checksum says. A number so labeled that is a card or an account is
    written with its own word nearby (`card id=...` is still a card): the context words of its entity
    keep it (pdscan.detectors.pipeline checks them before this filter runs)."""
    return entity in entities.numeric_entities() and bool(_ID_LABEL_BEFORE.search(value[max(0, start - 24) : start]))


# What a version that looks like an IPv4 address comes after: a product token (`Chrome/120.0.0.0`,
# `OPR/105.0.0.0`: a capitalized word of letters, as browser and app tokens are; a lower-case word
# before a slash is as often a path, and Java writes an address after its host name,
# `MININT-FNANLI5/127.0.0.1`) or a version label (`rv:1.9.2.20`, `v10.2.0.1`, `version 4.0.0.1`).
_VERSION_BEFORE = re.compile(
    r"(?:(?:^|[\s(;,\[])[A-Z][A-Za-z]*/|(?i:(?:^|[^a-z0-9])(?:rv|v|ver|version|build|release|firmware)[ \t]*[:=]?[ \t]*))$"
)


def ip_is_version(entity: str, value: str, start: int, end: int) -> bool:
    """A dotted quad that is a version: after a product token or a version label, or the last four
    parts of a longer dotted number (`FBAV/444.0.0.35.112`, `Instagram 312.1.0.34.111`). A number
    after the quad is not one of them: tcpdump writes `10.0.0.1.53` for an address and its port."""
    if entity != "IP_ADDRESS" or ":" in value[start:end]:
        return False
    if start >= 2 and value[start - 1] == "." and value[start - 2].isdigit():
        return True
    return _VERSION_BEFORE.search(value, max(0, start - 40), start) is not None


_EMAIL_DOMAIN = re.compile(r"@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,}$")


def email_without_domain(entity: str, value: str, start: int, end: int) -> bool:
    """An "address" whose part after the @ ends in no top-level domain: a Go module version
    (`k8s.io/client-go@v0.28.3`), `user@host:8080`, a handle."""
    return entity == "EMAIL_ADDRESS" and _EMAIL_DOMAIN.search(value[start:end]) is None


# All bits set in 16, 31, 32 or 64 bits: the sentinels logs print for "none", "unlimited", "-1".
SENTINELS = frozenset({"65535", "2147483647", "4294967295", "9223372036854775807", "18446744073709551615"})


def is_sentinel_number(entity: str, value: str, start: int, end: int) -> bool:
    """`4294967295`: an unsigned -1 or a maximum, not anyone's number."""
    return entity in entities.numeric_entities() and "".join(c for c in value[start:end] if c.isdigit()) in SENTINELS


_NOT_IN_NAMES = re.compile(r"[0-9/@=_:\\#<>{}\[\]|+*]")


def person_is_acronym(entity: str, value: str, start: int, end: int) -> bool:
    """A one-word PERSON in capitals (`ABA`, `SSN`, `IRS`): an acronym; names in capitals come in pairs."""
    word = value[start:end]
    return entity == "PERSON" and word.isalpha() and word.isupper() and len(word) <= 5


def person_has_code_characters(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span with digits or code punctuation (`AppleWebKit/537.36`, `T-10400`, `user_id=`), or
    glued to digits (`Lot K36111`: the span "Lot K" is the start of a code)."""
    glued = value[end : end + 1].isdigit() or value[max(0, start - 1) : start].isdigit()
    return entity == "PERSON" and (bool(_NOT_IN_NAMES.search(value[start:end])) or glued)


def person_in_log_vocabulary(entity: str, value: str, start: int, end: int) -> bool:
    """In a log line, a PERSON that is not shaped like a person's name: one word with nothing saying
    it is a name (`Server`), an acronym beside title-case words (`JTAG Reset`), or words of which
    neither the first is a given name nor the last a surname (`Clock Mode`, `Linux Plug`).

    Logs print component, thread and feature names in title case on every line; a person in a log
    is written as a name ("user Adam Belay", "(c) Dave Jones")."""
    if entity != "PERSON" or not triage.is_log_line(value):
        return False
    words = [w.strip(".,'’") for w in value[start:end].split()]
    words = [w for w in words if w]
    if not words or follows_name_intro(value, start):
        return False
    if len(words) == 1:
        return True
    if any(len(w) > 1 and w.isupper() for w in words) and not all(w.isupper() for w in words):
        return True
    first, last = words[0], words[-1]
    return not (
        is_given_name(first)
        and first.casefold() not in COMMON_WORDS
        or is_surname(last)
        and last.casefold() not in COMMON_WORDS
    )


# Words before a name that say it is one: "my name is Rubija", "Dear Hakuba", "Mrs. Labrie".
_NAME_INTRO = re.compile(
    r"(?i)(?:\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|dame|mister)\.?|\bname(?:d| is|:|\?)|\b(?:dear|hi|hello)"
    r"|\bcall(?:s|ed)? me|\bI'm|\bI am|\b(?:says|said|asked|told|replied|wrote))[ \t]+$"
)


def follows_name_intro(value: str, start: int) -> bool:
    return bool(_NAME_INTRO.search(value[max(0, start - 16) : start]))


# "Efimiya, Mary, Ariana, Isabel and Jodi": items of a list of capitalized words.
NAME_LIST = re.compile(r"(?:[^\W\d_][\w'’\-]*, ){1,8}[^\W\d_][\w'’\-]*,? (?:and|&) [^\W\d_][\w'’\-]*")


def in_name_list(value: str, start: int, end: int) -> bool:
    return any(m.start() <= start and end <= m.end() for m in NAME_LIST.finditer(value, max(0, start - 200)))


# Words before a place or a company: "in Sutri", "moved here from Tjæreborg", "at Thinknum".
_PLACE_BEFORE = re.compile(r"(?i)\b(?:in|from|to|at|near|of|via|became|visit|visited|visiting|across|around)[ \t]+$")


def person_single_unknown_word(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON that NER guessed with the text around it against it: one word no name list knows
    after a place or company word ("in Sutri", "at Thinknum"), or words in lower case with nothing
    saying they are a name ("rick roll", "tip van iemand" in a Dutch post).

    Kept when words say it is a name ("my name is Rubija", "coach Dantonio", "Murkowski said",
    "Shaq's", an earlier "Lisa Murkowski") or it is one item of a list of names.
    """
    if entity != "PERSON" or follows_name_intro(value, start) or in_name_list(value, start, end):
        return False
    words = value[start:end].split()
    if nameevidence.has_evidence(value, start, end):
        return False
    if all(w.islower() for w in words):
        listed = len(words) > 1 and is_given_name(words[0]) and is_surname(words[-1].strip(".,'"))
        return not listed  # "rick", "tip van iemand": lower case needs evidence or a listed "paul walker"
    if len(words) != 1:
        return False
    word = words[0].strip(".,'")
    return not is_known_name(word) and bool(_PLACE_BEFORE.search(value[max(0, start - 16) : start]))


def person_said_to_be_thing_or_place(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span the text calls a work, a firm or a place ("Zoolander is a 2017 ... film", "the
    film Greenlander", "I am in Store Merløse", "Hoge Wei 32", "Archimandrita Pano, PA 73161")."""
    return (
        entity == "PERSON"
        and not follows_name_intro(value, start)
        and nameevidence.is_said_to_be_thing_or_place(value, start, end)
    )


def person_is_chatter(entity: str, value: str, start: int, end: int) -> bool:
    """A one-word PERSON that is a handle, a hashtag, a stretched word or chat vocabulary (`@jonronson`,
    `#mufc`, `Yayyyy`, `Goodnight`)."""
    return entity == "PERSON" and " " not in value[start:end] and nameevidence.is_handle_or_chatter(value, start, end)


# Words that make a name-shaped phrase a company, a place or a thing: as its last word or the next one.
ORG_OR_PLACE_WORDS = frozenset(
    """
    inc incorporated llc ltd corp corporation co company gmbh plc ag sa bv lp llp group holdings bank
    labs lab orchestra band foundation institute university college school hospital clinic associates
    partners brothers bros industries enterprises solutions systems services technologies consulting
    insurance investments capital ventures media partnership trust fund agency studios records
    street st avenue ave road rd drive lane ln boulevard blvd way court ct square squares place plaza
    parkway highway hwy terrace crescent close gardens park trail circle crossroad extensions station
    center centre county city valley heights hills island islands river lake mount mountain beach
    """.split()
)
# First words of places and ships, not of people: "St Georges", "Porto Alegre", "USS Mahler".
PLACE_PREFIXES = frozenset(
    "St Saint San Santa Santo Sao Port Porto Puerto Den Colle Monte Mont Fort Ft Lake Mount Mt Cape Bad "
    "New North South East West Upper Lower Great Little Villa Ciudad USS USCGC USNS HMS".split()
)
_AND_SONS = re.compile(r",? (?:and|&) (?:Sons|Co|Company|Partners|Associates|Brothers|Daughters)\b")
_GIVEN_BEFORE = re.compile(r"[^\W\d_]+ $")
_PEOPLE_BEFORE = re.compile(
    r"(?i)\b(?:founders|co-founders|members|people|children|kids|friends|team|staff|employees|students|guests|"
    r"siblings|partners|engineers|authors|speakers)\b[^.]{0,20}$"
)
_NEXT_WORD = re.compile(r" ([^\W\d_]+)")
_FIRM_LIST = re.compile(r"[^\W\d_][\w'’\-]*, [^\W\d_][\w'’\-]*,? (?:and|&) [^\W\d_][\w'’\-]*")


def is_firm_or_place(value: str, start: int, end: int, words: list[str] | None = None) -> bool:
    """A name-shaped phrase that is a company or a place.

    It ends in (or is followed by) a company or street word ("Hall Orchestra", "Globex Inc",
    "Kevin Street"), follows a house number, or is one surname of a firm name such as
    "Barnett, Melton and Garcia" (three surnames, not an enumeration after a colon).
    """
    words = words if words is not None else value[start:end].replace(",", " ").split()
    if not words or words[-1].strip(".").casefold() in ORG_OR_PLACE_WORDS or words[0] in PLACE_PREFIXES:
        return True
    after = _NEXT_WORD.match(value, end)
    if after and after.group(1).casefold() in ORG_OR_PLACE_WORDS:
        return True
    if re.search(r"\d[ \t]*$", value[max(0, start - 3) : start]):
        return True
    if len(words) != 1:
        return False
    if _AND_SONS.match(value, end):
        return True  # "Cordova and Sons"
    parts = words[0].split("-")
    if len(parts) == 2 and all(is_surname(p) for p in parts) and not _GIVEN_BEFORE.search(value[:start]):
        return True  # "Wright-Brady", "Mayo-Walters": a firm; a person would be "Ann Wright-Brady"
    for m in _FIRM_LIST.finditer(value, max(0, start - 40), min(len(value), end + 40)):
        if m.start() <= start and end <= m.end():
            if _PEOPLE_BEFORE.search(value[max(0, m.start() - 40) : m.start()]):
                return False  # "our 3 founders: Monjeau, Graves and Reed"
            parts = re.split(r",? (?:and|&) |, ", m.group())
            return all(is_surname(p.removesuffix("'s").removesuffix("’s")) for p in parts)
    return False


def person_is_company_name(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span that is a company or a place (`Globex Inc`, `Hall Orchestra`, `Jones, Mitchell and Williams`)."""
    return entity == "PERSON" and is_firm_or_place(value, start, end)


# Form labels that read as a given name: "Bill to:", "Ship to", "Sold to", "Remit to".
_LABEL_TO = re.compile(r"(?i)[ \t]+to\b")
_LABEL_WORDS = frozenset({"bill", "ship", "sold", "remit", "deliver", "mail", "send", "invoice"})


def person_is_form_label(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span that is a form label such as "Bill to" or "Ship to"."""
    return (
        entity == "PERSON"
        and value[start:end].strip().casefold() in _LABEL_WORDS
        and _LABEL_TO.match(value, end) is not None
    )


def org_is_people_list(entity: str, value: str, start: int, end: int) -> bool:
    """Three surnames after "founders:", "members:" ... are people, not a firm's name."""
    return (
        entity == "ORGANIZATION"
        and _FIRM_LIST.fullmatch(value, start, end) is not None
        and _PEOPLE_BEFORE.search(value, 0, start) is not None
    )


FILTERS: dict[str, Callable[[str, str, int, int], bool]] = {
    "is_glued_to_token": is_glued_to_token,
    "number_labeled_as_other": number_labeled_as_other,
    "number_labeled_as_id": number_labeled_as_id,
    "is_sentinel_number": is_sentinel_number,
    "email_without_domain": email_without_domain,
    "ip_is_version": ip_is_version,
    "person_has_code_characters": person_has_code_characters,
    "person_single_unknown_word": person_single_unknown_word,
    "person_is_chatter": person_is_chatter,
    "person_said_to_be_thing_or_place": person_said_to_be_thing_or_place,
    "person_is_company_name": person_is_company_name,
    "person_is_acronym": person_is_acronym,
    "person_is_form_label": person_is_form_label,
    "person_in_log_vocabulary": person_in_log_vocabulary,
    "org_is_people_list": org_is_people_list,
}


# Filters that judge one recognizer's guesses only; other recognizers bring their own evidence
# (a name list entry, "my name is ...", a list of names).
ONLY_FOR: dict[str, frozenset[str]] = {"person_single_unknown_word": frozenset({"SpacyRecognizer"})}


def rejected_by(
    entity: str, value: str, start: int, end: int, enabled: frozenset[str], recognizer: str | None = None
) -> str | None:
    """The name of the first enabled filter that rejects the hit, else None."""
    for name in enabled:
        scope = ONLY_FOR.get(name)
        if scope is not None and recognizer not in scope:
            continue
        if FILTERS[name](entity, value, start, end):
            return name
    return None
