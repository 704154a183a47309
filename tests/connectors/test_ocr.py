"""OCR through the real CLI and the real Tesseract: images with text rendered by Pillow (PNG, JPEG,
a two-page TIFF, a PDF whose second page is a scan, a PNG inside a zip and in a bucket) hold planted
personal data and a near miss; findings sit at their page, line and box; OCR is off unless asked
for; corrupt, oversized, slow and unavailable cases have their reasons and the scan goes on."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.connectors import archives
from tests.connectors import imagefiles as img
from tests.connectors.imagefiles import EMAIL, LEFT, LINES, RAW, SECOND_EMAIL, STEP, TOP

pytest.importorskip("PIL")
pytest.importorskip("fpdf")
WHY = img.missing()
# CI runs scripts/install-test-deps, which installs Tesseract and the font: there they must be found
pytestmark = pytest.mark.skipif(WHY is not None and not os.environ.get("CI"), reason=WHY or "")

ENTITIES = {"PERSON": 1, "EMAIL_ADDRESS": 2, "PHONE_NUMBER": 3, "CREDIT_CARD": 4}  # entity -> its line in LINES


def _scan(scan, path, *args):
    run = scan(path, "--no-store", "--format", "json", "--workers", "1", *args)
    assert run.code in (0, 1), run.stderr
    for raw in RAW:
        assert raw not in run.stdout + run.stderr  # masked samples only
    doc = json.loads(run.stdout)
    coverage = {c["container"]: (c["status"], c["reason"]) for c in doc["coverage"]}
    return doc["findings"], coverage, run


def _at(findings, container):
    """entity -> [(page, line, box)] of the findings in `container`."""
    out: dict[str, list] = {}
    for f in findings:
        loc = f["location"]
        if loc["container"] == container:
            out.setdefault(f["entity"], []).append((loc.get("page"), loc["line"], loc.get("box")))
    return out


def _drawn_at(box, line: int) -> bool:
    """The box OCR gives line `line` (from 1) is where Pillow drew it."""
    left, top, width, height = box
    drawn_top = TOP + STEP * (line - 1)
    return LEFT - 5 <= left <= LEFT + 15 and drawn_top - 5 <= top <= drawn_top + 20 and width > 100 and 15 < height < 60


def _assert_planted(found, page=1):
    """Each planted value once on `page`, on its line and in its box; the near miss not at all."""
    for entity, line in ENTITIES.items():
        on_page = [(n, box) for p, n, box in found.get(entity, []) if p == page]
        assert [n for n, _ in on_page] == [line], (entity, found)
        assert _drawn_at(on_page[0][1], line), (entity, found[entity])


def test_png_jpeg_and_tiff_lines_with_page_line_and_box(scan, tmp_path):
    img.png(tmp_path / "form.png")
    img.jpeg(tmp_path / "photo.jpg")
    img.tiff(tmp_path / "fax.tiff")
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {}  # every image read in full
    for name in ("form.png", "photo.jpg", "fax.tiff"):
        _assert_planted(_at(findings, name))
    second = _at(findings, "fax.tiff")["EMAIL_ADDRESS"]
    assert [(p, n) for p, n, _ in second] == [(1, 2), (2, 1)]  # the TIFF's second page, its first line
    assert _drawn_at(second[1][2], 1)


def test_the_content_decides_not_the_name(scan, tmp_path):
    img.png(tmp_path / "notes.txt")
    (tmp_path / "scan.png").write_text(f"plain text naming {SECOND_EMAIL}\n")
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    _assert_planted(_at(findings, "notes.txt"))
    assert [(p, n, b) for p, n, b in _at(findings, "scan.png")["EMAIL_ADDRESS"]] == [(None, 1, None)]


def test_a_scanned_pdf_page_is_read_by_ocr_beside_the_text_layer(scan, tmp_path):
    img.scanned_pdf(tmp_path / "signed.pdf")
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {}
    found = _at(findings, "signed.pdf")
    assert found["EMAIL_ADDRESS"][0] == (1, 1, None)  # the text layer: no box
    _assert_planted(found, page=2)


def test_a_page_of_two_images_names_each_and_numbers_lines_on(scan, tmp_path):
    img.two_image_pdf(tmp_path / "two.pdf")
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {}
    emails = [f["location"] for f in findings if f["entity"] == "EMAIL_ADDRESS"]
    assert [(e["page"], e["line"]) for e in emails] == [(1, 2), (1, len(LINES) + 1)]  # lines go on over the images
    assert emails[0]["image"] != emails[1]["image"]
    assert _drawn_at(emails[0]["box"], 2) and _drawn_at(emails[1]["box"], 1)  # each box in its own image


def test_ocr_is_off_unless_asked_for_and_the_config_turns_it_on(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    img.png(folder / "form.png")
    img.scanned_pdf(folder / "signed.pdf")
    findings, coverage, run = _scan(scan, folder)
    assert coverage == {"form.png": ("skipped", "ocr_off"), "signed.pdf": ("partial", "ocr_off")}
    assert [(f["location"]["container"], f["location"]["page"]) for f in findings] == [("signed.pdf", 1)]
    assert "--ocr" in run.stderr
    config = tmp_path / "pdscan.yaml"
    config.write_text("ocr: true\n")
    findings, coverage, _ = _scan(scan, folder, "--config", str(config))
    assert coverage == {}
    _assert_planted(_at(findings, "form.png"))
    config.write_text("limits:\n  ocr: true\n")
    misplaced = scan(folder, "--no-store", "--config", str(config))
    assert misplaced.code == 2 and "ocr is a top-level setting" in misplaced.stderr


def test_corrupt_images_are_corrupt_and_the_scan_goes_on(scan, tmp_path):
    good = img.png_bytes()
    (tmp_path / "cut.png").write_bytes(good[: len(good) // 3])
    jpeg = img.jpeg(tmp_path / "photo.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(jpeg[:200])
    (tmp_path / "photo.jpg").unlink()
    (tmp_path / "garbage.tiff").write_bytes(b"II*\x00" + b"\xff" * 500)
    img.png(tmp_path / "form.png")
    findings, coverage, run = _scan(scan, tmp_path, "--ocr")
    assert coverage == {name: ("skipped", "corrupt") for name in ("cut.png", "cut.jpg", "garbage.tiff")}
    _assert_planted(_at(findings, "form.png"))
    lines = [line for line in run.stderr.splitlines() if line.startswith("pdscan: skipped")]
    assert len(lines) == 3 and all("image" in line for line in lines)  # one line each, saying what


def test_images_over_the_pixel_limit_are_bombs_never_decoded(scan, tmp_path):
    img.png(tmp_path / "form.png")
    img.scanned_pdf(tmp_path / "signed.pdf")
    config = tmp_path / "pdscan.yaml"
    config.write_text("ocr: true\nlimits:\n  image_pixels: 100000\n")  # the pages are 1400 x 500
    findings, coverage, _ = _scan(scan, tmp_path, "--config", str(config))
    assert coverage == {"form.png": ("skipped", "bomb"), "signed.pdf": ("partial", "bomb")}
    assert {f["location"]["container"] for f in findings} == {"signed.pdf"}  # its text layer


def test_declared_bombs_are_bombs_at_the_default_limit(scan, tmp_path):
    img.declared_png(tmp_path / "wide.png", 12_000, 10_000)  # over limits.image_pixels (Pillow's MAX_IMAGE_PIXELS)
    img.declared_png(tmp_path / "huge.png", 50_000, 50_000)  # over what Pillow opens at all
    img.png(tmp_path / "form.png")
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {"wide.png": ("skipped", "bomb"), "huge.png": ("skipped", "bomb")}
    _assert_planted(_at(findings, "form.png"))


def test_a_jbig2_page_needs_jbig2dec_and_a_damaged_one_is_corrupt(scan, tmp_path):
    img.jbig2_pdf(tmp_path / "compact.pdf")
    img.png(tmp_path / "form.png")
    findings, coverage, run = _scan(scan, tmp_path, "--ocr")
    if img.shutil.which("jbig2dec") is None:  # pypdf decodes JBIG2 through it
        assert coverage == {"compact.pdf": ("partial", "ocr_unavailable")}
        assert "apt-get install jbig2dec" in run.stderr
    else:
        assert coverage == {"compact.pdf": ("partial", "corrupt")}
    _assert_planted(_at(findings, "form.png"))


def test_tiff_pages_past_the_pages_limit_are_not_read(scan, tmp_path):
    img.tiff(tmp_path / "fax.tiff")
    config = tmp_path / "pdscan.yaml"
    config.write_text("ocr: true\nlimits:\n  pages: 1\n")
    findings, coverage, _ = _scan(scan, tmp_path / "fax.tiff", "--config", str(config))
    assert coverage == {"fax.tiff": ("partial", "too_large")}
    assert {p for p, _, _ in _at(findings, "fax.tiff")["EMAIL_ADDRESS"]} == {1}


def test_a_page_past_the_ocr_time_limit_is_a_timeout_and_the_next_is_read(scan, tmp_path, monkeypatch):
    """A Tesseract that hangs on the first page (a real child process, killed at limits.ocr_seconds)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real = img.shutil.which("tesseract")
    flag = tmp_path / "hung-once"
    fake = bin_dir / "tesseract"
    fake.write_text(
        f'#!/bin/sh\nif [ "$1" != "--list-langs" ] && [ ! -e {flag} ]; then touch {flag}; exec sleep 30; fi\n'
        f'exec {real} "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    img.tiff(tmp_path / "fax.tiff")
    config = tmp_path / "pdscan.yaml"
    config.write_text("ocr: true\nlimits:\n  ocr_seconds: 1\n")
    findings, coverage, _ = _scan(scan, tmp_path / "fax.tiff", "--config", str(config))
    assert coverage == {"fax.tiff": ("partial", "timeout")}
    assert [(p, n) for p, n, _ in _at(findings, "fax.tiff")["EMAIL_ADDRESS"]] == [(2, 1)]


def test_without_tesseract_images_are_ocr_unavailable(scan, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    img.png(tmp_path / "form.png")
    (tmp_path / "notes.txt").write_text(f"write to {SECOND_EMAIL}\n")
    findings, coverage, run = _scan(scan, tmp_path, "--ocr")
    assert coverage == {"form.png": ("skipped", "ocr_unavailable")}
    assert [f["location"]["container"] for f in findings] == ["notes.txt"]
    assert "apt-get install tesseract-ocr" in run.stderr
    only = scan(tmp_path / "form.png", "--no-store", "--ocr")
    assert only.code == 2 and "no source could be read" in only.stderr  # asked for, and nothing could be read


def test_an_image_in_an_archive_is_read_as_a_member(scan, tmp_path):
    (tmp_path / "scans.zip").write_bytes(archives.zip_bytes({"dir/form.png": img.png_bytes()}))
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {}
    _assert_planted(_at(findings, "scans.zip!/dir/form.png"))


def test_an_image_attached_to_a_message_is_read_by_ocr(scan, tmp_path):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "billing@example.net", "files@example.net", "Scan"
    message["Message-ID"] = "<scan-1@example.net>"
    message.set_content("The signed form is attached.")
    message.add_attachment(img.png_bytes(), maintype="image", subtype="png", filename="form.png")
    (tmp_path / "scan.eml").write_bytes(bytes(message))
    findings, coverage, _ = _scan(scan, tmp_path)
    assert coverage == {"scan.eml": ("partial", "ocr_off")}
    findings, coverage, _ = _scan(scan, tmp_path, "--ocr")
    assert coverage == {}
    card = [f["location"] for f in findings if f["entity"] == "CREDIT_CARD"]
    assert [(c["message"], c["part"], c["page"], c["line"]) for c in card] == [("<scan-1@example.net>", "2", 1, 4)]
    assert _drawn_at(card[0]["box"], 4)


def test_an_image_object_in_a_bucket_is_read_by_ocr(scan, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="scans")
    client.put_object(Bucket="scans", Key="in/form.png", Body=img.png_bytes())
    client.put_object(Bucket="scans", Key="in/bundle.zip", Body=archives.zip_bytes({"page.png": img.png_bytes()}))
    findings, coverage, _ = _scan(scan, "s3://scans/in/", "--endpoint-url", moto_server.endpoint, "--ocr")
    assert coverage == {}
    _assert_planted(_at(findings, "s3://scans/in/form.png"))
    _assert_planted(_at(findings, "s3://scans/in/bundle.zip!/page.png"))


def test_dsar_finds_the_person_in_a_scanned_page(cli_run, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    img.scanned_pdf(folder / "signed.pdf")
    answer, evidence = tmp_path / "answer.json", tmp_path / "evidence.json"
    result = cli_run("dsar", "find", str(folder), "--email", EMAIL, "--ocr", "-o", answer, "--evidence", evidence)
    assert result.exit_code == 1, result.output
    assert EMAIL in answer.read_text()  # the answer holds the person's own data
    [record] = json.loads(evidence.read_text())["records"]
    where = record["location"]
    assert (record["container"], where["page"], where["line"]) == ("signed.pdf", 2, 2)
    assert _drawn_at(where["box"], 2)
