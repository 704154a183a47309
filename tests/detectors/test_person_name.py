"""PERSON from name lists and name-introducing words, beside spaCy; firms and places are not people."""

import pyarrow as pa
import pytest

from pdscan.detectors.recognizers.person_name import PersonNameRecognizer, _runs

ENTITY = "PERSON"


@pytest.mark.parametrize(
    "text, expected",
    [
        # known given name + surname; a middle initial; a name line quoted with ">"
        ("Compared Care songwriter Zoe Young employs corporate lingo", {"Zoe Young"}),
        ("Will my account stay active? It's under my partner's name Shane M Culp", {"Shane M Culp"}),
        ("> Alma Jensen", {"Alma Jensen"}),
        # introduced: an honorific, "my name is", "call me", "says"
        ("For my take on Mrs. Labrie, see the list", {"Labrie"}),
        ("My name is Rubija", {"Rubija"}),
        ("Sometimes people call me Csanád", {"Csanád"}),
        # a given name as a speaker, or with a relation after it
        ("Leif, can I please speak to your boss?", {"Leif"}),
        ("Elizabeth:\"I'm Amanda's daughter\".", {"Elizabeth", "Amanda"}),
        # lower case only where words introduce the name and the list knows it
        ("please block my card asap ? my name is lena andersson.", {"lena andersson"}),
        ("my name is not important", set()),
        # a list of given names, each item
        ("They had 3: Gaetane, Hannah and Derek.", {"Gaetane", "Hannah", "Derek"}),
        # near misses: a firm of three surnames, "and Sons", a hyphenated firm, a company word after
        ("Legal name: Smith, Price and Simmons", set()),
        ("Form SS-4: the IRS assigned an EIN to Cordova and Sons", set()),
        ("Legal name: Wright-Brady", set()),
        ("Russell Investments is a design agency.", set()),
        ("The Clark, Romero and Hall Orchestra was founded in 1973.", set()),
        # places, months, song titles, acronyms
        ("I'll meet you at USS Mahler", set()),
        ('It may be that he heard "Carry Me Back To Canada," first.', set()),
        ('81.130.128.187 - - [20/Jun/2025:17:46:07 +0000] "POST /api/login HTTP/1.1" 401', set()),
        ("Wire: ABA 059313450 / Acct # 66132819972876", set()),
        ("I will be travelling to France next week", set()),
        # form labels that read as given names; a name after one is still found
        ("Bill to: Globex Inc, 12 Main St", set()),
        ("Ship to Maria Gonzalez", {"Maria Gonzalez"}),
    ],
)
def test_person_name(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected


def test_founders_are_people_but_a_firm_is_not(detector):
    people = "Our 3 founders: Monjeau, Graves and Reed."
    assert {h.text for h in detector.detect(pa.array([people]))} >= {"Graves", "Reed"}


def test_runs_split_at_possessives_and_sentence_ends():
    words = [[w for _, _, w in run] for run in _runs("Wisława Szczepańska's song. Tales. Is Ella H. Snider here")]
    assert words == [["Wisława", "Szczepańska"], ["Tales"], ["Ella", "H", "Snider"]]


def test_context_free_single_given_name_needs_more_evidence():
    recognizer = PersonNameRecognizer()
    assert recognizer.GIVEN_ALONE < recognizer.SHAPED < recognizer.FULL
