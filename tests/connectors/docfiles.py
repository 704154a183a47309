"""Real documents made with their writers (fpdf2, pypdf, python-docx, python-pptx, odfpy), holding
planted personal data and near misses, for tests/connectors/test_documents.py."""

import io
import re
import zipfile

NAME = "Jonathan Whitaker"
EMAIL = "jonathan.whitaker@example.org"
SSN = "536-22-8714"
CARD = "4917 3363 9277 1277"
PHONE = "(212) 555-0148"
RAW = (EMAIL, SSN, CARD, PHONE, NAME, "jonathan.whitaker")
# near misses: an order number of card length that fails Luhn, a version, a part number
NEAR = ["Order 4917 3363 9277 1278 shipped.", "Firmware 10.4.22 installed.", "Part 536-22 in stock."]
LINES = [
    f"Statement prepared for {NAME} by the billing team.",
    f"Contact: {EMAIL}",
    f"Social Security number {SSN} on file.",
    f"Card {CARD} was charged.",
    f"Call us on {PHONE} any day.",
]


def pdf(path, pages=2, password=None, owner_only=False):
    """`pages` pages: page 1 holds LINES, page 2 the near misses and the e-mail again, further pages filler."""
    import fpdf
    import pypdf

    doc = fpdf.FPDF()
    doc.set_font("helvetica", size=11)
    for number in range(1, pages + 1):
        doc.add_page()
        lines = LINES if number == 1 else [*NEAR, f"Reply to {EMAIL}."] if number == 2 else [f"Page {number} of terms."]
        for line in lines:
            doc.cell(text=line)
            doc.ln()
    data = bytes(doc.output())
    if password is not None or owner_only:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
        writer.encrypt(user_password="" if owner_only else password, owner_password="owner-secret", algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def docx(path, paragraphs=None):
    import docx as docxlib

    doc = docxlib.Document()
    doc.add_paragraph("Customer letter")
    doc.add_paragraph(f"Dear {NAME}, your card {CARD} was charged.")
    doc.add_paragraph(NEAR[0])
    for text in paragraphs or ():
        doc.add_paragraph(text)
    table = doc.add_table(rows=4, cols=3)
    rows = [
        ["Customer", "Email", "SSN"],
        ["Maria Gonzalez", "maria.gonzalez@example.com", "412-67-3390"],
        ["Kevin Brown", "kevin.brown@example.net", "371-45-2286"],
        ["Aisha Khan", "aisha.khan@example.com", "519-38-4471"],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    doc.sections[0].footer.paragraphs[0].text = f"Questions: call {PHONE}"
    doc.save(path)
    return path


def pptx(path):
    import pptx as pptxlib

    deck = pptxlib.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Quarterly review"
    first.placeholders[1].text = NEAR[1]
    second = deck.slides.add_slide(deck.slide_layouts[1])
    second.shapes.title.text = f"Escalation: {NAME}"
    second.placeholders[1].text = f"Card {CARD}\nSSN {SSN}"
    second.notes_slide.notes_text_frame.text = f"Follow up at {EMAIL}"
    deck.save(path)
    return path


def odt(path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="Customer letter"))
    doc.text.addElement(P(text=f"Dear {NAME}, please call {PHONE}."))
    table = Table(name="People")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in (["Customer", "Email"], ["Maria Gonzalez", "maria.gonzalez@example.com"], ["Kevin Brown", EMAIL]):
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    doc.save(str(path))
    return path


def odt_encrypted(path, plain):
    """`plain` (an ODT) as an office suite saves it with a password: the manifest's encryption-data."""
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "META-INF/manifest.xml":
                entry = rb'(<manifest:file-entry manifest:full-path="content.xml"[^>]*)/>'
                sealed = rb'\1><manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>'
                data, count = re.subn(entry, sealed, data)
                assert count == 1
            elif info.filename == "content.xml":
                data = bytes(b ^ 0x5A for b in data)
            out.writestr(info, data)
    return path


def csv_zip(path):
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("people.csv", f"name,email\n{NAME},{EMAIL}\n")
    return path


def office_encrypted(path, plain, password="s3cret"):
    """`plain` (a DOCX or PPTX) saved with a password, as Office does (msoffcrypto-tool: agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
    return path
