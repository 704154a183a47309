"""User-defined detection from the config file: deny lists and pattern recognizers (YAML)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.core.errors import CustomRuleError
from pdscan.detectors.prefilter import Gate


@dataclass
class CustomRules:
    recognizers: list[PatternRecognizer] = field(default_factory=list)
    gates: list[Gate] = field(default_factory=list)

    @property
    def entities(self) -> list[str]:
        return [r.supported_entities[0] for r in self.recognizers]


def _check_re2(pattern: str, where: str) -> None:
    try:
        pc.match_substring_regex(pa.array([""]), pattern)
    except pa.ArrowInvalid as exc:
        raise CustomRuleError(f"{where}: not an RE2 pattern ({exc}); give a `gate` in RE2 syntax") from None


def build(deny_list: dict[str, list[str]] | None, recognizers: list[dict] | None) -> CustomRules:
    """Presidio recognizers plus the RE2 gates that let their candidates through."""
    rules = CustomRules()
    for entity, terms in (deny_list or {}).items():
        terms = [str(t) for t in terms if str(t).strip()]
        if not terms:
            continue
        rules.recognizers.append(PatternRecognizer(supported_entity=entity, deny_list=terms, name=f"DenyList_{entity}"))
        gate = "(?i)" + "|".join(re.escape(t) for t in terms)
        rules.gates.append(Gate(f"deny_{entity}", gate, frozenset({entity})))
    for i, spec in enumerate(recognizers or []):
        where = f"recognizers[{i}]"
        try:
            name, entity = spec["name"], spec["entity"]
            patterns = [Pattern(p.get("name", name), p["regex"], float(p.get("score", 0.6))) for p in spec["patterns"]]
        except (KeyError, TypeError, AttributeError):
            raise CustomRuleError(f"{where}: needs name, entity and patterns (each with regex, score)") from None
        for p in patterns:
            try:
                re.compile(p.regex)
            except re.error as exc:
                raise CustomRuleError(f"{where} ({name}): bad regex: {exc}") from None
        gate = spec.get("gate") or "|".join(f"(?:{p.regex})" for p in patterns)
        _check_re2(gate, f"{where} ({name})")
        rules.recognizers.append(
            PatternRecognizer(supported_entity=entity, patterns=patterns, context=spec.get("context"), name=name)
        )
        rules.gates.append(Gate(f"custom_{name}", gate, frozenset({entity})))
    return rules
