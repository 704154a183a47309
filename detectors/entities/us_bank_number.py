"""US_BANK_NUMBER: 8-17 digits, reported only with context or a column hint."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

SPEC = EntitySpec(
    name="US_BANK_NUMBER",
    category="pfi",
    description="8-17 digits, reported only with context or a column hint",
    masker=masking.mask_last4,
    normalizer=digits,
    column_evidence="weak",
    in_id_columns=False,
    ambiguous_number=True,
    recognizers=("pdscan.detectors.recognizers.us_bank:BankAccountNumberRecognizer",),
    gates=("pdscan.detectors.recognizers.us_bank:GATES",),
    replaces=("UsBankRecognizer",),
    column_hints=(
        "acct",
        "acctno",
        "acctnum",
        "account",
        "accountnumber",
        "accountno",
        "bankaccount",
        "bankacct",
        "dda",
    ),
    numeric=True,
    dsar_kind="account",
    absent={
        "test_values": "account numbers have no published test values",
    },
)
