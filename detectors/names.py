"""Given names and surnames from Faker's person providers, every locale (a maintained package:
about 31 K given names and 30 K surnames, 20 MB of memory, loaded once on first use).

Used to tell a column of "Smith", "Garcia" from a column of statuses, and to find names in
prose that the small spaCy model labels as organizations or misses.
"""

from __future__ import annotations

import calendar
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

# Given names that are also everyday English words: alone they say nothing ("Will", "May").
COMMON_WORDS = frozenset(
    """
    will may june april august mark bill rose grace faith hope joy art guy max pat sue don ray jack
    frank rich dean chase page summer autumn dawn ivy holly iris lily daisy ruby pearl amber crystal
    jade sky river rock stone king prince duke earl major young long white black brown green gray grey
    price cash bond hill wood lane park case star sun rain storm winter spring van bay gold silver
    baker cook miller smith carter hunter porter fisher mason gardner fox wolf bird drew lee sharp
    early best hall christian china india ireland paris london berlin sydney victoria florence
    troy alexandria georgia virginia carolina dakota jersey york washington lincoln madison jordan
    kent essex angel angela bishop pope saint temple church chapel major general colonel sergeant
    nurse doctor judge lawyer miss sir lord lady dame master mister madam son sons princess queen royal
    duchess countess baroness emperor empress
    """.split()
)


# Month and day names and their abbreviations ("Jan", "Sep", "Sunday") are given names somewhere.
COMMON_WORDS |= frozenset(
    w.casefold()
    for w in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr, "Sept")
    if w
)

# Words some locale's list holds that are never names in data: column values, statuses, directions.
NOT_NAMES = frozenset(
    "true false yes no none null nil unknown male female street north south east west test admin user customer server".split()
)


@lru_cache(maxsize=1)
def name_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), case-folded, from every Faker locale (native and romanized forms)."""
    from faker.config import AVAILABLE_LOCALES

    first: set[str] = set()
    last: set[str] = set()
    for locale in AVAILABLE_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr, values in vars(provider).items():
            if not isinstance(values, (list, tuple, dict)):
                continue
            if attr.startswith(("first_name", "first_romanized_name")):
                first.update(n.casefold() for n in values if isinstance(n, str) and n.isalpha())
            elif attr.startswith(("last_name", "last_romanized_name")):
                last.update(n.casefold() for n in values if isinstance(n, str) and n.isalpha())
    return frozenset(first - NOT_NAMES), frozenset(last - NOT_NAMES)


def _no_names() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(), frozenset()


@contextmanager
def without_name_lists() -> Iterator[None]:
    """Within it the name lists are empty: what detection finds without them (benchmarks/accuracy.py
    --without-name-lists measures the lists' share of PERSON recall). For measurement, not scans."""
    global name_sets
    loaded, name_sets = name_sets, _no_names
    try:
        yield
    finally:
        name_sets = loaded


def is_given_name(token: str) -> bool:
    return token.casefold() in name_sets()[0]


def is_surname(token: str) -> bool:
    return token.casefold() in name_sets()[1]


def is_known_name(token: str) -> bool:
    first, last = name_sets()
    folded = token.casefold()
    return folded in first or folded in last
