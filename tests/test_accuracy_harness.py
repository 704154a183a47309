"""The accuracy harness's labels and scoring (benchmarks/accuracy_data.py, accuracy_score.py) and its seeded
labeled set (benchmarks/labeled.py)."""

import ipaddress
import re

import pytest
from stdnum import mac
from stdnum.us import ein, itin, rtn

from benchmarks import accuracy_data as data
from benchmarks import accuracy_score as score
from benchmarks.labeled import ABSENT, ENTITIES, generate

Span = data.Span


@pytest.mark.parametrize(
    "found, label, expected",
    [
        ((10, 20), (10, 20), True),  # exact
        ((12, 18), (10, 20), True),  # inside
        ((5, 15), (10, 20), True),  # half of the finding inside
        ((4, 14), (10, 20), False),  # 40% of the finding inside, 40% of the label covered
        ((3, 16), (10, 20), True),  # 46% inside, but covers 60% of the label at 1.3x its length
        ((0, 20), (10, 20), True),  # covers all of it at exactly twice its length
        ((0, 21), (10, 20), False),  # covers all of it, longer than twice, 48% inside
        ((20, 30), (10, 20), False),  # touching is not overlapping
    ],
)
def test_matching_rule(found, label, expected):
    assert score.matches(Span("PERSON", *found), Span("PERSON", *label)) is expected


def test_whole_line_finding_does_not_match_a_span_in_it():
    text = "Customer: John Smith, premium plan, renewal due"
    start = text.index("John Smith")
    label = Span("PERSON", start, start + len("John Smith"))
    assert not score.matches(Span("PERSON", 0, len(text)), label, text)
    result = score.score_doc([label], [Span("PERSON", 0, len(text))], text)
    assert (len(result.tp), len(result.fp), len(result.fn)) == (0, 1, 1)


def test_entity_and_line_must_agree():
    assert not score.matches(Span("LOCATION", 0, 5), Span("PERSON", 0, 5))
    text = "12 Main St\nSpringfield"
    label = Span("STREET_ADDRESS", 0, len(text))
    assert score.matches(Span("STREET_ADDRESS", 0, 10), label, text)
    assert not score.matches(Span("STREET_ADDRESS", 8, 14), label, text)  # overlap crosses the line break


def test_each_label_matches_once_duplicates_are_ignored():
    labels = [Span("PERSON", 10, 20), Span("PERSON", 30, 40)]
    found = [Span("PERSON", 10, 15), Span("PERSON", 15, 20), Span("PERSON", 50, 55)]
    result = score.score_doc(labels, found)
    assert [f for f, _ in result.tp] == [found[0]]  # the first of two equal overlaps
    assert result.dup == [found[1]]
    assert result.fp == [found[2]]
    assert result.fn == [labels[1]]


def test_a_finding_goes_to_the_label_it_overlaps_most():
    labels = [Span("PERSON", 0, 10), Span("PERSON", 10, 20)]
    wide, exact = Span("PERSON", 2, 19), Span("PERSON", 10, 20)  # wide matches both labels, the second more
    result = score.score_doc(labels, [wide, exact])
    assert sorted((f.start, s.start) for f, s in result.tp) == [(2, 0), (10, 10)]  # so wide takes the first
    assert not result.fp and not result.fn and not result.dup


def test_address_pieces_join_across_spaces_punctuation_city_and_postcode():
    text = "Billing address: Sara Schwarz\n    28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    SK\n    53650"
    raw = [("PERSON", 17, 29), ("STREET_ADDRESS", 34, 39), ("STREET_ADDRESS", 40, 51), ("STREET_ADDRESS", 52, 60),
           ("GPE", 64, 76), ("GPE", 81, 83), ("ZIP_CODE", 88, 93)]  # fmt: skip
    assert data.join_address_pieces(text, raw) == [("PERSON", 17, 29), ("STREET_ADDRESS", 34, 93)]


def test_address_pieces_stay_apart_across_words_and_other_labels():
    text = "Ship to 12 Elm St, and 40 Oak Ave. Bjert 6091"
    raw = [("STREET_ADDRESS", 8, 17), ("STREET_ADDRESS", 23, 33), ("GPE", 35, 40), ("ZIP_CODE", 41, 45)]
    # "and" separates the two addresses; the city right after the second one is part of it
    assert data.join_address_pieces(text, raw) == [("STREET_ADDRESS", 8, 17), ("STREET_ADDRESS", 23, 45)]
    doc = data.make_doc(
        "x",
        "Looking to support Factset in Bjert 6091.",
        [("ORGANIZATION", 19, 26), ("GPE", 30, 35), ("ZIP_CODE", 36, 40)],
    )
    assert doc.spans == [Span("ORGANIZATION", 19, 26), Span("POSTAL_CODE", 36, 40)]  # a city alone is not scored


