"""US_BANK_NUMBER: 8-17 bare digits, weak on their own: a bank word nearby (or the column name) lifts them.

Replaces Presidio's UsBankRecognizer, which also claims card numbers, amounts, dates and E.164 phones.
"""

from __future__ import annotations

from datetime import datetime

from presidio_analyzer import Pattern

from pdscan.detectors.prefilter import Gate
from pdscan.detectors.recognizers._base import (
    ChecksumPatternRecognizer,
    is_card_number,
    is_repeated_digit,
    is_sequential_digits,
)

ENTITY = "US_BANK_NUMBER"


def is_compact_date(digits: str) -> bool:
    """`20261101`: a YYYYMMDD date of this or the last century, not an account."""
    if len(digits) != 8 or digits[:2] not in ("19", "20"):
        return False
    try:
        datetime.strptime(digits, "%Y%m%d")
    except ValueError:
        return False
    return True


JUNK = (is_card_number, is_repeated_digit, is_sequential_digits, is_compact_date)


class BankAccountNumberRecognizer(ChecksumPatternRecognizer):
    """A run of 8-17 digits that is not part of a decimal, a phone number in +E.164 or a dashed code."""

    ENTITIES = [ENTITY]
    PATTERNS = [Pattern("Bank account (weak)", r"(?<![\w+\-])(?<!\d\.)\d{8,17}\b(?!\.\d)", 0.05)]
    # "a/c" never matches: spaCy splits it into "a", "/", "c".
    CONTEXT = ["account", "acct", "bank", "checking", "savings", "deposit", "dda", "bankaccount", "acctno", "acctnum"]

    def invalidate_result(self, pattern_text: str) -> bool:
        return any(junk(pattern_text) for junk in JUNK)


RECOGNIZERS = [BankAccountNumberRecognizer]
REPLACES = ["UsBankRecognizer"]
GATES = (
    # A run of 8-17 digits not inside a word, a UUID's last group, a decimal or a +phone.
    Gate(
        "us_bank.digits",
        r"(?:^|[^\w+\-.]|[^\d]\.)\d{8,17}(?:$|[^\w.]|\.(?:$|\D))",
        frozenset({ENTITY}),
        needs="d8",
        context=tuple(BankAccountNumberRecognizer.CONTEXT),
        weak_max=0.05,
    ),
)
