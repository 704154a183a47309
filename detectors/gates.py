"""Gates: the RE2 patterns that let a value through the prefilter to the recognizers of their entities.

Each entity's spec (pdscan.detectors.entities) declares its gates; a plugin recognizer for a new
entity gets one made from its patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pdscan.core import entities
from pdscan.detectors import recognizers


@dataclass(frozen=True)
class Gate:
    name: str
    pattern: str
    entities: frozenset[str]
    ner: bool = False  # candidates need the spaCy model, not just tokens
    # A big case-insensitive alternation over Unicode classes: grouped with others it can outgrow
    # RE2's DFA budget (a 300x slowdown measured on logs), so it runs in a pass of its own.
    alone: bool = False
    # What every value the pattern matches holds (pdscan.detectors.charclass): values without it
    # never meet the pattern. "" claims nothing.
    needs: str = ""
    # Words without which the gate's candidates cannot be reported (pdscan.detectors.triage): they
    # score at most `weak_max` on their own, and a context word (in the value or the column name)
    # is what lifts them. Empty: the gate's candidates can stand alone.
    context: tuple[str, ...] = ()
    weak_max: float = 0.0
    # RE2: candidates of the gate that do stand alone (a dashed SSN), kept without context.
    standalone: str = ""
    # Its recognizers read the context words only through Presidio's enhancer, which matches them
    # against spaCy tokens: a context word inside a token ("Mobile/15E148") lifts nothing.
    context_tokens: bool = False


# Presidio's PatternRecognizer runs its regexes with re.DOTALL | re.MULTILINE | re.IGNORECASE.
PRESIDIO_FLAGS = "(?ism)"
# What a plugin recognizer's candidates must hold when no RE2 gate can be made from its patterns:
# any value with a character that is not white space. Nothing it could find is kept from it; it
# runs on nearly every value, so a plugin that cares for speed declares RE2 `gates` in its spec.
EVERY_VALUE = r"\S"


def entity_gates() -> list[Gate]:
    """The gates the entity specs declare: those written in a spec, in registry order, then those a
    spec names by reference (a recognizer module's GATES), by module: the order the prefilter's
    passes (pdscan.detectors.prefilter._groups) were measured with."""
    inline: list[Gate] = []
    referenced: dict[str, tuple[Gate, ...]] = {}
    for spec in entities.specs():
        for ref in spec.gates:
            if isinstance(ref, Gate):
                inline.append(ref)
            else:
                referenced.setdefault(ref, tuple(entities.resolve(ref)))
    return inline + [gate for ref in sorted(referenced) for gate in referenced[ref]]


@lru_cache(maxsize=1)
def all_gates() -> tuple[Gate, ...]:
    """The specs' gates, then one for each plugin recognizer whose entity no gate lets through.

    A plugin recognizer for a new entity gets a gate from its Presidio `patterns` (their regexes
    in one RE2 alternation, with Presidio's flags), so its candidates reach it. A recognizer
    without patterns, or whose patterns RE2 cannot run (lookaround, backreferences), gets the
    gate `EVERY_VALUE`: it sees every value that is not blank, as it would without pdscan's
    prefilter: slower, never blind. An entity whose spec declares gates is gated by those alone.
    """
    out = entity_gates()
    covered = {entity for gate in out for entity in gate.entities}
    for recognizer in recognizers.instances():
        new = frozenset(getattr(recognizer, "supported_entities", None) or ()) - covered
        if not new:
            continue
        out.append(Gate(f"plugin.{recognizer.name}", pattern_gate(recognizer), new))
        covered |= new
    return tuple(out)


entities.on_refresh(all_gates.cache_clear)  # a plugin registered or unregistered since


def pattern_gate(recognizer) -> str:
    """An RE2 pattern matching every value a recognizer's patterns can match; `EVERY_VALUE` when there is none."""
    regexes = [p.regex for p in getattr(recognizer, "patterns", None) or ()]
    if not regexes:
        return EVERY_VALUE
    import pyarrow as pa  # here: the entity modules import this module, and most commands never gate
    import pyarrow.compute as pc

    pattern = PRESIDIO_FLAGS + "|".join(f"(?:{r})" for r in regexes)
    try:
        pc.match_substring_regex(pa.array([""]), pattern)
    except pa.ArrowInvalid:
        return EVERY_VALUE
    return pattern
