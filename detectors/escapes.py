"""Escaped text: values that were JSON-, CSV- or HTML-escaped before they reached a log line or a column.

`Phone:\\n360-856-9231` with a literal backslash-n, `Ren\\u00e9 Dubois`, `&quot;Ana Ruiz&quot;`: the
escapes hide values from every detector (no word boundary after `\\n`, a name cut by `\\u00e9`). The
detectors run on a decoded view of such values instead, and each view keeps, per character, where it
came from in the raw value, so a hit's offsets and text still point into the raw value.

Escapes decoded, left to right as a JSON parser reads them: `\\n \\r \\t \\" \\\\ \\/ \\uXXXX` (a surrogate
pair as one character), and HTML entities (`&quot;`, `&#39;`, `&#x27;`, any HTML5 name ending in `;`).
A value without any pays one RE2 pass over the batch (`view`).
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# RE2 (the batch check) and Python (the decoder) read the same pattern.
ESCAPE = r'\\(?:[ntr"\\/]|u[0-9A-Fa-f]{4})|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});'
_ESCAPE = re.compile(ESCAPE)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "/": "/"}
_ENTITIES = {name[:-1]: char for name, char in html.entities.html5.items() if name.endswith(";")}
_REPLACEMENT = "\ufffd"


def _code_point(number: int) -> str:
    """A numeric entity's character; what HTML does with a surrogate, zero or one out of range."""
    if number == 0 or 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
        return _REPLACEMENT
    return chr(number)


def _decoded(match: re.Match, text: str) -> tuple[str, int]:
    """What one escape stands for, and where it ends (a surrogate pair takes the next `\\uXXXX` too)."""
    token, end = match.group(), match.end()
    if token[0] == "\\":
        if token[1] != "u":
            return _SIMPLE[token[1]], end
        unit = int(token[2:], 16)
        if 0xD800 <= unit <= 0xDBFF and text.startswith("\\u", end):
            low = _hex(text[end + 2 : end + 6])
            if low is not None and 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), end + 6
        return (_REPLACEMENT if 0xD800 <= unit <= 0xDFFF else chr(unit)), end
    if token[1] == "#":
        return _code_point(int(token[3:-1], 16) if token[2] in "xX" else int(token[2:-1])), end
    return _ENTITIES.get(token[1:-1], token), end


def _hex(digits: str) -> int | None:
    return int(digits, 16) if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits) else None


@dataclass(frozen=True)
class Decoded:
    """A value's decoded text, and for each of its characters the raw span it came from.

    `marks`: each decoded escape as (raw start, raw end, decoded length), in order; the per-character
    offsets (`starts`, `ends`) are built from them when a hit needs them (most decoded values have none)."""

    raw: str
    text: str
    marks: tuple[tuple[int, int, int], ...]

    @cached_property
    def _offsets(self) -> tuple[np.ndarray, np.ndarray]:
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        pos = 0
        for start, end, length in self.marks:
            plain = np.arange(pos, start)
            starts += [plain, np.full(length, start)]
            ends += [plain + 1, np.full(length, end)]
            pos = end
        plain = np.arange(pos, len(self.raw))
        starts.append(plain)
        ends.append(plain + 1)
        return np.concatenate(starts), np.concatenate(ends)

    @property
    def starts(self) -> np.ndarray:
        return self._offsets[0]

    @property
    def ends(self) -> np.ndarray:
        return self._offsets[1]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw offsets of the decoded span [start, end)."""
        if start >= end:
            at = int(self.starts[start]) if start < len(self.text) else int(self.ends[-1]) if len(self.text) else 0
            return at, at
        return int(self.starts[start]), int(self.ends[end - 1])


def decode(text: str) -> Decoded | None:
    """The decoded view of `text`, or None when it holds no escape."""
    pieces: list[str] = []
    marks: list[tuple[int, int, int]] = []
    pos = 0
    for match in _ESCAPE.finditer(text):
        if match.start() < pos:  # the low half of a surrogate pair, already decoded
            continue
        char, end = _decoded(match, text)
        if char == match.group():  # an unknown entity name stays as written
            continue
        pieces += [text[pos : match.start()], char]
        marks.append((match.start(), end, len(char)))
        pos = end
    if not pieces:
        return None
    pieces.append(text[pos:])
    return Decoded(text, "".join(pieces), tuple(marks))


def view(values: pa.Array) -> tuple[pa.Array, dict[int, Decoded]]:
    """`values` with every escaped value decoded, and the decoded ones by index (none: `values` itself)."""
    mask = pc.match_substring_regex(values, ESCAPE).fill_null(False)
    if not pc.any(mask).as_py():
        return values, {}
    decoded: dict[int, Decoded] = {}
    for i in np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist():
        d = decode(values[i].as_py())
        if d is not None:
            decoded[i] = d
    if not decoded:
        return values, {}
    where = np.zeros(len(values), dtype=bool)
    where[list(decoded)] = True
    replacements = pa.array([decoded[i].text for i in sorted(decoded)], pa.string())
    return pc.replace_with_mask(values, pa.array(where), replacements), decoded
