"""benchmarks/escaped.py: escaped texts keep their labels on the escaped value, the MAC set is what it claims."""

import html
import json

import pytest
from stdnum import mac

from benchmarks import escaped
from benchmarks.accuracy_data import Doc, Span
from pdscan.detectors.recognizers.mac_address import _colons

TEXT = 'Call "Ren\xe9 O\'Brien" at 360-856-9231\n\tor mail a&b@example.org \U0001f600 ok'
LABELS = {"PERSON": "Ren\xe9 O'Brien", "PHONE_NUMBER": "360-856-9231", "EMAIL_ADDRESS": "a&b@example.org"}
DOC = Doc("d", TEXT, [Span(e, TEXT.index(v), TEXT.index(v) + len(v)) for e, v in LABELS.items()])


def _unescape(variant: str, text: str) -> str:
    if variant == "json":
        return json.loads(text)["message"]
    if variant == "html":
        return html.unescape(text)
    body = text.split(',"', 1)[1].rsplit('",', 1)[0]
    return body.replace('""', '"').replace("\\n", "\n").replace("\\t", "\t")


@pytest.mark.parametrize("variant", ["json", "html", "csvlog"])
def test_labels_cover_the_escaped_values(variant):
    out = escaped.escape_doc(DOC, variant)
    assert out.text != TEXT and _unescape(variant, out.text) == TEXT
    for original, moved in zip(DOC.spans, out.spans):
        value = TEXT[original.start : original.end]
        raw = out.text[moved.start : moved.end]
        decoded = {
            "json": lambda r: json.loads(f'"{r}"'),
            "html": html.unescape,
            "csvlog": lambda r: r.replace('""', '"'),
        }[variant](raw)
        assert decoded == value


def test_the_mac_set_labels_addresses_of_each_kind():
    sets = escaped.mac_docs(n=80)
    for kind in ("universal", "local"):
        for doc in sets[kind]:
            (span,) = doc.spans
            address = _colons(doc.text[span.start : span.end])
            assert not mac.is_multicast(address)
            assert mac.is_universally_administered(address) == (kind == "universal")
    assert sets["negative"] and not any(d.spans for d in sets["negative"])
