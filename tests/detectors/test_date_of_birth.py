"""DATE_OF_BIRTH: real dates from 1900 to today, reported only beside a birth word or under a dob column."""

from datetime import date

import pytest

from pdscan.detectors.recognizers import date_of_birth
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "DATE_OF_BIRTH"


CASES = [
    # (value, context words, [(date found, score), ...])
    # birth words in the text
    ("She was born on 2/8/1935. Her maid", None, [("2/8/1935", 0.65)]),
    ("Please tell me your date of birth. It's 6/24/1991", None, [("6/24/1991", 0.65)]),
    ("Patient Emily Johnson, DOB 03/15/1989, MRN 00987654.", None, [("03/15/1989", 0.65)]),
    ("Record for Maria Lopez born March 15, 1989 in Madrid.", None, [("March 15, 1989", 0.65)]),
    ("born 21st of April 1958", None, [("21st of April 1958", 0.65)]),
    ("John Smith (b. 1958-04-21)", None, [("1958-04-21", 0.65)]),
    ("Birthday: 21 Apr 1958", None, [("21 Apr 1958", 0.65)]),
    ("DOB: 04/21/58", None, [("04/21/58", 0.5)]),  # a two-digit year needs the context to reach 0.5
    # a dob column: every layout, month/day either way round
    ("1958/04/21", ["birthdate"], [("1958/04/21", 0.65)]),
    ("1958/04/21", ["birth", "date"], [("1958/04/21", 0.65)]),
    ("04/21/1958", ["dob"], [("04/21/1958", 0.65)]),
    ("21/04/1958", ["dob"], [("21/04/1958", 0.65)]),
    ("1958-04-21", ["dob"], [("1958-04-21", 0.65)]),
    ("April 21, 1958", ["dob"], [("April 21, 1958", 0.65)]),
    ("21 Apr 1958", ["date", "of", "birth"], [("21 Apr 1958", 0.65)]),
    # a date alone, or under another date column, is an event
    ("1958/04/21", None, []),
    ("Date 1989-03-15 recorded.", None, []),
    ("Meeting on March 15, 1989 was archived.", None, []),
    ("04/21/58", None, []),
    ("2024-01-15", ["created", "date"], []),
    # timestamps, impossible and implausible dates, versions
    ("born 2024-01-15T10:30:00Z", None, []),
    ("2024-01-15 10:30:00 INFO birthday job ran", None, []),
    ("DOB 13/13/1990", None, []),
    ("DOB 02/30/1990", None, []),
    ("born 1850-01-01", None, []),
    ("born 2099-01-01", None, []),
    ("Date 2026-99-99 is not valid", None, []),
    ("Release v2026.2.9 fixed the issue", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_dates_of_birth(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "DateOfBirthRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_date(value):
    assert gate_passes(value, date_of_birth.GATES)


@pytest.mark.parametrize(
    "value", ["2024-01-15T10:30:00Z GET /", "2024-01-15 10:30:00 INFO started", "at 12:30:45 UTC", "v2026.2.9"]
)
def test_gates_skip_timestamps(value):
    assert not gate_passes(value, date_of_birth.GATES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("04/21/1958", date(1958, 4, 21)),
        ("21/04/1958", date(1958, 4, 21)),
        ("02/03/1990", date(1990, 2, 3)),  # month first when both readings are dates
        ("Sept 9, 1999", date(1999, 9, 9)),
        ("04/21/58", date(1958, 4, 21)),
        ("02/30/1990", None),
        ("1899-12-31", None),
    ],
)
def test_parse_date(text, expected):
    assert date_of_birth.parse_date(text, today=date(2026, 1, 1)) == expected
