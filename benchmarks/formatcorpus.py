"""The same lines of real text in every document, workbook, e-mail and archive format pdscan reads
(for benchmarks/formats.py), written with the writers the tests use (fpdf2, python-docx, odfpy,
python-pptx, openpyxl, xlwt, aspose-email-foss (MSG), the `email` package, zipfile and tarfile; tests/connectors/docfiles.py).

The lines: loghub's logs and WNUT-17's posts in turn, a line with planted personal data every
PII_EVERY lines; Latin-1 only (fpdf2's core fonts), so every format can hold the same characters.
"""

from __future__ import annotations

import html
import io
import random
import tarfile
import zipfile
from email.message import EmailMessage
from pathlib import Path

from benchmarks.fakedata import GIVEN, SURNAMES

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
PAGE = 40  # lines of a PDF or DOCX page, an mbox message, an archive member
SLIDE = 20  # lines of a slide
SHEET = 1000  # rows of a sheet
PII_EVERY = 20
CARDS = ("4917 3363 9277 1277", "4539 1488 0343 6467", "5425 2334 3010 9903")
PII = (
    "Statement prepared for {name}, reply to {user}@example.com",
    "Social Security number {ssn} on file for {name}",
    "Card {card} was charged; call {phone} about it",
)


def _posts(limit: int) -> list[str]:
    posts, words = [], []
    for line in (DATASETS / "wnut17" / "train.conll").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.split("\t")[0])
        elif words:
            posts.append(" ".join(words))
            words = []
            if len(posts) >= limit:
                break
    return posts


def _latin1(line: str) -> str:
    text = line.encode("latin-1", "replace").decode("latin-1")
    return "".join(c if c.isprintable() else " " for c in text).strip()


def text_lines(count: int, seed: int = 5) -> list[str]:
    """`count` lines: logs and posts in turn, planted personal data every PII_EVERY lines."""
    rng = random.Random(seed)
    logs = []
    for path in sorted((DATASETS / "loghub").glob("*.log")):
        logs += path.read_text(encoding="utf-8", errors="replace").splitlines()[:400]
    posts = _posts(count)
    lines = []
    for i in range(count):
        if i % PII_EVERY == PII_EVERY - 1:
            given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
            line = rng.choice(PII).format(
                name=f"{given} {surname}", user=f"{given}.{surname}{i}".lower(), card=rng.choice(CARDS),
                ssn=f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                phone=f"(212) 555-{rng.randint(1000, 9999)}",
            )  # fmt: skip
        else:
            line = logs[i % len(logs)] if i % 2 else posts[i % len(posts)]
        lines.append(_latin1(line) or "-")
    return lines


def _chunks(lines: list[str], size: int) -> list[list[str]]:
    return [lines[i : i + size] for i in range(0, len(lines), size)]


def txt(path: Path, lines: list[str]) -> int:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(_chunks(lines, PAGE))


def pdf(path: Path, lines: list[str]) -> int:
    import fpdf

    doc = fpdf.FPDF()
    doc.set_auto_page_break(False)
    doc.set_font("helvetica", size=7)
    pages = _chunks(lines, PAGE)
    for page in pages:
        doc.add_page()
        for line in page:
            doc.cell(text=line)
            doc.ln(6)
    path.write_bytes(bytes(doc.output()))
    return len(pages)


def docx(path: Path, lines: list[str]) -> int:
    import docx as docxlib

    doc = docxlib.Document()
    pages = _chunks(lines, PAGE)
    for number, page in enumerate(pages):
        if number:
            doc.add_page_break()
        for line in page:
            doc.add_paragraph(line)
    doc.save(path)
    return len(pages)


def odt(path: Path, lines: list[str]) -> int:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    for line in lines:
        doc.text.addElement(P(text=line))
    doc.save(str(path))
    return len(_chunks(lines, PAGE))


def pptx(path: Path, lines: list[str]) -> int:
    import pptx as pptxlib
    from pptx.util import Inches

    deck = pptxlib.Presentation()
    slides = _chunks(lines, SLIDE)
    for chunk in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        frame = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6)).text_frame
        frame.text = chunk[0]
        for line in chunk[1:]:
            frame.add_paragraph().text = line
    deck.save(path)
    return len(slides)


def html_page(path: Path, lines: list[str]) -> int:
    pages = _chunks(lines, PAGE)
    body = "\n".join(
        "<div class='page'>\n" + "\n".join(f"<p>{html.escape(line)}</p>" for line in page) + "\n</div>"
        for page in pages
    )
    path.write_text(f"<!DOCTYPE html>\n<html><head><title>log</title></head><body>\n{body}\n</body></html>\n")
    return len(pages)


