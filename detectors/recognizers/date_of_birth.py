"""DATE_OF_BIRTH: a real calendar date from 1900 to today beside "born", "DOB", "date of birth" or a dob column.

A date alone stays under the reporting threshold: most dates in data are events, not birthdays.
Timestamps (a date with a time of day) are events and are never candidates.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.detectors.prefilter import Gate

ENTITY = "DATE_OF_BIRTH"
FIRST_YEAR = 1900

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_SEP = r"[-/.]"
# not part of a longer number, version or timestamp: "v1.2.2020", "2024-01-15T10:30", "2024-01-15 10:30:00"
_AFTER = r"(?![\w\-/]|\.\w|[ \t]*,?[ \t]*\d{1,2}:\d\d)"
_BEFORE = r"(?<![\w.\-/])"


class DateOfBirthRecognizer(PatternRecognizer):
    """Dates in the common layouts, checked against the calendar; context decides they are birth dates."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("date (year first)", rf"{_BEFORE}(?:19|20)\d\d({_SEP})\d{{1,2}}\1\d{{1,2}}{_AFTER}", 0.3),
        Pattern("date (year last)", rf"{_BEFORE}\d{{1,2}}({_SEP})\d{{1,2}}\1(?:19|20)\d\d{_AFTER}", 0.3),
        Pattern("date (month name first)", rf"(?i)\b{_MONTH}[ \t]+{_DAY},?[ \t]+(?:19|20)\d\d{_AFTER}", 0.3),
        Pattern(
            "date (day first)", rf"(?i){_BEFORE}{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH},?[ \t]+(?:19|20)\d\d{_AFTER}", 0.3
        ),
        Pattern("date (two-digit year)", rf"{_BEFORE}\d{{1,2}}/\d{{1,2}}/\d\d{_AFTER}", 0.1),
    ]
    CONTEXT = ["born", "birth", "birthday", "birthdate", "dob", "d.o.b", "d.o.b.", "b.", "bday", "birthdt", "natal"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITY, name="DateOfBirthRecognizer", patterns=self.PATTERNS, context=self.CONTEXT
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """None: keep the pattern's score (a valid date is not yet a birth date); bad dates go in invalidate_result."""
        return None

    def invalidate_result(self, pattern_text: str) -> bool:
        return parse_date(pattern_text) is None


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date a matched text names, if one reading of it is a real day from 1900 to today."""
    today = today or date.today()
    words = re.findall(r"\d+|[A-Za-z]+", text.lower())
    words = [w for w in words if w not in ("st", "nd", "rd", "th", "of")]
    if len(words) != 3:
        return None
    if words[0] in _MONTHS:  # April 21, 1958
        readings = [(int(words[2]), _MONTHS[words[0]], int(words[1]))]
    elif words[1] in _MONTHS:  # 21 Apr 1958
        readings = [(int(words[2]), _MONTHS[words[1]], int(words[0]))]
    elif len(words[0]) == 4:  # 1958-04-21
        readings = [(int(words[0]), int(words[1]), int(words[2]))]
    else:  # 04/21/1958 or 21/04/1958, 04/21/58
        year = int(words[2])
        if len(words[2]) == 2:
            year += 2000 if year <= today.year % 100 else 1900
        readings = [(year, int(words[0]), int(words[1])), (year, int(words[1]), int(words[0]))]
    for year, month, day in readings:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if FIRST_YEAR <= year and found <= today:
            return found
    return None


RECOGNIZERS = [DateOfBirthRecognizer]
_GATE_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
GATES = (
    # a numeric date not followed by a time of day, or a date with the month's name
    Gate(
        "date_of_birth.date",
        r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d\d|\d{4})|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2})(?:$|[^\w:.\-/\s]|\s+[^\d\s]|\.(?:$|\D))"
        rf"|(?i)\b{_GATE_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"
        rf"|(?i)\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_GATE_MONTH},?\s+(?:19|20)\d\d\b",
        frozenset({ENTITY}),
        needs="d4 [-/.] n6|A S d5",
        context=tuple(DateOfBirthRecognizer.CONTEXT),
        weak_max=0.3,
    ),
)
