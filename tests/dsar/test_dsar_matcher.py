"""The DSAR matcher: each identifier in its usual spellings matches; near misses never do."""

import pyarrow as pa
import pytest

from pdscan.dsar.identifiers import Identifiers, parse
from pdscan.dsar.matcher import Matcher

PERSON = {
    "name": "Okafor, Marisol",
    "email": "marisol.okafor@example.net",
    "phone": "415-555-0187",
    "ssn": "536224187",
    "card_last4": "2218",
    "account": "0071-2345-98",
}
CARD = "4556 7301 2894 2218"  # Luhn-valid


@pytest.fixture(scope="module")
def matcher():
    ids = Identifiers()
    for kind, value in PERSON.items():
        ids.add(kind, value, kind)
    return Matcher(ids)


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("Marisol.Okafor@EXAMPLE.net", "email", "Marisol.Okafor@EXAMPLE.net"),
        ("mail <marisol.okafor@example.net>.", "email", "marisol.okafor@example.net"),
        ("+1 (415) 555-0187", "phone", "(415) 555-0187"),
        ("tel:+14155550187;ext", "phone", "+14155550187"),
        ("415.555.0187", "phone", "415.555.0187"),
        ("415 5550187", "phone", "415 5550187"),  # a whole value in an odd spelling
        ("ssn 536-22-4187.", "ssn", "536-22-4187"),
        ("EIN 53-6224187", "ssn", "53-6224187"),
        ("MARISOL   okafor paid", "name", "MARISOL   okafor"),
        ("Okafor,Marisol", "name", "Okafor,Marisol"),
        ("signed: Marisol T. Okafor", "name", "Marisol T. Okafor"),  # a middle initial
        ("MARISOL TEMI ADA OKAFOR", "name", "MARISOL TEMI ADA OKAFOR"),  # two middle names
        (f"card {CARD} exp 12/29", "card_last4", CARD),
        ("acct 0071234598", "account", "0071234598"),
        ("acct 0071-2345-98", "account", "0071-2345-98"),
    ],
)
def test_spellings_match(matcher, text, kind, found):
    hits = [(h.kind, h.text) for h in matcher.find(text)]
    assert (kind, found) in hits


@pytest.mark.parametrize(
    "text",
    [
        "marisol.okafer@example.net",  # one letter
        "xmarisol.okafor@example.net",
        "marisol.okafor@example.network",
        "415-555-0188",  # one digit
        "415-555-01870",
        "2415-555-0187",
        "+44 415 555 0187",  # same digits, another country
        "536-22-4178",  # two digits swapped
        "5362241870",
        "Marisol Okafora",  # similar surname
        "Marisol Okafo",
        "Maria Okafor",
        "Okafor, Maria",
        "Marisol met Okafor",  # a word between them is not a middle name
        "Marisol A B C Okafor",  # nor are three
        "card 4556 7301 2895 2218",  # same last four, not Luhn-valid
        "order 2218 shipped",
        "acct 00712345980",
    ],
)
def test_near_misses_never_match(matcher, text):
    assert matcher.find(text) == []


def test_candidates_are_a_superset_found_in_one_pass(matcher):
    values = pa.array(["nothing", None, "415 5550187", "ref MARISOL.OKAFOR@example.net", "Okafor", "536.22.4187"])
    assert matcher.candidates(values) == {2, 3, 4, 5}


def test_a_name_over_two_columns(matcher):
    hits = matcher.record({"first_name": " Marisol ", "last_name": "OKAFOR", "city": "Oakland"})
    assert [(h.field, h.text) for h in hits] == [("first_name", "Marisol"), ("last_name", "OKAFOR")]
    assert matcher.record({"first_name": "Maria", "last_name": "Okafor"}) == []
    assert matcher.record({"city": "Marisol", "last_name": "Okafor"}) == []


@pytest.mark.parametrize(
    "kind, raw, normalized",
    [
        ("email", " Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("phone", "(415) 555-0187", "+14155550187"),
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("ssn", "536 22 4187", "536224187"),
        ("name", "  DOE,   Jane ", "jane doe"),
        ("name", "Jane Q. Doe", "jane q. doe"),
    ],
)
def test_normalized_forms(kind, raw, normalized):
    assert parse(kind, raw, kind).value == normalized


def test_an_international_phone_in_its_national_spelling():
    ids = Identifiers()
    ids.add("phone", "+44 20 7946 0958", "phone")
    m = Matcher(ids)
    assert [h.text for h in m.find("call 020 7946 0958 today")] == ["020 7946 0958"]
    assert m.find("call 020 7946 0959 today") == []
