"""Given names and surnames from Faker's person providers (a maintained package, ~12 K names,
a few MB of memory), to tell a column of "Smith", "Garcia" from a column of statuses."""

from __future__ import annotations

import importlib
from functools import lru_cache

LOCALES = (
    "en_US", "en_GB", "en_IN", "es_ES", "es_MX", "pt_BR", "fr_FR", "de_DE", "it_IT", "nl_NL",
    "pl_PL", "vi_VN", "ko_KR", "ar_AA", "tr_TR", "sv_SE", "ru_RU", "ja_JP", "zh_CN",
)  # fmt: skip
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female")


@lru_cache(maxsize=1)
def name_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), case-folded; romanized forms only."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr in FIRST_ATTRS:
            first.update(n.casefold() for n in getattr(provider, attr, ()) if n.isascii())
        last.update(n.casefold() for n in getattr(provider, "last_names", ()) if n.isascii())
    return frozenset(first), frozenset(last)


def is_known_name(token: str) -> bool:
    first, last = name_sets()
    folded = token.casefold()
    return folded in first or folded in last
