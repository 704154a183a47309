"""The person's identifiers, normalized once: what every search compares against.

Email and name folded (`fold`: NFKC, case-folded, accents dropped, so `Zoë` = `ZOE` and `Weiß` =
`weiss`); phone E.164 (US unless it starts with +); SSN/EIN and account numbers as digits; a card
as its last four digits; a name as (given names, surname), whitespace-insensitive. Error messages
name the option and position, never the value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers

from pdscan.core import entities
from pdscan.core.errors import IdentifierError
from pdscan.core.text import digits as digits  # re-exported: the matcher and searches take it from here

# The kinds of identifier a request gives, in the order the CLI and the answers list them. Kept
# here, not in the entity specs: parse() below reads each kind its own way; each spec that one
# matches names it (EntitySpec.dsar_kind, entity_of).
KINDS = ("name", "email", "phone", "ssn", "card_last4", "account")
STRONG = frozenset({"email", "phone", "ssn", "account"})  # one of these alone makes a record the person's


def entity_of(kind: str) -> str:
    """The entity whose spec names `kind` as its DSAR kind (pdscan.detectors.entities), read at use."""
    return entities.dsar_kinds()[kind]


def __getattr__(name: str):
    """ENTITY: kind -> entity_of(kind), in KINDS order, read when asked."""
    if name == "ENTITY":
        return {kind: entity_of(kind) for kind in KINDS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


OPTION = {kind: "--" + kind.replace("_", "-") for kind in KINDS}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"\s+")


# letters with no decomposition that readers still take for their base letter ("Søren" = "Soren")
_BASE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe",
                       "þ": "th", "ĸ": "k", "ŀ": "l"})  # fmt: skip


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_BASE)


def fold(text: str) -> str:
    """How two spellings of a text compare: NFKC, case-folded on both sides (`ß` = `ss`), accents
    optional (`Zoë` = `zoe`). ASCII text is only lower-cased."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


def fold_map(text: str) -> tuple[str, str, list[int]]:
    """`fold(text)`, the same with case kept (as long, for case-sensitive checks), and for each
    folded character the index of the character of `text` it came from."""
    if text.isascii():
        return text.lower(), text, list(range(len(text)))
    folded, cased, origin = [], [], []
    for i, char in enumerate(text):
        piece = _fold_char(char)
        if not piece:
            continue
        kept = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        folded.append(piece)
        cased.append(kept if len(kept) == len(piece) and kept.casefold() == piece else piece)
        origin += [i] * len(piece)
    return "".join(folded), "".join(cased), origin


def squeeze(text: str) -> str:
    """Folded, whitespace collapsed: how names compare."""
    return _SPACES.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str  # the normalized form (E.164, digits, lower-case, "given surname")
    given: str = ""  # names: given names, surname (squeezed)
    surname: str = ""
    spelling: str = ""  # accounts: the spelling given, lower-cased, if not digits only
    country: int = 0  # phones: country calling code
    national: str = ""  # phones: national significant number

    @property
    def entity(self) -> str:
        return entity_of(self.kind)

    @property
    def strong(self) -> bool:
        return self.kind in STRONG

    def anchors(self) -> set[str]:
        """Literals (lower-case) whose presence makes a text a candidate; confirmed afterwards."""
        if self.kind == "email":
            return {self.value}
        if self.kind == "name":
            return {self.surname}
        if self.kind == "card_last4":
            return {self.value}
        if self.kind in ("ssn", "account"):
            d = self.value
            out = {d, self.spelling} - {""}
            if self.kind == "ssn":
                out |= {f"{d[:3]}-{d[3:5]}-{d[5:]}", f"{d[:3]} {d[3:5]} {d[5:]}", f"{d[:2]}-{d[2:]}"}
            return out
        return self._phone_variants()

    def digit_targets(self) -> set[str]:
        """Digit runs that a digits-only copy of a candidate text contains."""
        if self.kind in ("ssn", "account"):
            return {self.value}
        if self.kind == "phone":
            return {self.national}
        return set()

    def _phone_variants(self) -> set[str]:
        n, cc = self.national, str(self.country)
        out = {n, cc + n, "+" + cc + n}
        if self.country == 1 and len(n) == 10:
            a, b, c = n[:3], n[3:6], n[6:]
            out |= {f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"({a}){b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}",
                    f"({a}) {b} {c}", f"{a}/{b}-{c}", f"{a} {b}-{c}"}  # fmt: skip
        else:
            number = phonenumbers.parse("+" + cc + n)
            for fmt in (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL):
                text = phonenumbers.format_number(number, fmt)
                out |= {text, text.replace(" ", "-"), text.replace(" ", ""), digits(text)}
        return {v.lower() for v in out}


