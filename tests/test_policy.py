"""The policy file: the default policy derived from the seed text, and clear errors with line numbers."""

from datetime import date

import pytest

from pdscan.core.errors import PolicyError
from pdscan.detectors.pipeline import supported_entities
from pdscan.policy import DEFAULT_POLICY, load_policy


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def test_every_detected_entity_maps_to_one_category(policy):
    assert policy.unmapped(supported_entities()) == []


@pytest.mark.parametrize(
    "entity, category, ccpa",
    [
        ("PERSON", "name", "A. Identifiers"),
        ("STREET_ADDRESS", "address", "A. Identifiers"),
        ("PHONE_NUMBER", "phone", "B. Personal information categories listed in Cal. Civ. Code 1798.80(e)"),
        ("EMAIL_ADDRESS", "email", "A. Identifiers"),
        ("JOB_TITLE", "company_title", "I. Professional or employment-related information"),
        ("CREDIT_CARD", "pfi", "B. Personal information categories listed in Cal. Civ. Code 1798.80(e)"),
        ("US_BANK_NUMBER", "pfi", "B. Personal information categories listed in Cal. Civ. Code 1798.80(e)"),
        ("USER_AGENT", "internet_usage", "F. Internet or other electronic network activity information"),
        ("IP_ADDRESS", "ip_address", "A. Identifiers"),
        ("US_EIN", "ssn_ein", "A. Identifiers"),
        ("CPNI", "cpni", "D. Commercial information"),
        ("DATE_OF_BIRTH", "identifiers", "C. Characteristics of protected classifications (age)"),
    ],
)
def test_default_mapping(policy, entity, category, ccpa):
    assert policy.category_id(entity) == category
    assert policy.ccpa_of(entity) == ccpa


def test_the_policy_text_shapes_the_default(policy):
    assert policy.response_days == 45 and policy.lookback_months == 12
    assert policy.minor_age == 18 and policy.minor_category == "minors"
    assert policy.minor_action.startswith("delete: use commercially reasonable efforts")
    assert {"credit_information", "minors", "identifiers"} <= set(policy.categories)
    credit = [p.purpose for p in policy.purposes_for("ssn_ein")]
    assert "Assessing credit risks and for reporting purposes or to obtain payment" in credit
    assert any(p.marketing for p in policy.purposes_for("company_title"))
    assert "legal" in policy.retention_exceptions
    assert policy.category_id("MY_CUSTOM_TERM") == "uncategorized"


@pytest.mark.parametrize(
    "born, on, minor",
    [
        (date(2010, 6, 1), date(2026, 11, 28), True),
        (date(2008, 11, 28), date(2026, 11, 28), False),  # 18 today
        (date(2008, 11, 29), date(2026, 11, 28), True),  # 18 tomorrow
        (date(1970, 1, 1), date(2026, 11, 28), False),
    ],
)
def test_minor_by_date_of_birth(policy, born, on, minor):
    assert policy.is_minor(born, on) is minor


def _write(tmp_path, text):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = """policy:
  id: p
  name: P
categories:
  - id: name
    label: Name
    entities: [PERSON]
    ccpa: A. Identifiers
"""


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD_HEAD + "purposes:\n  - group: G\n    purpose: X\n    categories: [name, pfi]\n    basis: B\n",
         "line 12: 'pfi' is not a category id"),
        (GOOD_HEAD + "  - id: other\n    label: O\n    entities: [PERSON]\n    ccpa: A\n",
         "line 11: entity PERSON is already in category 'name'"),
        (GOOD_HEAD + "  - id: name\n    label: Again\n    ccpa: A\n", "line 9: category id 'name' appears twice"),
        ("policy:\n  id: p\n  name: [unclosed\n", "line 4: not valid YAML"),
        (GOOD_HEAD + "extras: 1\n", "line 9: unknown section 'extras'"),
        ("policy:\n  id: p\n  name: P\n", "the 'categories' section is missing"),
        (GOOD_HEAD.replace("    ccpa: A. Identifiers\n", ""), "category 'name': ccpa is missing"),
    ],
)  # fmt: skip
def test_bad_policy_names_the_line(tmp_path, text, message):
    with pytest.raises(PolicyError) as caught:
        load_policy(_write(tmp_path, text))
    assert message in str(caught.value)
    assert str(tmp_path / "policy.yaml") in str(caught.value)


def test_default_policy_file_ships_with_the_package():
    assert DEFAULT_POLICY.is_file() and DEFAULT_POLICY.parent.name == "policies"
