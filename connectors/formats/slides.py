"""PPTX (and PPTM: its macros are never run): the text of every shape of every slide, tables and
groups included, then the slide's notes (python-pptx). Sniffed by the zip's members
([Content_Types].xml with ppt/presentation.xml), not by the name. Location: `slide`, `shape`
(its name), then `line` inside the shape's text; slides past limits.pages are not read (`too_large`).
"""

from __future__ import annotations

from collections.abc import Iterator

from pdscan.connectors.base import Batch
from pdscan.connectors.formats import doctext
from pdscan.connectors.formats.base import Format
from pdscan.core.errors import ItemError


class Pptx(Format):
    name = "pptx"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return doctext.ooxml_confidence(head, "ppt/presentation.xml")

    def read(self, source, result, limits):
        import pptx  # imported on the first presentation

        doctext.open_zip(source, limits, "PPTX presentation").close()  # bomb and damage checks first
        if not isinstance(source, str):
            source.seek(0)
        try:
            deck = pptx.Presentation(source)
            slides = list(deck.slides)
        except Exception:  # python-pptx raises many kinds on a damaged part
            raise ItemError("corrupt", "a damaged PPTX presentation (its parts cannot be read)") from None
        lines = doctext.Lines(result)
        for number, slide in enumerate(slides, 1):
            if doctext.past_pages(number, limits, result, "slides"):
                break
            try:
                yield from _slide(number, slide, lines)
            except ItemError:
                raise
            except Exception:
                result.partial("corrupt", f"slide {number} of the presentation cannot be decoded")
        yield from lines.flush()


def _slide(number: int, slide, lines: doctext.Lines) -> Iterator[Batch]:
    for shape in _shapes(slide.shapes):
        for text in _texts(shape):
            if text.strip():
                yield from lines.add(text, (("slide", number), ("shape", shape.name)))
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None and notes.text.strip():
            yield from lines.add(notes.text, (("slide", number), ("shape", "notes")))


def _shapes(shapes):
    for shape in shapes:
        if getattr(shape, "shapes", None) is not None and shape.shape_type == 6:  # a group
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _texts(shape) -> Iterator[str]:
    if shape.has_text_frame:
        yield shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            yield "\t".join(cell.text for cell in row.cells)
