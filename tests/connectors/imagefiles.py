"""Images with text rendered by Pillow (DejaVu Sans, Debian's fonts-dejavu-core), holding planted
personal data and a near miss, as PNG, JPEG, multi-page TIFF and a PDF whose second page is a scan,
for tests/connectors/test_ocr.py."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zlib
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NAME = "Margaret Thornton"
EMAIL = "margaret.thornton@example.com"
PHONE = "(415) 555-0132"
CARD = "4539 1488 0343 6467"  # Luhn-valid, not a well-known test number
SECOND_EMAIL = "robert.king@example.org"
RAW = (NAME, EMAIL, PHONE, CARD, SECOND_EMAIL, "margaret.thornton", "4539148803436467")
LINES = [
    f"Customer: {NAME}",
    f"Email: {EMAIL}",
    f"Phone: {PHONE}",
    f"Card: {CARD}",
    "Order: 4539 1488 0343 6468",  # the near miss: card-shaped, fails Luhn
]
LEFT, TOP, STEP, SIZE = 50, 50, 80, 32  # where line i is drawn: (LEFT, TOP + STEP * i), SIZE px type


def missing() -> str | None:
    """Why OCR tests cannot run on this machine (None: they can). CI installs both
    (scripts/install-test-deps), so there a missing one fails the tests instead."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"
    if not os.path.exists(FONT):
        return f"{FONT} is missing (apt-get install fonts-dejavu-core)"
    return None


def page(lines: list[str]):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, SIZE)
    image = Image.new("L", (1400, 2 * TOP + STEP * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((LEFT, TOP + STEP * i), line, font=font, fill=0)
    return image


def png(path: Path, lines: list[str] | None = None) -> Path:
    page(lines or LINES).save(path, format="PNG")
    return path


def png_bytes(lines: list[str] | None = None) -> bytes:
    out = io.BytesIO()
    page(lines or LINES).save(out, format="PNG")
    return out.getvalue()


def jpeg(path: Path) -> Path:
    page(LINES).convert("RGB").save(path, format="JPEG", quality=90)
    return path


def tiff(path: Path) -> Path:
    """Two pages: LINES, then a page holding SECOND_EMAIL."""
    page(LINES).save(path, format="TIFF", save_all=True, append_images=[page([f"Reply to {SECOND_EMAIL}"])])
    return path


def scanned_pdf(path: Path) -> Path:
    """Page 1 a text layer (SECOND_EMAIL), page 2 nothing but the scanned image of LINES."""
    import fpdf

    doc = fpdf.FPDF()
    doc.set_font("helvetica", size=12)
    doc.add_page()
    doc.cell(text=f"Cover letter: write to {SECOND_EMAIL}")
    doc.add_page()
    doc.image(io.BytesIO(png_bytes()), x=10, y=10, w=190)
    path.write_bytes(bytes(doc.output()))
    return path


def two_image_pdf(path: Path) -> Path:
    """One page without a text layer drawing two images: LINES, then SECOND_EMAIL."""
    import fpdf

    doc = fpdf.FPDF()
    doc.add_page()
    doc.image(io.BytesIO(png_bytes()), x=10, y=10, w=190)
    doc.image(io.BytesIO(png_bytes([f"Reply to {SECOND_EMAIL}"])), x=10, y=150, w=190)
    path.write_bytes(bytes(doc.output()))
    return path


def declared_png(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares width x height 1-bit pixels, with a few bytes of data: a
    decompression bomb as far as its size goes, never to be decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def jbig2_pdf(path: Path) -> Path:
    """One page drawing a JBIG2 image (the compact PDF of scanners) whose data does not decode,
    written by hand: no writer here encodes JBIG2."""
    data = b"\x00\x00\x00\x01not a jbig2 segment" * 8
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 1 /ColorSpace /DeviceGray "
        b"/Filter /JBIG2Decode /Length %d >>\nstream\n%s\nendstream" % (len(data), data),
        b"<< /Length 30 >>\nstream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.5\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
