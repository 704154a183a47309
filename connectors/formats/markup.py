"""HTML, XML and RTF: their visible text, read in bounded chunks, as numbered lines of extracted text.

HTML (the standard library's parser): text outside script, style and template, a line per block
element. XML (expat: no DTD or external entity is fetched): each element's text, with its path as
`element` (`/people/person/email`). RTF (striprtf): the text without control words, read up to
limits.line_bytes (`too_large` past it). Sniffed from the content first; the extension is a hint.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from xml.parsers import expat

from pdscan.connectors.base import Batch
from pdscan.connectors.formats import doctext
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.core.errors import ItemError

CHUNK = 1 << 20
MAX_CARRY = 8 << 20  # characters of one extracted line held before it is scanned in pieces
HIDDEN = frozenset({"script", "style", "template", "noscript"})
BLOCKS = frozenset(
    "address article aside blockquote br caption dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6"
    " header hr li main nav ol p pre section table tbody td th thead tfoot tr title ul".split()
)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _opening(head: bytes) -> bytes:
    return head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


class Html(Format):
    name = "html"

    def sniff(self, head: bytes, name: str) -> float:
        start = _opening(head)
        if start.startswith((b"<!doctype html", b"<html")):
            return 0.9
        if start.startswith(b"<") and b"<html" in start:
            return 0.8
        return 0.6 if doctext.extension(name) in (".html", ".htm", ".xhtml") else 0.0

    def read(self, source, result, limits):
        return read_html(source, result)


class Xml(Format):
    name = "xml"

    def sniff(self, head: bytes, name: str) -> float:
        if _opening(head).startswith(b"<?xml"):
            return 0.7
        return 0.6 if doctext.extension(name) == ".xml" else 0.0

    def read(self, source, result, limits):
        return read_xml(source, result)


class Rtf(Format):
    name = "rtf"

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if head.lstrip()[:5] == b"{\\rtf" else 0.0

    def read(self, source, result, limits):
        return read_rtf(source, result, limits)


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append(_SPACES.sub(" ", data.replace("\n", " ")))


class _Lines:
    """Extracted text as numbered non-empty lines, a batch at a time."""

    def __init__(self, result):
        self.result = result
        self.number = 0
        self.carry = ""

    def take(self, pieces: list[str], final: bool = False) -> Iterator[Batch]:
        lines = (self.carry + "".join(pieces)).split("\n")
        pieces.clear()
        self.carry = "" if final else lines.pop()
        if len(self.carry) > MAX_CARRY:  # text with no line end in sight: scanned as it comes
            lines.append(self.carry)
            self.carry = ""
        values, numbers = [], []
        for line in lines:
            line = line.strip()
            if line:
                self.number += 1
                values.append(line)
                numbers.append(self.number)
        if values:
            yield doctext.numbered_batch(values, numbers, self.result)


def read_html(stream, result) -> Iterator[Batch]:
    parser, lines = _Visible(), _Lines(result)
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    first = True
    while block := stream.read(CHUNK):
        if first and block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]
        first = False
        parser.feed(decoder.decode(block))
        yield from lines.take(parser.pieces)
    parser.feed(decoder.decode(b"", True))
    parser.close()
    yield from lines.take(parser.pieces, final=True)


def read_xml(stream, result) -> Iterator[Batch]:
    path: list[str] = []
    text: list[str] = []
    found: list[tuple[str, str]] = []  # (element path, its text)
    number = 0

    def flush():
        joined = "".join(text).strip()
        text.clear()
        if joined:
            found.append(("/" + "/".join(path), joined))

    def start(name, attrs):
        flush()
        path.append(name.rpartition(" ")[2])

    def end(name):
        flush()
        path.pop()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text.append
    try:
        while True:
            block = stream.read(CHUNK)
            parser.Parse(block, not block)
            values, numbers, places = [], [], []
            for element, value in found:
                for line in value.split("\n"):
                    if line.strip():
                        number += 1
                        values.append(line.strip())
                        numbers.append(number)
                        places.append((("element", element),))
            found.clear()
            if values:
                yield doctext.numbered_batch(values, numbers, result, places)
            if not block:
                break
    except expat.ExpatError:
        result.partial("corrupt", "the XML does not parse past this point: what came before was scanned")


def read_rtf(stream, result, limits) -> Iterator[Batch]:
    from striprtf.striprtf import rtf_to_text  # imported on the first RTF file

    data = stream.read(limits.line_bytes + 1)
    if len(data) > limits.line_bytes:
        data = data[: limits.line_bytes]
        result.partial(
            "too_large", f"an RTF file over limits.line_bytes: its first {limits.line_bytes >> 20} MB were read"
        )
    try:
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception:
        raise ItemError("corrupt", "a damaged RTF file") from None
    lines = _Lines(result)
    yield from lines.take([text], final=True)
