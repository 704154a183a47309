"""False-positive filters: small named predicates over a hit in its value. Each can be switched off."""

from __future__ import annotations

import re
from collections.abc import Callable

from pdscan.detectors.names import is_known_name

NUMERIC_ENTITIES = frozenset(
    {"PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "US_BANK_NUMBER", "US_ITIN", "US_EIN", "ABA_ROUTING_NUMBER"}
)


def is_glued_to_token(entity: str, value: str, start: int, end: int) -> bool:
    """A number that is part of a longer code (`555-123-4567-A`, `X555-123-4567`)."""
    if entity not in NUMERIC_ENTITIES:
        return False
    before = value[start - 1] if start > 0 else ""
    after = value[end] if end < len(value) else ""
    if before.isalnum() or after.isalnum():
        return True
    if after in "-_/" and end + 1 < len(value) and value[end + 1].isalnum():
        return True
    return before in "-_/" and start >= 2 and value[start - 2].isalnum()


_NOT_IN_NAMES = re.compile(r"[0-9/@=_:\\#<>{}\[\]|+*]")


def person_has_code_characters(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span with digits or code punctuation (`AppleWebKit/537.36`, `T-10400`, `user_id=`)."""
    return entity == "PERSON" and bool(_NOT_IN_NAMES.search(value[start:end]))


def person_single_unknown_word(entity: str, value: str, start: int, end: int) -> bool:
    """A one-word PERSON that no name list knows: NER's guess on "Card", "Customer", "Escalated"."""
    if entity != "PERSON":
        return False
    words = value[start:end].split()
    return len(words) == 1 and not is_known_name(words[0].strip(".,'"))


_COMPANY_SUFFIX = re.compile(
    r"(?i)\b(?:inc|llc|ltd|corp|corporation|co|gmbh|plc|ag|sa|bv|lp|llp|group|holdings|bank|labs?)\.?$"
)


def person_is_company_name(entity: str, value: str, start: int, end: int) -> bool:
    """A PERSON span ending in a legal-form word (`Globex Inc`) is an organization."""
    return entity == "PERSON" and bool(_COMPANY_SUFFIX.search(value[start:end].strip(" ,")))


FILTERS: dict[str, Callable[[str, str, int, int], bool]] = {
    "is_glued_to_token": is_glued_to_token,
    "person_has_code_characters": person_has_code_characters,
    "person_single_unknown_word": person_single_unknown_word,
    "person_is_company_name": person_is_company_name,
}


def rejected_by(entity: str, value: str, start: int, end: int, enabled: frozenset[str]) -> str | None:
    """The name of the first enabled filter that rejects the hit, else None."""
    for name in enabled:
        if FILTERS[name](entity, value, start, end):
            return name
    return None
