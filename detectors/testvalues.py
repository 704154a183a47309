"""Well-known test and sample values: reported as test data, not as customer PFI.

Each entity's own (digits-only forms) are in its spec (pdscan.detectors.entities), e.g. payment
processors' published test cards and the SSA's advertising and wallet-card SSNs.
"""

from __future__ import annotations

from pdscan.core import entities
from pdscan.core.masking import normalize


def is_test_value(entity: str, value: str) -> bool:
    values = entities.test_values().get(entity)
    return bool(values) and normalize(entity, value) in values