@dataclass
class Identifiers:
    items: list[Identifier] = field(default_factory=list)

    def add(self, kind: str, raw: str, where: str) -> None:
        ident = parse(kind, raw, where)
        if ident not in self.items:
            self.items.append(ident)

    def of(self, kind: str) -> list[Identifier]:
        return [i for i in self.items if i.kind == kind]

    def counts(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in KINDS if self.of(k)}

    def __bool__(self) -> bool:
        return bool(self.items)


def parse(kind: str, raw: str, where: str) -> Identifier:
    """One identifier of `kind` from the text `raw`; `where` says where it came from (for errors)."""
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise IdentifierError(f"{where}: expected text")
    raw = str(raw).strip()
    if not raw:
        raise IdentifierError(f"{where}: empty")
    if kind == "email":
        if not _EMAIL.match(raw):
            raise IdentifierError(f"{where}: not an email address")
        return Identifier("email", fold(raw))
    if kind == "phone":
        try:
            number = phonenumbers.parse(raw, None if raw.startswith("+") else "US")
        except phonenumbers.NumberParseException:
            raise IdentifierError(f"{where}: not a phone number (US unless it starts with +)") from None
        if not phonenumbers.is_possible_number(number):
            raise IdentifierError(f"{where}: not a possible phone number")
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return Identifier("phone", e164, country=number.country_code, national=str(number.national_number))
    if kind in ("ssn", "account", "card_last4"):
        if re.search(r"[^\d\s.\-/]", raw):
            raise IdentifierError(f"{where}: digits only (dashes and spaces allowed)")
        d = digits(raw)
        if kind == "ssn" and len(d) != 9:
            raise IdentifierError(f"{where}: an SSN or EIN has 9 digits")
        if kind == "card_last4" and len(d) != 4:
            raise IdentifierError(f"{where}: give the last 4 digits of the card")
        if kind == "account" and not 4 <= len(d) <= 34:
            raise IdentifierError(f"{where}: an account number has 4 to 34 digits")
        spelling = raw.lower() if kind == "account" and raw != d else ""
        return Identifier(kind, d, spelling=spelling)
    if kind == "name":
        text = squeeze(raw)
        if "," in text:
            surname, _, given = (p.strip() for p in text.partition(","))
        else:
            given, _, surname = text.rpartition(" ")
        if not given or not surname or "," in given:
            raise IdentifierError(f"{where}: give a given name and a surname ('First Last' or 'Last, First')")
        return Identifier("name", f"{given} {surname}", given=given, surname=surname)
    raise IdentifierError(f"{where}: unknown kind of identifier")


def from_mapping(data, where: str, into: Identifiers) -> None:
    """`{email: ..., phone: [...], card-last4: ...}` as read from YAML or JSON."""
    if not isinstance(data, dict):
        raise IdentifierError(f"{where}: expected a mapping of identifier kinds to values")
    for key, values in data.items():
        kind = str(key).replace("-", "_").lower()
        if kind not in KINDS:
            known = ", ".join(k.replace("_", "-") for k in KINDS)
            raise IdentifierError(f"{where}: unknown identifier kind '{key}' (known: {known})")
        values = values if isinstance(values, list) else [values]
        for i, value in enumerate(values, 1):
            into.add(kind, value, f"{where}: {key} #{i}")
