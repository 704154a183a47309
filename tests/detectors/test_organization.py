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
        # a legal form says "company" by itself, and is never a person's name
        ("The employer is Globex Inc and she started Monday.", {("ORGANIZATION", "Globex Inc")}),
        ("Legal name: Lopez PLC", {("ORGANIZATION", "Lopez PLC")}),
        ("Bill to Acme Corp., ZIP 10001", {("ORGANIZATION", "Acme Corp.")}),
        # "Group" and three surnames need context words
        ("payer: Allen Group | box 1: $2184.21", {("ORGANIZATION", "Allen Group")}),
        ("Our focus Group met.", set()),
        (
            "Vendor W-9 received from Landry, Valenzuela and Johnson",
            {("ORGANIZATION", "Landry, Valenzuela and Johnson")},
        ),
        ("I met Smith, Jones and Brown at the bar.", set()),
        (
            "Microbilt Corporation is the work of our 3 founders: Kónya, Becker and Vasquez.",
            {
                ("ORGANIZATION", "Microbilt Corporation"),
                ("PERSON", "Kónya"),
                ("PERSON", "Becker"),
                ("PERSON", "Vasquez"),
            },
        ),
        # form labels and codes are not organizations
        ("the IRS assigned Employer ID Number 23-3558979 to the applicant", set()),
        ("client f4:f9:51:ac:58:fb roamed from AP-3 to AP-7", set()),
    ],
)
def test_organization(detector, text, expected):
    assert {(h.entity, h.text) for h in detector.detect(pa.array([text]))} == expected
