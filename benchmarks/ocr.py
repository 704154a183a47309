"""OCR, measured apart from everything else (it is off by default): seconds and pages per core.

Renders pages of real text, the loghub logs (../shared/datasets/loghub, the first lines of each
file in turn), at 300 dpi on A4 (2480 x 3508 px, DejaVu Sans 10 pt), one planted line per page (a
name, an e-mail and a Luhn-valid card), and writes them three ways: PNG files, one multi-page
TIFF (LZW), and a PDF of image-only pages (the images JPEG-compressed, as scanners write them). Then:

* the OCR stage alone (pdscan.connectors.formats.ocr.read_lines on each decoded page): CPU seconds
  per page of this process and of the Tesseract children together, and the share of lines read
  back exactly as rendered;
* `pdscan scan DIR --ocr --workers 1` in a child process per form (model loading included and
  printed apart): pages/s per CPU second, and the planted e-mails and cards found;
* the same pages as a PDF with a text layer (fpdf2), scanned without OCR: the figure beside it;
* the same scan without --ocr, for contrast (the images are skipped as ocr_off).

    python benchmarks/ocr.py [--pages 12] [--dir DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGHUB = ROOT.parent / "shared" / "datasets" / "loghub"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WIDTH, HEIGHT, MARGIN, SIZE, STEP = 2480, 3508, 150, 42, 64  # A4 at 300 dpi; 10 pt type, 1.5 line spacing
LINES_PER_PAGE = (HEIGHT - 2 * MARGIN) // STEP
MAX_CHARS = 95  # a log line cut to what fits across the page


def log_lines() -> list[str]:
    files = sorted(LOGHUB.glob("*_2k.log"))
    per_file = [f.read_text(encoding="utf-8", errors="replace").splitlines() for f in files]
    out = []
    for i in range(2000):  # one line of each log in turn
        out += [lines[i][:MAX_CHARS] for lines in per_file if i < len(lines)]
    return out


def planted(n: int) -> tuple[str, str, str]:
    """A name, an e-mail and a Luhn-valid card for page n."""
    from stdnum import luhn

    name = ["Amara Okonkwo", "Dmitri Lindqvist", "Chiara Bianchi", "Kwame Castellanos"][n % 4]
    email = f"{name.split()[0].lower()}.{n}@example.com"
    body = f"45391488{n:07d}"
    card = body + luhn.calc_check_digit(body)
    return name, email, " ".join(card[i : i + 4] for i in range(0, 16, 4))


def pages(count: int):
    """(image, rendered lines) for each page."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, SIZE)
    text = log_lines()
    for n in range(count):
        lines = text[n * (LINES_PER_PAGE - 1) : (n + 1) * (LINES_PER_PAGE - 1)]
        name, email, card = planted(n)
        lines.insert(len(lines) // 2, f"Refund for {name}, {email}, card {card}")
        image = Image.new("L", (WIDTH, HEIGHT), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((MARGIN, MARGIN + STEP * i), line, font=font, fill=0)
        yield image, lines


def write_forms(folder: Path, count: int) -> list[list[str]]:
    import fpdf

    rendered, images = [], []
    for directory in ("png", "tiff", "pdf", "text-pdf"):
        (folder / directory).mkdir(parents=True, exist_ok=True)
    doc = fpdf.FPDF(unit="pt", format=(595, 842))
    text = fpdf.FPDF(unit="pt", format=(595, 842))  # the same lines as a text layer: no OCR needed
    text.set_font("helvetica", size=7)
    for n, (image, lines) in enumerate(pages(count)):
        rendered.append(lines)
        images.append(image)
        image.save(folder / "png" / f"page{n + 1:03d}.png")
        jpeg = io.BytesIO()
        image.save(jpeg, format="JPEG", quality=80)
        doc.add_page()
        doc.image(jpeg, x=0, y=0, w=595, h=842)
        text.add_page()
        for line in lines:
            text.cell(text=line.encode("latin-1", "replace").decode("latin-1"))
            text.ln(15)
    fresh = [image.copy() for image in images]  # a JPEG save leaves its encoder settings on the image
    fresh[0].save(folder / "tiff" / "fax.tiff", save_all=True, append_images=fresh[1:], compression="tiff_lzw")
    (folder / "pdf" / "scanned.pdf").write_bytes(bytes(doc.output()))
    (folder / "text-pdf" / "typed.pdf").write_bytes(bytes(text.output()))
    return rendered


def cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def ocr_stage(folder: Path, rendered: list[list[str]]) -> dict:
    from PIL import Image

    from pdscan.connectors.formats import ocr
    from pdscan.connectors.limits import Limits

    limits = Limits(ocr=True)
    exact = total = 0
    seconds = []
    for n, lines in enumerate(rendered):
        image = Image.open(folder / "png" / f"page{n + 1:03d}.png")
        image.load()
        start = cpu()
        found = ocr.read_lines(image, limits)
        seconds.append(cpu() - start)
        read = {" ".join(line.text.split()) for line in found}
        exact += sum(" ".join(line.split()) in read for line in lines)
        total += len(lines)
    seconds.sort()
    return {"pages": len(seconds), "cpu_per_page": sum(seconds) / len(seconds), "median": seconds[len(seconds) // 2],
            "max": seconds[-1], "lines_exact": exact / total}  # fmt: skip


def scan(path: Path, *args: str) -> dict:
    """`pdscan scan PATH --workers 1` in a child: its CPU seconds, wall seconds and findings."""
    env = {**os.environ, "PDSCAN_KEY": "0" * 64}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pdscan", "scan", str(path), "--workers", "1", "--no-store", "--format", "json", *args],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    doc = json.loads(done.stdout)
    entities: dict[str, int] = {}
    for f in doc["findings"]:
        entities[f["entity"]] = entities.get(f["entity"], 0) + 1
    return {"cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, "wall": wall,
            "entities": entities, "coverage": [(c["container"], c["reason"]) for c in doc["coverage"]]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="pdscan-ocr-"))
    rendered = write_forms(folder, args.pages)
    print(f"{args.pages} pages of loghub text, {LINES_PER_PAGE} lines each, {WIDTH} x {HEIGHT} px (A4, 300 dpi)")
    print(f"load: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    stage = ocr_stage(folder, rendered)
    print(f"OCR stage: {stage['cpu_per_page']:.2f} CPU s/page (median {stage['median']:.2f}, max {stage['max']:.2f}); "
          f"{stage['lines_exact']:.1%} of lines read back exactly")  # fmt: skip
    empty = folder / "empty"
    empty.mkdir(exist_ok=True)
    (empty / "one.txt").write_text("nothing here\n")
    base = scan(empty)
    print(f"start-up (a one-line file): {base['cpu']:.1f} CPU s, {base['wall']:.1f} s wall")
    for form in ("png", "tiff", "pdf"):
        run = scan(folder / form, "--ocr")
        work = run["cpu"] - base["cpu"]
        found = {k: run["entities"].get(k, 0) for k in ("EMAIL_ADDRESS", "CREDIT_CARD")}
        print(f"{form:>4} --ocr: {run['cpu']:.1f} CPU s ({work / args.pages:.2f} s/page past start-up, "
              f"{args.pages / work:.2f} pages per CPU s), {run['wall']:.1f} s wall; planted found {found} "
              f"of {args.pages} each; coverage {run['coverage'] or 'complete'}")  # fmt: skip
    typed = scan(folder / "text-pdf")
    work = typed["cpu"] - base["cpu"]
    print(f"the same pages as a text-layer PDF (no OCR): {typed['cpu']:.1f} CPU s ({work / args.pages:.2f} s/page "
          f"past start-up), planted found {typed['entities'].get('EMAIL_ADDRESS', 0)} e-mails")  # fmt: skip
    off = scan(folder / "png")
    print(f" png, OCR off: {off['cpu']:.1f} CPU s; coverage {len(off['coverage'])} items {off['coverage'][0][1]}")
    print(f"corpus kept in {folder}")


if __name__ == "__main__":
    main()
