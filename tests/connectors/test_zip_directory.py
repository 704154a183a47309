"""A zip's kind from its central directory: a DOCX or XLSX whose first 64 KB hold only a large image
is still a document (local files and S3 objects), and a plain zip like it is still a zip."""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile

from tests.connectors import archives as build
from tests.connectors.archives import CSV, EMAIL, PLANTED, SSN

IMAGE = os.urandom(200 << 10)  # incompressible: 200 KB of the zip before any part that names the kind


def _image_first(package: bytes) -> bytes:
    """The same package with a stored 200 KB image as its first member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr(zipfile.ZipInfo("media/image1.png"), IMAGE)  # stored
        for info in src.infolist():
            dst.writestr(info, src.read(info))
    return out.getvalue()


def _docx(image_first: bool = True) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(f"Contact: {EMAIL}")
    out = io.BytesIO()
    document.save(out)
    return _image_first(out.getvalue()) if image_first else out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "ssn"])
    sheet.append(["Carol Danvers", EMAIL, SSN])
    sheet.append(["Peter Parker", "peter.parker@dailybugle.net", "219-09-9998"])
    out = io.BytesIO()
    book.save(out)
    return _image_first(out.getvalue())


def _objects() -> dict[str, bytes]:
    return {
        "letter.docx": _docx(),
        "people.bin": _xlsx(),  # the name says nothing
        "photos.zip": _image_first(build.zip_bytes({"people.csv": CSV.encode()})),
        "saved.zip": build.zip_bytes({"letter.docx": _docx()}),  # a member: copied, then its directory read
        # a compressed zip is judged by the first 64 KB it inflates to: a plain DOCX gzipped is a DOCX
        "letter.docx.gz": gzip.compress(_docx(image_first=False)),
    }


DOCUMENTS = ("letter.docx", "saved.zip!/letter.docx", "letter.docx.gz")


def test_the_head_alone_does_not_show_the_kind():
    from pdscan.connectors.formats.base import best

    for name, data in _objects().items():
        if name.endswith(".docx") or name == "people.bin":
            assert best(data[: 64 << 10], name)[0].name == "archive", name  # what sniffing the head alone says


def _check(doc, prefix: str = "") -> None:
    coverage = {c["container"]: (c["status"], c["reason"]) for c in doc["coverage"]}
    assert coverage == {f"{prefix}photos.zip!/media/image1.png": ("skipped", "binary")}, coverage  # random bytes
    found: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        found.setdefault(f["location"]["container"], []).append(f)
    assert set(found) == {f"{prefix}{name}" for name in (*DOCUMENTS, "people.bin", "photos.zip!/people.csv")}
    for name in DOCUMENTS:
        assert "paragraph" in found[f"{prefix}{name}"][0]["location"], name  # read as a document
    sheet = {(f["location"].get("sheet"), f["location"]["field"], f["entity"]) for f in found[f"{prefix}people.bin"]}
    assert ("Sheet", "ssn", "US_SSN") in sheet  # read as a workbook, its columns classified


def test_a_document_zip_is_told_by_its_directory(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    for name, data in _objects().items():
        (folder / name).write_bytes(data)
    run = scan(folder, "--format", "json")
    assert run.code == 1, run.stderr
    _check(json.loads(run.stdout))
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_an_s3_document_zip_is_told_by_its_directory(scan, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="dir")
    for name, data in _objects().items():
        client.put_object(Bucket="dir", Key=name, Body=data)
    run = scan("s3://dir/", "--endpoint-url", moto_server.endpoint, "--format", "json")
    assert run.code == 1, run.stderr
    _check(json.loads(run.stdout), "s3://dir/")


def test_an_attached_document_zip_is_told_by_its_directory(scan, tmp_path):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "hr@example.org"
    message["Subject"] = "letter"
    message["Message-ID"] = "<l1@example.org>"
    message.set_content("see the attachment\n")
    message.add_attachment(_docx(), maintype="application", subtype="octet-stream", filename="letter.bin")
    (tmp_path / "mail.eml").write_bytes(bytes(message))
    run = scan(tmp_path, "--format", "json")
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    assert not doc["coverage"], doc["coverage"]
    (found,) = [f for f in doc["findings"] if f["entity"] == "EMAIL_ADDRESS" and f["location"].get("part") == "2"]
    assert "paragraph" in found["location"]  # the attachment read as a DOCX, not skipped as a zip
