"""What a value must hold for a gate to match it, checked for a whole column in a few numpy passes.

A gate states its `needs`: alternatives separated by `|`, each a list of terms that all hold for
every value its pattern matches:

- `d9`: at least 9 ASCII digits (checked as: a digit, and 9 bytes or more); `n8`: at least 8 bytes;
- `U` an uppercase letter, `L` a lowercase letter, `A` any letter, `S` ASCII whitespace;
- `[@.]`: one of these ASCII characters.

Any byte above 0x7F counts as a letter of either case, so a non-ASCII letter (`É`, `λ`) never
fails a need. A gate runs only on the values that meet its needs: the digit gates never see a
name column, the name gates never see card numbers. A need that claims more than its pattern
requires would hide matches: tests/detectors/test_charclass.py checks every gate's claim on
labeled text and random strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa

_PUNCT = "@:./+,-"
_BIT = {"U": 1, "L": 2, "S": 4, "D": 8, **{c: 16 << i for i, c in enumerate(_PUNCT)}}
_BIT["A"] = _BIT["U"] | _BIT["L"]


def _table() -> np.ndarray:
    table = np.zeros(256, np.uint16)
    for byte in range(256):
        char = chr(byte)
        if byte > 0x7F:
            table[byte] = _BIT["A"]
        elif char.isalpha():
            table[byte] = _BIT["U"] if char.isupper() else _BIT["L"]
        elif char in " \t\n\v\f\r":
            table[byte] = _BIT["S"]
        elif char.isdigit():
            table[byte] = _BIT["D"]
        elif char in _PUNCT:
            table[byte] = _BIT[char]
    return table


_TABLE = _table()


@dataclass(frozen=True)
class Term:
    classes: tuple[int, ...]  # each: a bit set of which one must be present
    digits: int
    length: int


@cache
def parse(needs: str) -> tuple[Term, ...]:
    """The alternatives of a needs string; empty means the gate claims nothing."""
    terms = []
    for alternative in filter(None, (a.strip() for a in needs.split("|"))):
        classes, digits, length = [], 0, 0
        for word in alternative.split():
            if word[0] == "d" and word[1:].isdigit():
                digits = int(word[1:])
            elif word[0] == "n" and word[1:].isdigit():
                length = int(word[1:])
            elif word[0] == "[" and word[-1] == "]" and len(word) > 2 and all(c in _PUNCT for c in word[1:-1]):
                classes.append(sum(_BIT[c] for c in set(word[1:-1])))
            elif word in _BIT:
                classes.append(_BIT[word])
            else:
                raise ValueError(f"needs {needs!r}: unknown term {word!r}")
        terms.append(Term(tuple(classes), digits, max(length, digits)))
    return tuple(terms)


def family(needs: str) -> int:
    """0: numbers (every way to match needs 7 digits), 1: words (every way needs a letter), 2: the rest."""
    terms = parse(needs)
    if terms and all(t.digits >= 7 for t in terms):
        return 0
    if terms and all(any(bits & _BIT["A"] for bits in t.classes) for t in terms):
        return 1
    return 2


class Features:
    """Per value of a string array: the character classes present and the length in bytes.

    Two numpy passes over the bytes (a table lookup, a reduction per value): a few ms a megabyte.
    """

    def __init__(self, values: pa.Array):
        n = len(values)
        offsets = np.frombuffer(values.buffers()[1], np.int32, n + 1, values.offset * 4)
        self.lengths = np.diff(offsets)
        self.classes = np.zeros(n, np.uint16)
        self._cache: dict = {}  # masks shared by the gates' needs
        data_buffer = values.buffers()[2]
        if data_buffer is None or offsets[-1] == offsets[0]:
            return
        data = np.frombuffer(data_buffer, np.uint8)[offsets[0] : offsets[-1]]
        filled = np.flatnonzero(self.lengths)
        starts = offsets[:-1][filled] - offsets[0]  # rising: each reduction spans one value's bytes
        self.classes[filled] = np.bitwise_or.reduceat(_TABLE[data], starts)

    def meet(self, needs: str) -> np.ndarray | None:
        """Mask of the values that can match a gate with these needs; None: all of them."""
        terms = parse(needs)
        if not terms:
            return None
        out = np.zeros(len(self.lengths), dtype=bool)
        for term in terms:
            ok = self._at_least(term.length).copy()
            for bits in (*term.classes, _BIT["D"]) if term.digits else term.classes:
                ok &= self._has(bits)
            out |= ok
        return out

    def _at_least(self, length: int) -> np.ndarray:
        key = ("n", length)
        if key not in self._cache:
            self._cache[key] = self.lengths >= length
        return self._cache[key]

    def _has(self, bits: int) -> np.ndarray:
        if bits not in self._cache:
            self._cache[bits] = (self.classes & bits) != 0
        return self._cache[bits]
