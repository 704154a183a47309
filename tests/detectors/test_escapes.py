"""Escaped text: decoded for the detectors, offsets and hit text still in the raw value."""

import pyarrow as pa
import pytest

from pdscan.detectors import escapes
from pdscan.detectors.pipeline import Detector

DECODED = [
    # (raw, decoded)
    (r"Phone:\n360-856-9231", "Phone:\n360-856-9231"),
    (r"a\r\nb", "a\r\nb"),
    (r"Name:\tAna Ruiz", "Name:\tAna Ruiz"),
    (r"said \"hi\"", 'said "hi"'),
    (r"C:\\Users\\ana", r"C:\Users\ana"),
    (r"https:\/\/example.org\/", "https://example.org/"),
    (r"Ren\u00e9 Dubois", "René Dubois"),
    (r"smile \ud83d\ude00!", "smile \U0001f600!"),
    (r"half \ud83d only", "half \ufffd only"),
    ("&quot;Ana&quot; O&#39;Brien &#x27;x&#X27; &amp;amp; &lt;b&gt;", "\"Ana\" O'Brien 'x' &amp; <b>"),
    ("Fran&ccedil;ois&nbsp;Roy", "François\xa0Roy"),
    # an escaped backslash ends the escape: `\\n` is a backslash and an n
    (r"dir\\new", r"dir\new"),
]

UNTOUCHED = [
    "Plain text with Ana Ruiz, 360-856-9231",
    r"C:\Program Files\app",  # \P, \a: no JSON escape
    r"\u12 too short",
    "AT&T and R&D; &unknownentity; & ;",
    "",
]


@pytest.mark.parametrize("raw, text", DECODED)
def test_each_escape_decodes(raw, text):
    decoded = escapes.decode(raw)
    assert decoded.text == text
    # every decoded character maps into the raw value, in order, covering it
    assert decoded.starts[0] == 0 and decoded.ends[-1] == len(raw)
    assert (decoded.starts < decoded.ends).all()
    assert (decoded.starts[1:] >= decoded.starts[:-1]).all() and (decoded.ends[1:] >= decoded.ends[:-1]).all()


@pytest.mark.parametrize("raw", UNTOUCHED)
def test_values_without_escapes_are_untouched(raw):
    assert escapes.decode(raw) is None
    values = pa.array([raw, None])
    view, decoded = escapes.view(values)
    assert view is values and decoded == {}


def test_view_decodes_only_the_escaped_values():
    values = pa.array(["clean", r"a\nb", None, "&quot;q&quot;"])
    view, decoded = escapes.view(values)
    assert view.to_pylist() == ["clean", "a\nb", None, '"q"']
    assert sorted(decoded) == [1, 3]


def test_raw_span_of_a_decoded_span():
    raw = r"x \u00e9t\u00e9 y"
    decoded = escapes.decode(raw)
    start = decoded.text.index("été")
    s, e = decoded.raw_span(start, start + 3)
    assert raw[s:e] == r"\u00e9t\u00e9"


@pytest.fixture(scope="module")
def detector():
    return Detector()


def _found(detector, value, entity):
    hits = [h for h in detector.detect(pa.array([value])) if h.entity == entity]
    assert all(value[h.start : h.end] == h.text for h in hits)
    return hits


@pytest.mark.parametrize(
    "value, number",
    [
        (r"Phone:\n360-856-9231", "360-856-9231"),
        (r"{\"note\":\"call me\r\nPhone: (360) 856-9231\"}", "(360) 856-9231"),
        (r"Tel:\t360.856.9231", "360.856.9231"),
        ("Phone:&#10;360-856-9231", "360-856-9231"),
    ],
)
def test_a_phone_behind_an_escape_is_found_in_the_raw_text(detector, value, number):
    assert [h.text for h in _found(detector, value, "PHONE_NUMBER")] == [number]


def test_a_name_with_unicode_escapes_is_one_span_over_the_raw_text(detector):
    value = r"Customer Ren\u00e9 Dubois called about the invoice"
    (hit,) = _found(detector, value, "PERSON")
    assert hit.text == r"Ren\u00e9 Dubois"
    assert hit.decoded == hit.value == "René Dubois"


def test_a_name_between_html_entities(detector):
    value = "reply from &quot;Ana Ruiz&quot; &lt;ana.ruiz@example.org&gt;"
    assert [h.text for h in _found(detector, value, "PERSON")] == ["Ana Ruiz"]
    (email,) = _found(detector, value, "EMAIL_ADDRESS")
    assert email.text == "ana.ruiz@example.org" and email.decoded is None


def test_a_span_without_escapes_keeps_no_decoded_copy(detector):
    (hit,) = _found(detector, r"line one\nPhone: 360-856-9231", "PHONE_NUMBER")
    assert hit.decoded is None and hit.value == hit.text


def test_a_column_hint_covers_the_raw_cell_and_keeps_it_decoded(detector):
    hits = detector.detect(pa.array(["O&#39;Brien", "Ruiz"]), field="last_name")
    first = next(h for h in hits if h.index == 0)
    assert (first.entity, first.start, first.end, first.text) == ("PERSON", 0, len("O&#39;Brien"), "O&#39;Brien")
    assert first.value == "O'Brien"
