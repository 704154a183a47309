"""A streaming reader of word-processing XML (DOCX's word/*.xml, ODT's content.xml): paragraphs and
table rows in document order, through expat in bounded chunks (no DOM, no entity or DTD fetched).

The paragraphs of a table's cells are its cells' text; a table inside a cell is text of that cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from pdscan.core.errors import ItemError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "


@dataclass(frozen=True)
class Vocabulary:
    """The element names (namespace URI, space, local name) of one word-processing format."""

    paragraphs: frozenset
    text: frozenset | None  # character data counts only inside these (None: anywhere in a paragraph)
    tabs: frozenset
    breaks: frozenset
    spaces: str | None  # ODT's <text:s text:c="3"/>
    table: str
    row: str
    cell: str


WORD = Vocabulary(
    paragraphs=frozenset({W + "p"}),
    text=frozenset({W + "t", W + "delText"}),
    tabs=frozenset({W + "tab", W + "ptab"}),
    breaks=frozenset({W + "br", W + "cr"}),
    spaces=None,
    table=W + "tbl",
    row=W + "tr",
    cell=W + "tc",
)
ODF = Vocabulary(
    paragraphs=frozenset({TEXT + "p", TEXT + "h"}),
    text=None,
    tabs=frozenset({TEXT + "tab"}),
    breaks=frozenset({TEXT + "line-break"}),
    spaces=TEXT + "s",
    table=TABLE + "table",
    row=TABLE + "table-row",
    cell=TABLE + "table-cell",
)


class _Walker:
    def __init__(self, words: Vocabulary):
        self.words = words
        self.events: list[tuple] = []
        self.paragraphs: list[list[str]] = []  # open paragraphs (a text box's inside another)
        self.in_text = 0
        self.depth = 0  # tables open
        self.tables = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def start(self, name: str, attrs: dict) -> None:
        words = self.words
        if name in words.paragraphs:
            self.paragraphs.append([])
        elif words.text is not None and name in words.text:
            self.in_text += 1
        elif self.paragraphs and name in words.tabs:
            self.paragraphs[-1].append("\t")
        elif self.paragraphs and name in words.breaks:
            self.paragraphs[-1].append("\n")
        elif self.paragraphs and name == words.spaces:
            count = attrs.get(TEXT + "c", "1")
            self.paragraphs[-1].append(" " * min(int(count) if count.isdigit() else 1, 1000))
        elif name == words.table:
            self.depth += 1
            if self.depth == 1:
                self.tables += 1
        elif self.depth == 1 and name == words.row:
            self.row = []
        elif self.depth == 1 and name == words.cell:
            self.cell = []

    def end(self, name: str) -> None:
        words = self.words
        if name in words.paragraphs and self.paragraphs:
            text = "".join(self.paragraphs.pop())
            if self.cell is not None:
                self.cell.append(text)
            elif self.depth == 0:
                self.events.append(("paragraph", text))
        elif words.text is not None and name in words.text:
            self.in_text -= 1
        elif name == words.table:
            self.depth -= 1
        elif self.depth == 1 and name == words.cell and self.cell is not None:
            if self.row is not None:
                self.row.append("\n".join(self.cell))
            self.cell = None
        elif self.depth == 1 and name == words.row and self.row is not None:
            self.events.append(("row", self.tables, self.row))
            self.row = None

    def data(self, text: str) -> None:
        if self.paragraphs and (self.words.text is None or self.in_text > 0):
            self.paragraphs[-1].append(text)


def walk(chunks: Iterable[bytes], words: Vocabulary, kind: str) -> Iterator[tuple]:
    """("paragraph", text) and ("row", table number, cell texts) of one XML part, in order."""
    walker = _Walker(words)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.data
    parser.buffer_text = True
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            yield from walker.events
            walker.events.clear()
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ItemError("corrupt", f"a damaged {kind} (its XML does not parse)") from None
    yield from walker.events
