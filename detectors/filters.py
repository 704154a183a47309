"""False-positive filters: small named predicates over a hit in its value. Each can be switched off."""

from __future__ import annotations

from collections.abc import Callable

NUMERIC_ENTITIES = frozenset({"PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "US_BANK_NUMBER", "US_ITIN", "US_EIN"})


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


FILTERS: dict[str, Callable[[str, str, int, int], bool]] = {
    "is_glued_to_token": is_glued_to_token,
}


def rejected_by(entity: str, value: str, start: int, end: int, enabled: frozenset[str]) -> str | None:
    """The name of the first enabled filter that rejects the hit, else None."""
    for name in enabled:
        if FILTERS[name](entity, value, start, end):
            return name
    return None
