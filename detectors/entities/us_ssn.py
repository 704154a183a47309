"""US_SSN: stdnum validity rules; bare 9 digits need context."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec
from pdscan.core.text import digits

# The SSA's advertising and wallet-card SSNs, and the documentation favourite: test data, not a person's.
TEST_VALUES = ("078051120", "219099999", "123456789")

SPEC = EntitySpec(
    name="US_SSN",
    category="ssn_ein",
    description="stdnum validity rules; bare 9 digits need context",
    masker=masking.mask_last4,
    normalizer=digits,
    ambiguous_number=True,
    recognizers=("pdscan.detectors.recognizers.us_ssn:SocialSecurityNumberRecognizer",),
    gates=("pdscan.detectors.recognizers.us_ssn:GATES",),
    replaces=("UsSsnRecognizer",),
    column_hints=("ssn", "socialsecurity", "socialsecuritynumber", "social", "socsec", "ssnumber"),
    numeric=True,
    test_values=TEST_VALUES,
    dsar_kind="ssn",
)