def xml(path: Path, lines: list[str]) -> int:
    pages = _chunks(lines, PAGE)
    body = "\n".join(
        f"<page n='{n}'>\n" + "\n".join(f"<line>{html.escape(x)}</line>" for x in page) + "\n</page>"
        for n, page in enumerate(pages, 1)
    )
    path.write_text(f"<?xml version='1.0' encoding='utf-8'?>\n<log>\n{body}\n</log>\n", encoding="utf-8")
    return len(pages)


def rtf(path: Path, lines: list[str]) -> int:
    def escape(line: str) -> str:
        out = line.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "".join(c if ord(c) < 128 else f"\\'{ord(c):02x}" for c in out)

    path.write_text("{\\rtf1\\ansi\\deff0\n" + "".join(f"{escape(x)}\\par\n" for x in lines) + "}\n", encoding="ascii")
    return len(_chunks(lines, PAGE))


def xlsx(path: Path, lines: list[str]) -> int:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheets = _chunks(lines, SHEET)
    for number, chunk in enumerate(sheets, 1):
        sheet = book.create_sheet(f"Sheet{number}")
        sheet.append(["text"])
        for line in chunk:
            sheet.append([line])
    book.save(path)
    return len(sheets)


def xls(path: Path, lines: list[str]) -> int:
    import xlwt  # legacy Excel (BIFF8): at most 65,536 rows a sheet

    book = xlwt.Workbook(encoding="utf-8")
    sheets = _chunks(lines, SHEET)
    for number, chunk in enumerate(sheets, 1):
        sheet = book.add_sheet(f"Sheet{number}")
        sheet.write(0, 0, "text")
        for row, line in enumerate(chunk, 1):
            sheet.write(row, 0, line)
    book.save(str(path))
    return len(sheets)


def ods(path: Path, lines: list[str]) -> int:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheets = _chunks(lines, SHEET)
    for number, chunk in enumerate(sheets, 1):
        table = Table(name=f"Sheet{number}")
        for value in ["text", *chunk]:
            row, cell = TableRow(), TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return len(sheets)


def _message(lines: list[str], number: int) -> EmailMessage:
    msg = EmailMessage()  # no addresses in the headers: they would be findings the text does not hold
    msg["Subject"] = f"log page {number}"
    msg["Message-ID"] = f"<page{number}@bench.invalid>"
    msg.set_content("\n".join(lines) + "\n")
    return msg


def eml(path: Path, lines: list[str]) -> int:
    path.write_bytes(_message(lines, 1).as_bytes())
    return 1


def msg(path: Path, lines: list[str]) -> int:
    from aspose.email_foss.msg import MapiMessage  # Outlook MSG, written from the same message as eml

    path.write_bytes(MapiMessage.from_email_message(_message(lines, 1)).to_bytes())
    return 1


def mbox(path: Path, lines: list[str]) -> int:
    pages = _chunks(lines, PAGE)
    with open(path, "wb") as out:
        for number, page in enumerate(pages, 1):
            out.write(b"From bench@bench.invalid Mon Dec  7 00:00:00 2026\n")
            body = _message(page, number).as_bytes().replace(b"\nFrom ", b"\n>From ")
            out.write(body + b"\n")
    return len(pages)


def zip_pages(path: Path, lines: list[str]) -> int:
    pages = _chunks(lines, PAGE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for number, page in enumerate(pages, 1):
            out.writestr(f"pages/page{number:04d}.txt", "\n".join(page) + "\n")
    return len(pages)


def tar_pages(path: Path, lines: list[str]) -> int:
    pages = _chunks(lines, PAGE)
    with tarfile.open(path, "w:gz") as out:
        for number, page in enumerate(pages, 1):
            data = ("\n".join(page) + "\n").encode("utf-8")
            info = tarfile.TarInfo(f"pages/page{number:04d}.txt")
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return len(pages)


# name -> (file name, writer, what a unit is)
WRITERS = {
    "text": ("text.txt", txt, "40-line pages"),
    "pdf": ("doc.pdf", pdf, "pages"),
    "docx": ("doc.docx", docx, "pages"),
    "odt": ("doc.odt", odt, "40-line pages"),
    "pptx": ("deck.pptx", pptx, "slides"),
    "html": ("page.html", html_page, "40-line pages"),
    "xml": ("log.xml", xml, "40-line pages"),
    "rtf": ("doc.rtf", rtf, "40-line pages"),
    "xlsx": ("book.xlsx", xlsx, "sheets"),
    "xls": ("book.xls", xls, "sheets"),
    "ods": ("book.ods", ods, "sheets"),
    "eml": ("message.eml", eml, "messages"),
    "msg": ("message.msg", msg, "messages"),
    "mbox": ("mail.mbox", mbox, "messages"),
    "zip": ("pages.zip", zip_pages, "members"),
    "tar.gz": ("pages.tar.gz", tar_pages, "members"),
}
