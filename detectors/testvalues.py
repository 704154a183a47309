"""Well-known test and sample values: reported as test data, not as customer PFI.

Digits-only forms; sources: payment processors' published test cards, the SSA's
advertising and wallet-card SSNs.
"""

from __future__ import annotations

from pdscan.core.masking import normalize

TEST_VALUES: dict[str, frozenset[str]] = {
    "CREDIT_CARD": frozenset(
        [
            "4111111111111111",
            "4242424242424242",
            "4012888888881881",
            "4000056655665556",
            "4222222222222",
            "4000000000000002",
            "4000000000000077",
            "5555555555554444",
            "5105105105105100",
            "5200828282828210",
            "5425233430109903",
            "2223003122003222",
            "2222400070000005",
            "5500000000000004",
            "378282246310005",
            "371449635398431",
            "378734493671000",
            "340000000000009",
            "6011111111111117",
            "6011000990139424",
            "3056930009020004",
            "36227206271667",
            "3566002020360505",
            "3530111333300000",
            "6200000000000005",
        ]
    ),  # fmt: skip
    "US_SSN": frozenset(["078051120", "219099999", "123456789"]),
}


def is_test_value(entity: str, value: str) -> bool:
    values = TEST_VALUES.get(entity)
    return bool(values) and normalize(entity, value) in values
