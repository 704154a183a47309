"""What follows a street line: unit, city, state, postcode, country (pdscan.detectors.recognizers.street_address).

Shared by the street-address recognizer; kept outside pdscan.detectors.recognizers, whose every module is a recognizer.
"""

from __future__ import annotations

from pdscan.detectors.address_words import (
    COUNTRIES,
    PLACE,
    POSTCODE,
    POSTCODE_AFTER,
    SEP,
    STATE_CODE,
    STATES,
    UNIT,
    looks_like_name,
)

# What follows a street line adds to its score: a unit most, then city, state, postcode, country.
_UNIT_EVIDENCE, _PART_EVIDENCE = 0.2, 0.1


def extend_address(text: str, end: int) -> tuple[int, float]:
    """Grow an address past its street line: unit, city, state, postcode, country. Returns (end, evidence)."""
    evidence = 0.0
    lines = 0
    while True:
        sep = SEP.match(text, end)
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
    m = UNIT.match(rest)
    if m:
        return m.end(), _UNIT_EVIDENCE
    n = _country_at(rest)
    if n:
        pc = POSTCODE_AFTER.match(rest, n)
        return (pc.end(), 2 * _PART_EVIDENCE) if pc else (n, _PART_EVIDENCE)
    m = STATE_CODE.match(rest)
    n = m.end() if m else _state_name_at(rest)
    if n and (gap or comma or evidence):
        pc = POSTCODE_AFTER.match(rest, n)
        if pc:
            return pc.end(), 2 * _PART_EVIDENCE
        if _line_ends(rest, n):
            return n, _PART_EVIDENCE
    m = POSTCODE.match(rest)
    if m and (gap or comma or evidence):
        return m.end(), _PART_EVIDENCE
    m = PLACE.match(rest)
    if m and gap < 2 and (gap or comma or evidence) and looks_like_name(m.group()):
        n = m.end()
        follow = rest[SEP.match(rest, n).end() :]
        ends = _line_ends(rest, n) and (gap or not follow or rest[n : n + 1] in ".?!")
        if ends or STATE_CODE.match(follow) or POSTCODE.match(follow) or _country_at(follow):
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
