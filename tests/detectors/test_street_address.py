"""STREET_ADDRESS: street lines confirmed by usaddress or street words, grown by unit, city, state, postcode."""

import csv

import pyarrow as pa
import pytest

from pdscan.detectors.recognizers import street_address
from tests.conftest import DATASETS
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "STREET_ADDRESS"


CASES = [
    # (value, context words, [(address found, score), ...])
    ("Order 615823896 shipped on 23 Nov 2024 via UPS, tracking 1ZMW8578802484.", None, []),  # a year, not a number
    # US addresses in prose: the city, state and ZIP make them; "ship", "visit", "lives" are context
    (
        "Ship it to 10932 Bigge Rd, Menlo Park, CA 94025 please",
        None,
        [("10932 Bigge Rd, Menlo Park, CA 94025", 1.0)],
    ),
    ("Please visit 221B Baker Street for pickup.", None, [("221B Baker Street", 0.85)]),
    ("Ship replacement parts to 1600 Pennsylvania Avenue NW.", None, [("1600 Pennsylvania Avenue NW", 0.85)]),
    (
        "Our office: 350 Fifth Avenue, New York, NY 10118, USA.",
        None,
        [("350 Fifth Avenue, New York, NY 10118, USA", 1.0)],
    ),
    ("The restaurant is at 2450 Crown St", None, [("2450 Crown St", 0.5)]),
    ("Meet at the corner of Main St and Oak Ave tonight", None, [("the corner of Main St and Oak Ave", 0.55)]),
    # a cell of an address column: number, name and street type stand alone; the column name adds context
    ("10932 Bigge Rd", None, [("10932 Bigge Rd", 0.5)]),
    ("10932 Bigge Rd", ["address"], [("10932 Bigge Rd", 0.85)]),
    ("883 Jimmy Village Suite 190", None, [("883 Jimmy Village Suite 190", 0.55)]),
    ("309 63rd St. #411", None, [("309 63rd St. #411", 0.7)]),
    ("582 Thrash Trail", None, [("582 Thrash Trail", 0.5)]),
    # PO boxes and military addresses
    ("P.O. Box 255", None, [("P.O. Box 255", 0.5)]),
    ("Send it to P.O. Box 255, Kodiak, AK 99615", None, [("P.O. Box 255, Kodiak, AK 99615", 1.0)]),
    ("my new address is PSC 6293, Box 8158\nAPO AP 04336", None, [("PSC 6293, Box 8158\nAPO AP 04336", 1.0)]),
    ("PSC 6293, Box 8158", None, [("PSC 6293, Box 8158", 0.6)]),  # files are read line by line
    ("FPO AA 70489", None, [("FPO AA 70489", 0.6)]),
    # other countries: street words before or after the name, house number last, address blocks
    ("The bus station is on Villacher Strasse 89", None, [("Villacher Strasse 89", 0.5)]),
    ("She lives at 86036 Rua do Arenque 1634, Goiânia", None, [("86036 Rua do Arenque 1634, Goiânia", 0.95)]),
    (
        "Maureen Thibault\n\n41086 Kiannonkatu 98\n Suite 464\n OULU\n\n Finland 80896",
        None,
        [("41086 Kiannonkatu 98\n Suite 464\n OULU\n\n Finland 80896", 0.95)],
    ),
    (
        "Our offices are located at 6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828",
        None,
        [("6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828", 1.0)],
    ),
    # British street types usaddress does not know, a unit before the street line, a postcode after the city
    ("Return it to 12 Countess Close, Leeds LS1 4AP", None, [("12 Countess Close, Leeds LS1 4AP", 0.55)]),
    ("Flat 3, 27 Alder Rise, Bristol BS8 1TH", None, [("Flat 3, 27 Alder Rise, Bristol BS8 1TH", 0.75)]),
    ("14 Oak Road, London SW1A 1AA", None, [("14 Oak Road, London SW1A 1AA", 0.7)]),
    ("Shares saw a 3 Percent Rise", None, []),  # a number, a name, a weak street type: nothing more
    # lower-case names beside a street word no English text uses; English words stay out
    ("rua augusta 24, lisboa", None, [("rua augusta 24", 0.5)]),
    ("hegyalja út 98, Budapest", None, [("hegyalja út 98, Budapest", 0.6)]),
    ("The bus drops you off at 518 Árpád fejedelem útja 62.", None, [("518 Árpád fejedelem útja 62.", 0.5)]),
    ("eva lives at hersnapvej 18", None, [("hersnapvej 18", 0.85)]),
    ("688 rue du centre 320", None, [("688 rue du centre 320", 0.5)]),
    ("The bus drops you off at 29 Rue de Tanger", None, [("29 Rue de Tanger", 0.5)]),
    ("947 trg revolucije 17 apt. 858", None, [("947 trg revolucije 17 apt. 858", 0.7)]),
    ("Top 5 Route Planners", None, []),  # a street word English uses too stays weaker
    ("sent via email 5 times", None, []),
    ("rue the day 5 times", None, []),
    ("I bought a bowtie 2 days ago", None, []),
    # lower-case US street lines: usaddress confirms them, a unit (or context) makes them
    ("3911 fourth avenue suite 112 calgary alberta", None, [("3911 fourth avenue suite 112", 0.5)]),
    ("a 2 lane road suite", None, []),
    # a bare "number Name number" with a unit beside it
    ("19902 Dobrovského 1394 Apt. 066", None, [("19902 Dobrovského 1394 Apt. 066", 0.5)]),
    ("Mrs. Diana Usamov Suite 913 0547 Bygget 91", None, [("Suite 913 0547 Bygget 91", 0.5)]),
    ("Allika 46, Suite 501", None, []),  # no house number before the name: a unit alone is not enough
    # a leading number joins a street line across spaces only
    ("at 10:28 am The Tunnels", None, []),
    # a bare "number Name number" needs context, from the text or the column name
    ("20789 Allika 46", None, []),
    ("20789 Allika 46", ["address"], [("20789 Allika 46", 0.55)]),
    ("She lives at 20789 Allika 46", None, [("20789 Allika 46", 0.55)]),
    # near misses: numbers before everyday words, units without a street, times, codes
    ("Top 10 Data Center tips", None, []),
    ("I need 12 apples and 3 oranges on the way", None, []),
    ("We waited 3 hours at the park", None, []),
    ("Windows 10 Pro Building 4", None, []),
    ("Windows 10 Pro", ["address"], []),
    ("Terminal B Gate 23 boarding", None, []),
    ("Order 12345 Suite 5 shipped", None, []),
    ("The event starts at 12:30:45 UTC", None, []),
    ("Part number: 555-123-4567-A", None, []),
    ("Chapter 12 Strasse 5", None, []),
    ("GET /x 200 OK path=/a", None, []),
    ("Released 2 New Way updates", None, [("2 New Way", 0.5)]),  # known weakness: a number, a name, a street type
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_street_addresses(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "StreetAddressRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_address(value):
    assert gate_passes(value, street_address.GATES)


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-01T10:00:00Z GET /api/v1/users 200 12ms",
        "took 12 ms to run well",
        "Release v2026.2.9 fixed the issue",
        "Sequence 1234 5678 90 is not a card",
    ],
)
def test_gates_skip_log_lines(value):
    assert not gate_passes(value, street_address.GATES)


def test_piicatcher_address_column(detector):
    """Every value of the sample customer table's address column is a street address on its own."""
    with (DATASETS / "piicatcher" / "sample-data.csv").open() as f:
        values = [row["address"] for row in csv.DictReader(f)]
    hits = detector.detect(pa.array(values))
    assert sorted({h.index for h in hits if h.text == values[h.index]}) == list(range(len(values)))