@pytest.mark.parametrize(
    "label, text, expected",
    [
        ("EMAIL", "a@b.co", "EMAIL_ADDRESS"),
        ("PHONE", "555-123-4567", "PHONE_NUMBER"),
        ("SSN", "123-45-6789", "US_SSN"),
        ("ADDRESS", "221B Baker Street", "STREET_ADDRESS"),
        ("DOMAIN_NAME", "https://x.se/", "URL"),
        ("US_EIN", "12-3456789", "US_EIN"),  # not in the table: its own name
        ("GPE", "Paris", None),
        ("LOCATION", "Paris", None),
        ("NRP", "German", None),
        ("TITLE", "Mr.", None),
        ("TITLE", "Packager", "JOB_TITLE"),
    ],
)
def test_label_table(label, text, expected):
    assert data.label_entity(label, text, 0, len(text)) == expected


def test_dates_count_only_as_birth_dates():
    text = "She was born on 2/8/1935. The invoice is dated 3/4/2024."
    born, invoice = text.index("2/8/1935"), text.index("3/4/2024")
    assert data.label_entity("DATE_TIME", text, born, born + 8) == "DATE_OF_BIRTH"
    assert data.label_entity("DATE", text, invoice, invoice + 8) is None
    assert data.finding_entity("DATE_TIME") is None  # Presidio's dates are not birth dates
    assert data.finding_entity("LOCATION") is None
    assert data.finding_entity("PERSON") == "PERSON"


def test_labels_lost_to_question_marks_are_dropped():
    doc = data.make_doc("x", "???????????xiaoming@example.cn", [("PERSON", 0, 3), ("EMAIL", 11, 30)])
    assert doc.spans == [Span("EMAIL_ADDRESS", 11, 30)]


def test_lines_and_offsets_as_the_file_connector_reads_them():
    docs = [data.Doc("a", "one\r\ntwo\nthree", []), data.Doc("b", "", [])]
    lines, where = data.split_lines(docs)
    assert lines == ["one", "two", "three", ""]
    assert where == [(0, 0), (0, 5), (0, 9), (1, 0)]


def test_evaluate_scores_only_the_dataset_entities_and_counts_negatives():
    docs = [
        data.Doc("p", "Mail jane@x.io now", [Span("EMAIL_ADDRESS", 5, 14)]),
        data.Doc("n", "Order 123456789", [], negative=True),
    ]
    found = [[Span("EMAIL_ADDRESS", 5, 14, 1.0), Span("URL", 10, 14, 0.5)], [Span("US_BANK_NUMBER", 6, 15, 0.5)]]
    result = score.evaluate(docs, found, ["EMAIL_ADDRESS", "US_BANK_NUMBER"])
    assert result.counts["EMAIL_ADDRESS"].metrics()["f1"] == 1.0
    assert result.counts["US_BANK_NUMBER"].fp == 1  # URL is not scored here
    assert result.negatives == {"US_BANK_NUMBER": 1}
    assert result.micro().metrics()["precision"] == 0.5
    assert result.counts["US_BANK_NUMBER"].metrics()["recall"] is None  # no labels: recall undefined


def test_generated_set_is_seeded_and_its_offsets_hold():
    items = generate(seed=1)
    assert items == generate(seed=1)
    assert items != generate(seed=2)
    assert 400 <= len(items) <= 800
    negatives = [it for it in items if it["negative"]]
    assert negatives and all(not it["spans"] for it in negatives)
    seen = set()
    for it in items:
        for s in it["spans"]:
            value = it["full_text"][s["start_position"] : s["end_position"]]
            assert value == s["entity_value"] and value.strip() == value, it["id"]
            seen.add(s["entity_type"])
            check = {"US_EIN": ein.is_valid, "US_ITIN": itin.is_valid, "ABA_ROUTING_NUMBER": rtn.is_valid}.get(
                s["entity_type"]
            )
            assert check is None or check(value), value
            if s["entity_type"] == "IP_ADDRESS":
                ipaddress.ip_address(value)
            if s["entity_type"] == "MAC_ADDRESS":  # a device: unicast, a registered vendor or randomized
                pairs = ":".join(re.findall("..", re.sub("[^0-9a-fA-F]", "", value)))
                assert mac.is_valid(pairs) and not mac.is_multicast(pairs), value
            if s["entity_type"] == "US_BANK_NUMBER":
                assert value.isdigit() and 8 <= len(value) <= 17
    assert seen == set(ENTITIES) and not seen & set(ABSENT)
