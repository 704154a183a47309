"""Literal matching: Aho-Corasick over the identifiers' spellings, then each hit confirmed.

A hit is only a candidate: it is confirmed by looking at the token around it (no digit or
letter running on, the right country code, the given name before the surname, a Luhn-valid
card ending in the last four), so a number one digit off or a longer surname never matches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick
import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import luhn

from pdscan.core.masking import normalize
from pdscan.detectors.entities.person import FIRST_NAME_WORDS, LAST_NAME_WORDS
from pdscan.dsar.identifiers import Identifier, Identifiers, digits, fold, fold_map, squeeze

SEP = "\x00"
_NUMERIC = r"^[\d\s.\-/()+]{%d,40}$"  # a value that is a number in some spelling: whole-value candidates
_EMAIL_LOCAL = set("abcdefghijklmnopqrstuvwxyz0123456789._%+-'")
_COUNTRY_BEFORE = re.compile(r"\+\s*(\d{1,3})[\s.\-]*$")
_CARD_BEFORE = re.compile(r"(?:\d[ \-]?){9,15}$")


@dataclass(frozen=True)
class Hit:
    """One of the person's identifiers found in one field of a record."""

    index: int  # into Identifiers.items
    kind: str
    field: str | None
    text: str  # as written in the record


def _is_digit(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isdigit()


def _is_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


class Matcher:
    def __init__(self, identifiers: Identifiers):
        self.identifiers = identifiers
        self.automaton = ahocorasick.Automaton()
        anchors: dict[str, list[int]] = {}
        for i, ident in enumerate(identifiers.items):
            for word in ident.anchors() | ident.digit_targets():
                anchors.setdefault(word, []).append(i)
        for word, owners in anchors.items():
            self.automaton.add_word(word, (len(word), tuple(owners)))
        self.automaton.make_automaton()
        self.digit_targets = sorted({t for i in identifiers.items for t in i.digit_targets()})

    # -- candidates: which values of an array are worth a closer look ------------------------------
    def candidates(self, values: pa.Array) -> set[int]:
        """Positions of the values holding an anchor (folded), or spelled as a number
        holding a digit target ("415 5550187"). A superset: `find` confirms."""
        found: set[int] = set()
        text, starts = _ascii_joined(values)
        if text is not None:  # one C pass over the array's own buffer
            ends = [end for end, _ in self.automaton.iter(text)]
            found.update(int(i) for i in np.searchsorted(starts, ends, "right") - 1)
        else:
            texts = [fold(t) if t else "" for t in values.to_pylist()]
            bounds = list(accumulate((len(t) + 1 for t in texts), initial=0))
            found.update(bisect_right(bounds, end) - 1 for end, _ in self.automaton.iter(SEP.join(texts)))
        if self.digit_targets:
            found |= self._numeric(values)
        return found

    def _numeric(self, values: pa.Array) -> set[int]:
        shortest = min(len(t) for t in self.digit_targets)
        shaped = pc.fill_null(pc.match_substring_regex(values, _NUMERIC % shortest), False)
        at = np.flatnonzero(shaped.to_numpy(zero_copy_only=False))
        if not len(at):
            return set()
        only = pc.replace_substring_regex(values.take(pa.array(at)), r"\D+", "")
        hit = np.zeros(len(at), dtype=bool)
        for target in self.digit_targets:
            hit |= pc.fill_null(pc.match_substring(only, target), False).to_numpy(zero_copy_only=False)
        return {int(i) for i in at[hit]}

    # -- confirmation ------------------------------------------------------------------------------
    def find(self, text: str, fld: str | None = None) -> list[Hit]:
        """The identifiers in one value, confirmed; a whole value in another spelling counts too."""
        folded, cased, origin = fold_map(text)
        hits: dict[tuple[int, int, int], Hit] = {}
        for end, (length, owners) in self.automaton.iter(folded):
            start = end + 1 - length
            for i in owners:
                span = self._confirm(self.identifiers.items[i], folded, start, end + 1, cased)
                if span:  # reported as written: the original characters the folded span came from
                    s, e = origin[span[0]], origin[span[1] - 1] + 1
                    hits[(i, s, e)] = Hit(i, self.identifiers.items[i].kind, fld, text[s:e])
        out = _outermost(hits)
        seen = {h.index for h in out}
        for i, ident in enumerate(self.identifiers.items):
            if i not in seen and len(text) <= 64 and whole_value(ident, text):
                out.append(Hit(i, ident.kind, fld, text.strip()))
        return out

    def _confirm(self, ident: Identifier, text: str, s: int, e: int, cased: str) -> tuple[int, int] | None:
        """`text` is the value folded, `cased` the same with case kept (the same length)."""
        kind = ident.kind
        if kind == "email":
            before_ok = s == 0 or text[s - 1] not in _EMAIL_LOCAL
            after = text[e : e + 2]
            after_ok = not after or not (
                after[0].isalnum() or after[0] in "-_" or after[:1] == "." and _is_word(after, 1)
            )
            return (s, e) if before_ok and after_ok else None
        if kind in ("ssn", "account", "phone"):
            if _is_digit(text, s - 1) or _is_digit(text, e):
                return None
            found = digits(text[s:e])
            if found not in (ident.value, ident.national, str(ident.country) + ident.national) and not (
                kind == "phone" and found.lstrip("0") == ident.national  # a national trunk prefix: 020 ...
            ):
                return None  # a digit-target hit inside formatted text: confirmed via its own spelling
            if kind == "phone" and text[s] != "+":
                cc = _COUNTRY_BEFORE.search(text[max(0, s - 8) : s])
                if cc and cc.group(1) != str(ident.country):
                    return None
            return s, e
        if kind == "card_last4":
            if _is_digit(text, e):
                return None
            before = _CARD_BEFORE.search(text[max(0, s - 32) : s])
            if not before:
                return None
            head = s - len(before.group(0))
            for cut in range(head, s):  # the longest Luhn-valid card ending here, starting on a group
                if cut > head and text[cut - 1] not in " -":
                    continue
                number = digits(text[cut:e])
                if 13 <= len(number) <= 19 and not _is_digit(text, cut - 1) and luhn.is_valid(number):
                    return cut, e
            return None
        if kind == "name":
            return _confirm_name(ident, text, s, e, cased)
        return None

    def worth(self, value: str, fld: str | None) -> bool:
        """A confirmed identifier in the value, or a bare surname (a name over two columns)."""
        if self.find(value, fld):
            return True
        names = self.identifiers.of("name")
        return bool(names) and squeeze(value) in {i.surname for i in names} | {i.given for i in names}

    def record(self, record: dict[str | None, str]) -> list[Hit]:
        """Every identifier confirmed in a record; a name split over first/last columns counts."""
        hits = [h for fld, value in record.items() for h in self.find(value, fld)]
        named = {h.index for h in hits if h.kind == "name"}
        for i, ident in enumerate(self.identifiers.items):
            if ident.kind == "name" and i not in named:
                hits += _split_name(i, ident, record)
        return hits


def _ascii_joined(values: pa.Array) -> tuple[str | None, np.ndarray | None]:
    """The array's values as one lower-case string and each value's start, when all ASCII."""
    if pa.types.is_large_string(values.type):
        width = np.int64
    elif pa.types.is_string(values.type):
        width = np.int32
    else:
        return None, None
    if len(values) == 0 or values.buffers()[2] is None:
        return "", np.zeros(len(values) + 1, dtype=np.int64)
    offsets = np.frombuffer(values.buffers()[1], dtype=width)[values.offset : values.offset + len(values) + 1]
    raw = memoryview(values.buffers()[2])[offsets[0] : offsets[-1]].tobytes()
    if not raw.isascii():
        return None, None
    return raw.decode("ascii").lower(), (offsets - offsets[0]).astype(np.int64)


def _outermost(hits: dict[tuple[int, int, int], Hit]) -> list[Hit]:
    """Per identifier, drop spans inside a longer confirmed span ("+14155550187" over "4155550187")."""
    keep = []
    for (i, s, e), hit in hits.items():
        if not any(j == i and (s2, e2) != (s, e) and s2 <= s and e <= e2 for (j, s2, e2) in hits):
            keep.append(hit)
    return keep


# One or two middle names or initials as written between given name and surname ("Jane Q. Doe",
# "Jane Quinn Doe", "JANE QUINN DOE"); capitalized, so "jane loves doe" stays two people.
_MIDDLE = r"(?:(?:[A-Z]\.?|[A-Z][A-Za-z'\-]+)\s+){1,2}"


def _confirm_name(ident: Identifier, text: str, s: int, e: int, cased: str) -> tuple[int, int] | None:
    if _is_word(text, s - 1) and not text[s - 1].isspace() or _is_word(text, e):
        return None
    given = r"\s+".join(map(re.escape, ident.given.split()))
    start = max(0, s - 80)
    forward = re.search(rf"(?<![\w])({given})\s+$", text[start:s]) or re.search(
        rf"(?<![\w])((?i:{given}))\s+{_MIDDLE}$", cased[start:s]
    )
    if forward:
        return start + forward.start(1), e
    backward = re.match(rf"\s*,\s*({given})(?![\w])", text[e : e + 80])
    if backward and not _is_word(text, s - 1):
        return s, e + backward.end(1)
    return None


def whole_value(ident: Identifier, text: str) -> bool:
    """The whole value is the identifier in another spelling ("415 5550187", " Jane  DOE ")."""
    value = text.strip()
    if ident.kind == "email":
        return fold(value) == ident.value
    if ident.kind == "name":
        return squeeze(value) in (ident.value, f"{ident.surname}, {ident.given}", f"{ident.surname},{ident.given}")
    if not re.fullmatch(r"[\d\s.\-/()+]{4,40}", value):
        return False
    if ident.kind == "phone":
        try:
            return normalize("PHONE_NUMBER", value) == ident.value
        except phonenumbers.NumberParseException:
            return False
    if ident.kind in ("ssn", "account"):
        if value.isdigit() and len(value) < len(ident.value):  # an integer column drops leading zeros
            return value == ident.value.lstrip("0")
        return digits(value) == ident.value
    return False


def leaf(fld: str | None) -> str:
    """A field's own name, lower case: `orders.customer_id`, `$.user.customer_id` -> `customer_id`."""
    return re.split(r"[.\[\]$]+", (fld or "").strip("$.[]*"))[-1].lower()


def field_is(fld: str | None, words: tuple[str, ...]) -> bool:
    name = leaf((fld or "").replace("_", "").replace("-", "").replace(" ", ""))
    return any(name == w or name.startswith(w) or name.endswith(w) for w in words)


def _split_name(i: int, ident: Identifier, record: dict[str | None, str]) -> list[Hit]:
    """First name and last name in two columns of one record."""
    firsts = [f for f, v in record.items() if field_is(f, FIRST_NAME_WORDS) and squeeze(v) == ident.given]
    lasts = [f for f, v in record.items() if field_is(f, LAST_NAME_WORDS) and squeeze(v) == ident.surname]
    if firsts and lasts:
        return [
            Hit(i, "name", firsts[0], record[firsts[0]].strip()),
            Hit(i, "name", lasts[0], record[lasts[0]].strip()),
        ]
    return []
