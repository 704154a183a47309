"""The entity registry: every entity has every part, the derived tables lost nothing, plugins add entities."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.core import entities, masking
from pdscan.core.entities import EntitySpec, problems, resolve
from pdscan.core.errors import PluginError
from pdscan.core.hookspecs import hookimpl
from pdscan.core.plugins import manager
from pdscan.core.text import digits
from pdscan.detectors import columns, filters, gates, pipeline, prefilter, recognizers
from pdscan.dsar import disclosure, identifiers
from pdscan.policy import DEFAULT_POLICY, load_policy
from tests.core import old_entity_tables as old

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy()


@pytest.mark.parametrize("spec", entities.specs(), ids=lambda s: s.name)
def test_every_entity_has_every_part(spec):
    assert problems(spec, set(POLICY.categories)) == []
    assert POLICY.category_id(spec.name) == spec.category  # the default policy agrees with the spec
    for ref in spec.recognizers:  # each names a recognizer of this entity
        recognizer = resolve(ref)()
        assert spec.name in recognizer.supported_entities
    for gate in gates.entity_gates():
        assert gate.entities <= set(entities.names())


def test_an_incomplete_spec_is_rejected():
    bare = EntitySpec(name="BADGE_ID", category="identifiers", description="a badge", masker=len, normalizer=str)
    assert problems(bare, set(POLICY.categories)) == [
        "no recognizers (give some, or say why in absent['recognizers'])",
        "no gates (give some, or say why in absent['gates'])",
        "no column_hints (give some, or say why in absent['column_hints'])",
    ]
    numeric = replace(bare, numeric=True, absent={"recognizers": "x", "gates": "y", "column_hints": "z"})
    assert problems(numeric) == ["no test_values (give some, or say why in absent['test_values'])"]
    assert (
        problems(replace(bare, category="nowhere"), set(POLICY.categories))[0]
        == "category 'nowhere' is not in the policy"
    )
    contradicts = replace(bare, column_hints=("badge",), absent={"column_hints": "none"})
    assert "column_hints given and declared absent" in problems(contradicts)
    assert problems(replace(bare, masker=None), strict=False) == ["masker is not a function"]
    assert problems(replace(bare, column_evidence="sure"), strict=False) == [
        "column_evidence 'sure' is not one of strong, plain, weak"
    ]


def test_derived_tables_hold_what_the_old_tables_held():
    assert columns.HINTS == entities.column_hints() == old.OLD_HINTS
    assert entities.column_shapes() == old.OLD_SHAPES
    assert columns.CPNI_HINTS == old.OLD_CPNI_HINTS
    assert filters.NUMERIC_ENTITIES == entities.numeric_entities() == old.OLD_NUMERIC
    assert columns.STRONG == entities.strong_in_columns() == old.OLD_STRONG
    assert columns.WEAK == entities.weak_in_columns() == old.OLD_WEAK
    assert columns.NOT_IN_ID_COLUMNS == entities.not_in_id_columns() == old.OLD_NOT_IN_ID_COLUMNS
    assert entities.ambiguous_numbers() == old.OLD_AMBIGUOUS_NUMBERS
    assert pipeline.WORD_ENTITIES == entities.word_entities() == old.OLD_WORD_ENTITIES
    assert pipeline.CONTAINERS == entities.containers() == old.OLD_CONTAINERS
    assert pipeline.CARRIED == entities.carried() == old.OLD_CARRIED
    assert entities.withheld() == old.OLD_WITHHELD
    assert entities.test_values() == old.OLD_TEST_VALUES
    assert pipeline.supported_entities() == old.OLD_SUPPORTED
    assert identifiers.ENTITY == old.OLD_DSAR
    assert set(entities.in_category("pfi")) == set(old.OLD_PFI)
    maskers = {e: getattr(masking, old.OLD_MASKERS.get(e, "mask_generic")) for e in entities.names()}
    assert entities.maskers() == maskers
    normalizers = {e: getattr(masking, old.OLD_NORMALIZERS.get(e, "normalize_text"), digits) for e in entities.names()}
    assert entities.normalizers() == normalizers
    # gates added since the registry, by design: the lower-case speaker's own pass (issue 15, 2026-12-08)
    added = {"person_name.lower_speaker"}
    assert {g.name for g in prefilter.all_gates()} == old.OLD_GATES | added


def test_the_analyzer_registers_the_recognizers_in_the_old_order():
    from pdscan.detectors.analyzer import build_analyzer

    names = [r.name for r in build_analyzer().registry.recognizers]
    assert names == old.OLD_RECOGNIZERS


def test_first_and_last_name_columns_are_person_hints():
    from pdscan.detectors.entities.person import (
        FIRST_NAME_COLUMNS,
        FIRST_NAME_WORDS,
        LAST_NAME_COLUMNS,
        LAST_NAME_WORDS,
    )
    from pdscan.dsar.matcher import field_is

    for word in FIRST_NAME_COLUMNS + LAST_NAME_COLUMNS:
        assert columns.hinted_entity(word) == "PERSON"
    assert field_is("first_name", FIRST_NAME_WORDS) and field_is("customers.LastName", LAST_NAME_WORDS)
    assert not field_is("city", FIRST_NAME_WORDS)


def test_the_readme_lists_exactly_the_registered_entities():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Entities", 1)[1].split("\n\n", 2)[1]
    listed = [name for row in table.splitlines()[2:] for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])]
    assert sorted(listed) == sorted(entities.names())


def test_a_policy_that_leaves_an_entity_out_gets_its_default_category(tmp_path):
    data = yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))
    for category in data["categories"]:
        category["entities"] = [e for e in category["entities"] if e != "USER_AGENT"]
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    policy = load_policy(path)
    assert policy.category_id("USER_AGENT") == "internet_usage"
    assert "USER_AGENT" in policy.categories["internet_usage"].entities
    assert policy.unmapped(entities.names()) == []


BADGE = EntitySpec(
    name="EMPLOYEE_BADGE",
    category="identifiers",
    description="an employee badge number: EMP- and six digits",
    masker=masking.mask_last2,
    normalizer=masking.normalize_text,
)


class BadgePlugin:
    """A third party's plugin: a new entity and a pattern recognizer for it, no gates of its own."""

    def __init__(self, specs, regex=r"\bEMP-\d{6}\b"):
        self.specs, self.regex = specs, regex

    @hookimpl
    def pdscan_entities(self):
        return self.specs

    @hookimpl
    def pdscan_recognizers(self):
        pattern = Pattern("badge", self.regex, 0.8)
        return [PatternRecognizer(supported_entity="EMPLOYEE_BADGE", patterns=[pattern], name="BadgeRecognizer")]


