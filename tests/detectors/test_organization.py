"""ORGANIZATION in prose: spaCy's ORG with context words; never a PERSON."""

import pyarrow as pa
import pytest

ENTITIES = ["ORGANIZATION", "PERSON"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She works for Acme Corporation as an analyst.", {("ORGANIZATION", "Acme Corporation")}),
        ("Company: Fusion Connect, Inc. (vendor)", {("ORGANIZATION", "Fusion Connect, Inc.")}),
        # ORG without context stays under the threshold
        ("He joined Microsoft in 2019.", set()),
        # the small model's ORG for a bare acronym is noise
        ("Employee SSN is on file", set()),
        # a legal-form suffix is not a person's name
        ("The employer is Globex Inc and she started Monday.", set()),
    ],
)
def test_organization(detector, text, expected):
    assert {(h.entity, h.text) for h in detector.detect(pa.array([text]))} == expected
