"""Names that are data are masked like data: a field path, a JSON key or a row key the detector flags.

A JSON object keyed by e-mail (`$.users["ana@x.org"].ssn`), a CSV whose header is a row of data,
a table whose primary key is an SSN: the name is a value, and a finding's location would carry it
into the output, the store, every report and `diff`. One guard in `Scanner._emit` sees every
finding (scanned here, in workers, in bundles and parts, carried from the store) and replaces each
flagged component by `<ENTITY 3f9a1c2b>`: the entity and a prefix of the value's keyed fingerprint
(the HMAC the findings' `fingerprint` uses), so the placeholder is the same from one scan to the
next and in any order (finding identities, baselines and `diff` stay stable) and cannot be
reversed without the key. The scan's own detector judges, with its entities and scores.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pyarrow as pa

from pdscan.core.keys import FingerprintKey
from pdscan.core.model import Finding

CACHE = 50_000  # distinct components remembered (then forgotten all at once: it is only a speed-up)
FINGERPRINT_CHARS = 8  # of the keyed fingerprint shown in a placeholder
PLACEHOLDER = re.compile(rf"<[A-Z][A-Z0-9_]* [0-9a-f]{{{FINGERPRINT_CHARS}}}>")
# a quoted JSON key as pdscan.connectors.formats.jsonfmt writes it: ["..."] with JSON escapes
_QUOTED = re.compile(r'\["(?:[^"\\]|\\.)*"\]')
# a path of plain identifiers, [*] and [0]: cannot hold a value the detector would flag, not asked
_PLAIN = re.compile(r"(?:\.?[A-Za-z_$][A-Za-z0-9_$]*|\[(?:\*|\d+)\])*\Z", re.ASCII)


class NameGuard:
    """Masks the data in findings' fields and row keys; one per scan (its cache is the scan's)."""

    def __init__(self, detector, key: FingerprintKey):
        self.detector = detector
        self.key = key
        self._seen: dict[str, str | None] = {}  # component -> its placeholder, None when not data

    def prepare(self, found: list[Finding]) -> None:
        """Judge the names of all of `found` in one detector call (one call per name costs 250 times more)."""
        texts: list[str] = []
        for f in found:
            texts += self._components(f.location.field) if f.location.field else ()
            texts += [t for t in _key_texts(f.location.row_key) if self._worth_asking(t)]
        if texts:
            self._placeholders(texts)

    def apply(self, finding: Finding) -> Finding:
        """The finding with its location's field and row key masked where they hold data."""
        loc = finding.location
        fld = self.field(loc.field) if loc.field else loc.field
        row_key = self.row_key(loc.row_key)
        if fld is not loc.field or row_key is not loc.row_key:
            finding.location = replace(loc, field=fld, row_key=row_key)
        return finding

    def field(self, text: str) -> str:
        """`text` with each quoted key and each other run that holds data replaced (the same object if none)."""
        pieces = _pieces(text)
        values = [_unquoted(p) if quoted else p for p, quoted in pieces]
        asked = [v for v in values if self._worth_asking(v)]
        if not asked:
            return text
        masked = self._placeholders(asked)
        out, changed = [], False
        for (piece, quoted), value in zip(pieces, values):
            placeholder = masked.get(value)
            if placeholder is None:
                out.append(piece)
            else:
                out.append(f"[{placeholder}]" if quoted else placeholder)
                changed = True
        return "".join(out) if changed else text

    def row_key(self, value: Any) -> Any:
        """A row key (a value, or a dict of a composite key's values) with each flagged value replaced."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, dict):
            masked = {k: self.row_key(v) for k, v in value.items()}
            return value if all(masked[k] is value[k] for k in value) else masked
        text = str(value)
        if not self._worth_asking(text):
            return value
        placeholder = self._placeholders([text]).get(text)
        return value if placeholder is None else placeholder

    def _components(self, text: str) -> list[str]:
        values = (_unquoted(p) if quoted else p for p, quoted in _pieces(text))
        return [v for v in values if self._worth_asking(v)]

    @staticmethod
    def _worth_asking(text: str) -> bool:
        return bool(text) and not _PLAIN.match(text) and not PLACEHOLDER.fullmatch(text)

    def _placeholders(self, texts: list[str]) -> dict[str, str]:
        """{text: placeholder} for those of `texts` the detector flags; one detector call for the new ones."""
        if len(self._seen) + len(texts) > CACHE:
            self._seen.clear()
        new = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if new:
            found: dict[int, tuple[float, str]] = {}
            for hit in self.detector.detect(pa.array(new, pa.string())):
                best = found.get(hit.index)
                if best is None or (hit.score, hit.entity) > best:
                    found[hit.index] = (hit.score, hit.entity)
            for i, text in enumerate(new):
                entity = found[i][1] if i in found else None
                self._seen[text] = None if entity is None else self._placeholder(entity, text)
        return {t: self._seen[t] for t in texts if self._seen[t] is not None}

    def _placeholder(self, entity: str, text: str) -> str:
        return f"<{entity} {self.key.fingerprint(entity, text)[:FINGERPRINT_CHARS]}>"


def _pieces(text: str) -> list[tuple[str, bool]]:
    """A field cut at its quoted JSON keys: (piece, quoted) in order."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in _QUOTED.finditer(text):
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m.group(), True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _key_texts(value: Any) -> list[str]:
    """The texts of a row key (each value of a composite key's dict)."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, dict):
        return [t for v in value.values() for t in _key_texts(v)]
    return [str(value)]


def _unquoted(piece: str) -> str:
    """The key inside `["..."]` (JSON-escaped by the reader)."""
    try:
        return json.loads(piece[1:-1])
    except ValueError:
        return piece[2:-2]
