"""Hard caps on what one item may cost to read: each a config setting (`limits:`), each with a reason code.

A scanner runs on folders and buckets it does not control; a hostile or odd file (a zip bomb, a
JSON array of 30 M elements, a 50,000-column header, a line nested 1,000 deep) must cost a bounded
amount of time, memory and disk and end as a recorded skip or partial read, never a hang or a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Caps per file (or object) and per scan; the reason code each one records when hit is beside it."""

    decompressed_bytes: int = (
        4096 * MB
    )  # a compressed file, or all members of an archive, unpack to at most this (`bomb`)
    decompressed_total: int = 64 * 1024 * MB  # all compressed files of one scan together (`bomb`)
    compression_ratio: int = 200  # unpacked:packed beyond this after the first MB is a bomb (`bomb`)
    temp_bytes: int = 2048 * MB  # a spooled temp file (a gzipped Parquet) grows to at most this (`too_large`)
    json_elements: int = 5_000_000  # values in one JSON document (`too_large`)
    json_depth: int = 200  # nesting of objects and arrays (`too_deep`)
    columns: int = 2_000  # fields of one CSV header, table or record (`too_many_columns`)
    line_bytes: int = 64 * MB  # one line of text, CSV or NDJSON (`line_too_long`)
    sheets: int = 1_000  # sheets of one workbook (`too_many_sheets`)
    sheet_rows: int = 1_048_576  # rows of one sheet, Excel's own maximum (`too_many_rows`)
    messages: int = 1_000_000  # messages of one mbox (`too_many_messages`)
    attachment_depth: int = 10  # attachments inside attachments inside a message (`too_deep`)
    pages: int = 5_000  # pages of a PDF, slides of a presentation, per document (`too_large`)
    pdf_page_seconds: int = 20  # CPU seconds extracting one PDF page's text (`timeout`: the next page is read)
    archive_depth: int = 10  # archives inside archives, the outermost at 1 (`too_deep`), as Macie
    archive_members: int = 100_000  # members listed of one archive (`too_many_members`)
    # OCR (pdscan.connectors.formats.ocr): images and scanned PDF pages are read only when asked for
    # (`ocr_off`): `--ocr` or `ocr: true` at the top of the config, not under `limits:`
    ocr: bool = False
    ocr_seconds: int = 120  # Tesseract's time on one page or image (`timeout`)
    image_pixels: int = 89_478_485  # pixels of one image or page, Pillow's MAX_IMAGE_PIXELS (`bomb`)

    def ocr_on(self, on: bool = True) -> Limits:
        """These limits with OCR switched on when `on` (--ocr); as they are otherwise."""
        return replace(self, ocr=True) if on and not self.ocr else self

    @classmethod
    def from_config(cls, data: dict, where: str) -> Limits:
        """The `limits:` mapping of a config file; ValueError naming the setting on a bad one."""
        if "ocr" in data:
            raise ValueError(f"{where}: ocr is a top-level setting (ocr: true), not one of the limits")
        known = {f.name for f in fields(cls) if f.type != "bool"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{where}: unknown limits {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        for name, value in data.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{where}: limits.{name} must be a positive whole number")
        return cls(**data)


DEFAULT = Limits()
