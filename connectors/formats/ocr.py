"""Optical character recognition: the lines Tesseract (Debian's `tesseract-ocr`) reads in an image,
each with its bounding box, within the OCR limits (pdscan.connectors.limits: `ocr`, `ocr_seconds`,
`image_pixels`).

Tesseract runs as a child process fed through pipes: the image goes in on stdin as PNG, the TSV
of words and lines comes out on stdout. pytesseract was not used: it writes the image, and the
text it read, to files in the shared temp folder with the default mode (0644), where another
user could read a scanned ID document. One thread per child (OMP_THREAD_LIMIT=1): pdscan's
workers already use the cores, and Tesseract's OpenMP threads only fight them.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass

from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError

TESSERACT = "tesseract"
LANGUAGE = "eng"
INSTALL = "install it with apt-get install tesseract-ocr tesseract-ocr-eng jbig2dec, then pip install 'pdscan[ocr]'"
_LINE_LEVEL, _WORD_LEVEL = "4", "5"
_CACHE: dict = {}


@dataclass(frozen=True)
class OcrLine:
    """One line of recognized text and its box in the image's pixels: left, top, width, height."""

    text: str
    box: tuple[int, int, int, int]


class OcrTimeout(Exception):
    """Tesseract ran past limits.ocr_seconds on one page (the child was killed)."""


def require(limits: Limits, what: str) -> None:
    """Raise the item's reason when OCR cannot run: `ocr_off` unless asked for, `ocr_unavailable`
    when Tesseract or Pillow is missing."""
    if not limits.ocr:
        raise ItemError("ocr_off", f"{what}: OCR is off (turn it on with --ocr, or ocr: true in the config)")
    missing = unavailable()
    if missing:
        raise ItemError("ocr_unavailable", f"{what}: OCR is on but {missing} is not installed; {INSTALL}")


def unavailable() -> str | None:
    """What OCR lacks here (Tesseract, its English data, Pillow), None when it can run; asked once
    per PATH (where Tesseract is looked for)."""
    path = os.environ.get("PATH", "")
    if path not in _CACHE:
        _CACHE[path] = _missing()
    return _CACHE[path]


def _missing() -> str | None:
    try:
        import PIL.Image  # noqa: F401 - installed with pdscan[ocr]
    except ImportError:
        return "Pillow"
    if shutil.which(TESSERACT) is None:
        return "Tesseract"
    try:
        listed = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, timeout=30, env=_env()).stdout
    except (OSError, subprocess.SubprocessError):
        return "a working Tesseract"
    return None if LANGUAGE.encode() in listed.split() else f"Tesseract's '{LANGUAGE}' language data"


def check_pixels(width: int, height: int, limits: Limits, what: str) -> None:
    """An image over limits.image_pixels is a decompression bomb: never decoded."""
    if width * height > limits.image_pixels:
        raise ItemError("bomb", f"{what} is {width} x {height} pixels, more than limits.image_pixels")


def read_lines(image, limits: Limits) -> list[OcrLine]:
    """The lines Tesseract reads in `image` (a Pillow image), top to bottom; OcrTimeout past
    limits.ocr_seconds; ItemError(`corrupt`) when Tesseract cannot read it."""
    png = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow on odd modes and metadata
        image.save(png, format="PNG", compress_level=1)  # Tesseract reads PNG faster than it is squeezed
    command = [TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"]
    try:
        done = subprocess.run(
            command, input=png.getvalue(), capture_output=True, timeout=limits.ocr_seconds, env=_env()
        )
    except subprocess.TimeoutExpired:  # run() kills the child before raising
        raise OcrTimeout() from None
    except OSError:
        raise ItemError("ocr_unavailable", f"Tesseract could not be started; {INSTALL}") from None
    if done.returncode != 0:  # its stderr is not quoted: it may name the image's content
        raise ItemError("corrupt", f"Tesseract could not read the image (exit status {done.returncode})")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract's TSV: a row per block, paragraph, line (level 4, its box) and word (level 5, its text)."""
    lines: dict[tuple[str, ...], list] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        if row["level"] == _LINE_LEVEL:
            box = tuple(int(row[k]) for k in ("left", "top", "width", "height"))
            lines[key] = [box, []]
        elif row["level"] == _WORD_LEVEL and (row.get("text") or "").strip() and key in lines:
            lines[key][1].append(row["text"].strip())
    return [OcrLine(" ".join(words), box) for box, words in lines.values() if words]


def _env() -> dict:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}
