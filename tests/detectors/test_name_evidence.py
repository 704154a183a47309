"""A one-word name counts when the words around it say so; chat words, handles and places do not."""

import pyarrow as pa
import pytest

from pdscan.detectors import nameevidence

ENTITY = "PERSON"


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.rindex(word)
    return start, start + len(word)


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("Ask coach Bielsa about it", "Bielsa", True),
        ("President Okafor", "Okafor", True),
        ("Nakamura scored twice", "Nakamura", True),
        ("then Vasquez wrote back", "Vasquez", True),
        ("Shaq's free throws", "Shaq", True),
        ("Shaq ' s free throws", "Shaq", True),  # tokenized text
        ("Lisa Okafor won the vote. Later Okafor thanked her team", "Okafor", True),
        # nothing around the word; a sentence's first word beside it is no full mention
        ("I just watched Minecraft videos all day", "Minecraft", False),
        ("The Okafor thing", "Okafor", False),
        ("see you at Thinknum tomorrow", "Thinknum", False),
    ],
)
def test_evidence(text, word, expected):
    assert nameevidence.has_evidence(text, *_at(text, word)) is expected


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("follow @jonsmith for updates", "jonsmith", True),
        ("#mufc all the way", "mufc", True),
        ("Yayyyy the weekend", "Yayyyy", True),
        ("Goodnight everyone", "Goodnight", True),
        ("Edit: fixed the link", "Edit", True),
        ("Nakamura scored twice", "Nakamura", False),
        ("Anna said hello", "Anna", False),
    ],
)
def test_handles_and_chatter(text, word, expected):
    assert nameevidence.is_handle_or_chatter(text, *_at(text, word)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # one word, with a title, a verb or an earlier full mention
        ("Ask coach Bielsa about it tomorrow", {"Bielsa"}),
        ("Nakamura scored twice in the second half", {"Nakamura"}),
        ("Lisa Okafor won the vote. Later Okafor thanked her team", {"Lisa Okafor", "Okafor"}),
        # chat words, handles, stretched words, places after "from", lower case without evidence
        ("Goodnight everyone, see you tomorrow", set()),
        ("Yayyyy the weekend is here", set()),
        ("follow @jonsmith for updates", set()),
        ("We moved here from Tjaereborg last year", set()),
        ("that rick roll was great", set()),
        ("Haha that was funny", set()),
        ("Edit: fixed the link", set()),
        # a listed given name alone with nothing saying it is one: a word ("Love", "Peace")
        ("Love this song so much", set()),
        ("Peace and quiet at last", set()),
    ],
)
def test_one_word_names_in_posts(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Recall notice: Lot K36111 and Lot A50499 are affected", set()),  # "Lot K" starts a code
        ("Signed, Ana Ruiz 2024-01-01", {"Ana Ruiz"}),  # a space before the digits: still a name
    ],
)
def test_names_glued_to_digits_are_codes(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("my cousin Thandiwe lands on Friday", "Thandiwe", True),
        ("Coach Oyelaran", "Oyelaran", True),
        ("Mbeki shouted at Oyelaran across the room", "Oyelaran", True),
        ("Oyelaran told the court everything", "Oyelaran", True),
        ('Tavita: "Where were you last night?"', "Tavita", True),
        # weak evidence keeps NER's guesses but proposes nothing: "is", "will", a greeting
        ("Minecraft is the best game", "Minecraft", False),
        ("Hey Oyelaran", "Oyelaran", False),
        ('Note, "Tavita" is a label', "Tavita", False),
    ],
)
def test_strong_evidence(text, word, expected):
    assert nameevidence.has_strong_evidence(text, *_at(text, word)) is expected


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("Quorvex is a Danish design agency based in Aarhus.", "Quorvex", True),
        ("Brindlemoor is a 2019 Icelandic crime film directed by someone", "Brindlemoor", True),
        ("we watched the film Brindlemoor last night", "Brindlemoor", True),
        ("I am in Kerrow Vale for a week", "Kerrow Vale", True),
        ("The depot is on Vantorp Kade 14", "Vantorp Kade", True),
        ("Send it to Maple Fenwick, OR 97201", "Maple Fenwick", True),
        # a person the same words are near
        ("Quorvex is a designer from Aarhus", "Quorvex", False),
        ("Signed, Ana Ruiz 2024-01-01", "Ana Ruiz", False),
        ("Alonso 222 . 548 MPH practice lap", "Alonso", False),  # a number that goes on is no house number
        ("a gift from Maria Gonzalez", "Maria Gonzalez", False),
    ],
)
def test_said_to_be_thing_or_place(text, word, expected):
    assert nameevidence.is_said_to_be_thing_or_place(text, *_at(text, word)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # no list and maybe no NER: the words around say it
        ("I would like to add my daughter Thandiwe to the account", {"Thandiwe"}),
        ('Tavita: "Where were you last night?"', {"Tavita"}),
        # the text says what it is
        ("Quorvex is a Danish design agency based in Aarhus.", set()),
        ("The depot is on Vantorp Kade 14", set()),
        ("Whomever said that was wrong", set()),
        ("President\tI-person", set()),  # a CoNLL token and its tag read as text
        ("Microsoft said it would ship the update", set()),
    ],
)
def test_evidence_proposes_and_vetoes(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("president obama spoke at noon", {"obama"}),
        ("uncle bob came over for dinner", {"bob"}),
        ("my friend told me about it", set()),  # a verb, no name, after the relation
        ("my sister will call back", set()),
    ],
)
def test_lower_case_names_after_a_title_or_relation(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected


def test_lower_case_words_of_another_language_are_no_names(detector):
    """NER calls runs of a Dutch post people; in lower case, with nothing saying so, they are not."""
    text = "RT @Kaasmeisje : Kreeg net een bruikbare tip van iemand die vorige week was begonnen met een whiskydieet"
    found = {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"}
    assert not found & {"tip van iemand", "een whiskydieet"}


@pytest.mark.parametrize(
    "text, expected",
    [
        # names no list holds, in lower case, on strong evidence: a title, honorific or relation
        # before, or a speech verb right after the word that begins the clause
        ("ask coach bielsa about the lineup", {"bielsa"}),
        ("dr okafor will see you at noon", {"okafor"}),
        ("my cousin deshawn moved to ohio", {"deshawn"}),
        ("senator murkowski voted no again", {"murkowski"}),
        ("bielsa said the team was tired", {"bielsa"}),
        ("yesterday at the club, okonkwo told me to wait", {"okonkwo"}),
        # common English words in the same places: no names
        ("we flew coach class to denver", set()),
        ("my brother works nights at the plant", set()),
        ("the president said nothing new", set()),
        ("call the mayor office before noon", set()),
        ("coach parking is behind the stadium", set()),
        ("my friend said it was fine", set()),
        ("my sister just told me", set()),
        ("dr appointment moved to friday", set()),
        ("everyone said it was fine", set()),
        ("the server said connection refused", set()),
        ("datjayycarterkidd asked : omg hey", set()),  # a user name run together (WNUT-17 train)
        ("she said hello and left", set()),
    ],
)
def test_unlisted_lower_case_names_on_strong_evidence(detector, text, expected):
    assert {h.text for h in detector.detect(pa.array([text])) if h.entity == "PERSON"} == expected