@pytest.fixture
def plugin():
    """Registers a plugin on the process's plugin manager for one test, then takes it out again."""
    registered = []

    def register(obj):
        manager().register(obj, "test-badge")
        registered.append(obj)
        _forget()

    yield register
    for obj in registered:
        manager().unregister(obj)
    _forget()


def _forget():
    entities.refresh()  # the derived tables, column rules, recognizers and gates


def test_a_plugin_entity_is_registered_after_the_builtins(plugin):
    plugin(BadgePlugin([BADGE]))
    assert entities.names()[-1] == "EMPLOYEE_BADGE"
    assert masking.mask("EMPLOYEE_BADGE", "EMP-123456") == "EMP-****56"
    assert "EMPLOYEE_BADGE" in pipeline.supported_entities()


def test_a_plugin_recognizer_for_a_new_entity_gets_a_gate_from_its_patterns(plugin):
    plugin(BadgePlugin([BADGE]))
    (gate,) = [g for g in prefilter.all_gates() if g.entities == {"EMPLOYEE_BADGE"}]
    values = pa.array(["badge emp-004211 at the door", "no badge here", "EMP-12345"])
    assert prefilter.candidates(values, [gate])[gate.name].tolist() == [
        True,
        False,
        False,
    ]  # Presidio's flags: any case


def test_a_plugin_recognizer_whose_patterns_re2_cannot_run_sees_every_value(plugin):
    plugin(BadgePlugin([BADGE], regex=r"(?<=badge )\d{6}"))
    (gate,) = [g for g in prefilter.all_gates() if g.entities == {"EMPLOYEE_BADGE"}]
    assert gate.pattern == gates.EVERY_VALUE
    assert prefilter.candidates(pa.array(["badge 123456", " "]), [gate])[gate.name].tolist() == [True, False]


def test_a_plugin_entity_registered_at_run_time_is_seen_by_the_tables_after_a_refresh():
    """No re-import: the column rules, number filters and DSAR rules read the registry at use."""
    badge = replace(BADGE, column_hints=("badge", "badgeno"), numeric=True, column_evidence="weak",
                    in_id_columns=False, ambiguous_number=True, withheld=True)  # fmt: skip
    before = (columns.hinted_entity("badge_no"), columns.names_identifiers("badge_id"))
    assert before == (None, True)
    plugin = BadgePlugin([badge])
    manager().register(plugin, "test-badge-run-time")
    try:
        entities.refresh()
        assert columns.hinted_entity("employee_badge") == columns.hinted_entity("badge_no") == "EMPLOYEE_BADGE"
        assert columns.HINTS["badgeno"] == "EMPLOYEE_BADGE"
        assert not columns.names_identifiers("badge_id")  # an id column's numbers may not be badges
        assert "EMPLOYEE_BADGE" in filters.NUMERIC_ENTITIES
        assert filters.is_sentinel_number("EMPLOYEE_BADGE", "4294967295", 0, 10)
        assert filters.number_labeled_as_other("EMPLOYEE_BADGE", "order 123456", 6, 12)
        assert "EMPLOYEE_BADGE" in columns.WEAK
        assert not columns.column_verdict("EMPLOYEE_BADGE", 3, 1000, 0.9, "notes")  # weak: needs a share
        assert disclosure.is_cvv("badge", None) and disclosure.cvv_entity("badge") == "EMPLOYEE_BADGE"
    finally:
        manager().unregister(plugin)
        entities.refresh()
    assert (columns.hinted_entity("badge_no"), columns.names_identifiers("badge_id")) == before
    assert "EMPLOYEE_BADGE" not in filters.NUMERIC_ENTITIES and not disclosure.is_cvv("badge", None)


def test_a_duplicate_entity_from_a_plugin_is_an_error(plugin):
    plugin(BadgePlugin([BADGE, replace(entities.spec("US_SSN"))]))
    with pytest.raises(PluginError, match="US_SSN is declared twice"):
        entities.specs()


def test_a_recognizer_for_an_undeclared_entity_is_an_error(plugin):
    plugin(BadgePlugin([]))
    with pytest.raises(PluginError, match="reports EMPLOYEE_BADGE, which no pdscan_entities hook declares"):
        recognizers.instances()


def test_an_unknown_entity_is_an_error():
    with pytest.raises(PluginError, match="unknown entity NOT_AN_ENTITY"):
        entities.spec("NOT_AN_ENTITY")
