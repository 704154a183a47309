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


# ---- real text and the false-positive set ------------------------------------------------------


def test_conll_reader_rebuilds_a_real_post_with_exact_offsets():
    texts = data.read_conll(data.WNUT17 / "train.conll")
    assert len(texts) == 3394  # the datasets README's count
    tokens, tags = next(t for t in texts if t[0][:3] == ["I", "just", "took"] and "Scooter" in t[0])
    doc = data.conll_doc("x", tokens, tags)
    assert doc.text.startswith('I just took " When your mom makes you go live with your dad Scooter Braun , your life')
    assert [doc.text[s.start : s.end] for s in doc.spans] == ["Scooter Braun"]
    assert doc.text.split(" ") == tokens  # single spaces, so every token sits where its offset says


def test_conll_spans_on_every_text_are_the_person_tokens():
    docs = data.load_wnut17()
    assert len(docs) == 3394 + 1009  # train and dev; dev ends on a stray byte-order mark
    raw = [line.split("\t")[-1].strip() for split in data.WNUT17_SPLITS
           for line in (data.WNUT17 / f"{split}.conll").read_text(encoding="utf-8-sig").splitlines()]  # fmt: skip
    assert sum(len(d.spans) for d in docs) == raw.count("B-person")  # every I-person follows a person tag
    for doc, (tokens, tags) in zip(
        docs, [t for s in data.WNUT17_SPLITS for t in data.read_conll(data.WNUT17 / f"{s}.conll")]
    ):
        person = " ".join(tok for tok, tag in zip(tokens, tags) if tag.endswith("-person"))
        assert " ".join(doc.text[s.start : s.end] for s in doc.spans) == person, doc.id
        assert {s.entity for s in doc.spans} <= {"PERSON"}


def test_conll_runs_begin_and_end_where_the_tags_say(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text("\ufeffsaw\tO\nann\tI-person\nlee\tI-person\nbob\tB-person\nat\tO\nAcme\tB-corporation\n\t\n"
                    "hi\tO\n\ufeff\n")  # fmt: skip
    first, second = data.read_conll(path)
    doc = data.conll_doc("x", *first)
    assert doc.text == "saw ann lee bob at Acme"
    assert [doc.text[s.start : s.end] for s in doc.spans] == ["ann lee", "bob"]  # a stray I- starts a run
    assert second == (["hi"], ["O"])


def test_loghub_counts_every_finding_per_entity_per_thousand_lines():
    from benchmarks.accuracy import print_false_positives

    docs = data.load_loghub(limit=25)
    assert len(docs) == 8 and all(d.negative and not d.spans for d in docs)
    lines, _ = data.split_lines(docs)
    assert len(lines) == 200
    linux = next(d for d in docs if d.id.endswith("Linux_2k"))
    assert linux.text.split("\n")[0].startswith("Jun 14 15:16:01 combo sshd(pam_unix)")
    pdscan = [[] for _ in docs]
    pdscan[0] = [Span("URL", 0, 3), Span("URL", 5, 9), Span("PERSON", 10, 12)]
    pdscan[7] = [Span("IP_ADDRESS", 1, 2)]
    presidio = [[Span("DATE_TIME", 0, 1)] for _ in docs]
    out = print_false_positives("loghub", docs, {"pdscan": pdscan, "presidio": presidio}, {"pdscan": (1, 1), "presidio": (1, 1)}, ["URL"])  # fmt: skip
    assert out["lines"] == 200
    assert out["engines"]["pdscan"]["findings"] == {"URL": 2, "PERSON": 1, "IP_ADDRESS": 1}
    assert out["engines"]["pdscan"]["per_1000_lines"] == {"URL": 10.0, "PERSON": 5.0, "IP_ADDRESS": 5.0}
    assert out["engines"]["presidio"]["per_1000_lines"] == {"DATE_TIME": 40.0}


def test_generated_names_are_none_the_detector_loads():
    from benchmarks.labeled import GIVEN, SURNAMES
    from pdscan.detectors.names import name_sets

    given, surnames = name_sets()
    loaded = given | surnames
    pool = set(GIVEN) | set(SURNAMES)
    assert len(GIVEN) >= 80 and len(SURNAMES) >= 80
    listed = sorted(n for n in pool for part in re.findall(r"[^\W\d_]+", n) if part.casefold() in loaded)
    assert not listed, f"now in a list the detector loads (a new Faker?): {listed}"
    items = generate(seed=1)
    people = [s["entity_value"] for it in items for s in it["spans"] if s["entity_type"] == "PERSON"]
    firms = [s["entity_value"] for it in items for s in it["spans"] if s["entity_type"] == "ORGANIZATION"]
    assert len(people) > 150 and len(firms) > 40
    for value in people + firms:  # every word of a name or firm is from the pools or a legal form
        words = set(re.findall(r"[^\W\d_]+", value)) - {"Inc", "and", "Sons", "LLC", "Group", "PLC", "Ltd"}
        assert words and words <= pool and not {w.casefold() for w in words} & loaded, value


def test_without_name_lists_empties_them_and_puts_them_back():
    from pdscan.detectors import names

    assert names.is_given_name("Ella") and names.is_surname("Garcia")
    with names.without_name_lists():
        assert names.name_sets() == (frozenset(), frozenset())
        assert not names.is_given_name("Ella") and not names.is_known_name("Garcia")
    assert names.is_given_name("Ella") and len(names.name_sets()[0]) > 10_000


def test_name_list_share_is_the_part_of_found_names_that_needs_the_lists():
    from benchmarks.accuracy import name_list_share

    share = name_list_share(score.Counts(tp=80, fp=5, fn=20), score.Counts(tp=60, fp=4, fn=40))
    assert share["with"]["recall"] == 0.8 and share["without"]["recall"] == 0.6
    assert share["share_of_recall"] == 0.25
    assert name_list_share(score.Counts(), score.Counts())["share_of_recall"] is None
