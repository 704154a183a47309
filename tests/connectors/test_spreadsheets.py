"""Workbooks through the real CLI: each sheet a table classified like a CSV, cells in locations."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

PEOPLE = [
    ("Alice Johnson", "alice.johnson@example.org"),
    ("Robert Miller", "bob.miller@acme-corp.com"),
    ("Maria Garcia", "m.garcia@mailbox.net"),
    ("David Chen", "david.chen@contoso.io"),
]


def _workbook(path):
    book = openpyxl.Workbook()
    customers = book.active
    customers.title = "Customers"
    customers.append(["name", "email", "note"])
    for name, address in PEOPLE:
        customers.append([name, address, "call back next week"])
    staff = book.create_sheet("Staff")  # the same header, holding nothing personal
    staff.append(["email", "code"])
    for i in range(4):
        staff.append([f"not-an-address-{i}", 1000 + i])  # near misses
    book.save(path)
    return path


def _json(run) -> dict:
    assert run.code in (0, 1), run.stdout  # 1: findings were made
    return json.loads(run.stdout)


def test_sheets_are_tables_classified_per_sheet(scan, tmp_path):
    out = _json(scan(_workbook(tmp_path / "book.xlsx"), "--no-store", "--format", "json", "--workers", "1"))
    columns = {(f["location"]["sheet"], f["location"]["column"], f["entity"]) for f in out["findings"]}
    assert ("Customers", "email", "EMAIL_ADDRESS") in columns
    assert ("Customers", "name", "PERSON") in columns
    assert not any(sheet == "Staff" for sheet, _, _ in columns)  # same header, other sheet: its own verdict
    assert all(f["kind"] == "column" for f in out["findings"])
    assert out["summary"]["complete"] == 1


def test_row_findings_name_sheet_row_and_cell(scan, tmp_path):
    run = scan(_workbook(tmp_path / "book.xlsx"), "--no-store", "--granularity", "row", "--workers", "1")
    emails = [f["location"] for f in run.findings if f["entity"] == "EMAIL_ADDRESS"]
    assert {(loc["sheet"], loc["column"], loc["row"], loc["cell"]) for loc in emails} == {
        ("Customers", "email", i, f"B{i + 2}") for i in range(len(PEOPLE))
    }
    for _, address in PEOPLE:
        assert address not in run.stdout  # masked


def test_xlsx_named_csv_is_read_as_a_workbook(scan, tmp_path):
    path = _workbook(tmp_path / "book.xlsx").rename(tmp_path / "export.csv")
    run = scan(path, "--no-store", "--workers", "1")
    assert {f["location"].get("sheet") for f in run.findings} == {"Customers"}


def test_ods_is_read_as_a_workbook(scan, tmp_path):
    rows = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>"
        for row in [("name", "email"), *PEOPLE]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="People">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    path = tmp_path / "people.zip"  # the name says archive: the content says spreadsheet
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    run = scan(path, "--no-store", "--workers", "1")
    assert ("People", "email", "EMAIL_ADDRESS") in {
        (f["location"]["sheet"], f["location"]["column"], f["entity"]) for f in run.findings
    }


def test_corrupt_workbook_is_corrupt_and_the_scan_goes_on(scan, tmp_path):
    good = _workbook(tmp_path / "book.xlsx")
    data = good.read_bytes()
    (tmp_path / "broken.xlsx").write_bytes(data[: len(data) // 2])  # the zip directory cut off
    out = _json(scan(tmp_path, "--no-store", "--format", "json", "--workers", "1"))
    assert out["summary"]["skipped"] == {"corrupt": 1}
    assert any(f["location"]["container"] == "book.xlsx" for f in out["findings"])


def test_encrypted_office_file_is_encrypted(scan, tmp_path):
    olefile = pytest.importorskip("olefile")
    # an encrypted OOXML package is an OLE file with EncryptionInfo and EncryptedPackage streams
    path = tmp_path / "secret.xlsx"
    _ole_with_streams(path, ["EncryptionInfo", "EncryptedPackage"])
    assert olefile.isOleFile(str(path))
    out = _json(scan(path, "--no-store", "--format", "json", "--workers", "1"))
    assert out["summary"]["skipped"] == {"encrypted": 1}


def test_sheet_row_limit_is_partial(scan, tmp_path):
    (tmp_path / "config.yml").write_text("limits:\n  sheet_rows: 2\n")
    book = _workbook(tmp_path / "book.xlsx")
    out = _json(scan(book, "--config", tmp_path / "config.yml", "--no-store", "--format", "json"))
    assert out["summary"]["partial"] == {"too_many_rows": 1}


def _ole_with_streams(path, names):
    """A minimal OLE2 compound file holding the named (empty-ish) streams, written by hand."""
    sector = 512
    entries = [("Root Entry", 5)] + [(n, 2) for n in names]
    directory = b""
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry = raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + bytes([kind, 1])
        left = right = 0xFFFFFFFF
        child = 0xFFFFFFFF
        if i == 0 and len(entries) > 1:
            child = 1
        elif 0 < i < len(entries) - 1:
            right = i + 1
        entry += left.to_bytes(4, "little") + right.to_bytes(4, "little") + child.to_bytes(4, "little")
        entry += b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
        entry += (0xFFFFFFFE if kind != 2 else 0xFFFFFFFE).to_bytes(4, "little") + (0).to_bytes(8, "little")
        directory += entry
    directory = directory.ljust(sector, b"\x00")
    fat = (0xFFFFFFFD).to_bytes(4, "little") + (0xFFFFFFFE).to_bytes(4, "little")
    fat = fat.ljust(sector, b"\xff")
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16)
    header += (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little") + b"\xfe\xff"
    header += (9).to_bytes(2, "little") + (6).to_bytes(2, "little") + b"\x00" * 6
    header += (0).to_bytes(4, "little") + (1).to_bytes(4, "little") + (1).to_bytes(4, "little")
    header += b"\x00" * 4 + (4096).to_bytes(4, "little") + (0xFFFFFFFE).to_bytes(4, "little")
    header += (0).to_bytes(4, "little") + (0xFFFFFFFE).to_bytes(4, "little") + (0).to_bytes(4, "little")
    header += (0).to_bytes(4, "little") + b"\xff" * (436 - 4)
    path.write_bytes(bytes(header).ljust(sector, b"\xff") + fat + directory)


def test_dsar_finds_the_persons_row_in_a_sheet(cli_run, tmp_path, monkeypatch):
    _workbook(tmp_path / "book.xlsx")
    monkeypatch.chdir(tmp_path)
    result = cli_run("dsar", "find", tmp_path, "--email", PEOPLE[1][1], "--dry-run", "--stdout",
                     "--evidence", "evidence.json")  # fmt: skip
    assert result.exit_code == 1, result.stderr
    answer = json.loads(result.stdout)
    assert {p["field"]: p["value"] for p in answer["pieces"]}["name"] == PEOPLE[1][0]
    (record,) = json.loads((tmp_path / "evidence.json").read_text())["records"]
    assert (record["container"], record["location"]["table"], record["location"]["row"]) == (
        "book.xlsx",
        "Customers",
        1,
    )


def test_ole_files_are_told_apart_by_their_streams(scan, tmp_path):
    _ole_with_streams(tmp_path / "mail.msg", ["__substg1.0_0037001F"])  # an Outlook message, damaged
    _ole_with_streams(tmp_path / "other.doc", ["WordDocument"])  # legacy Word: not read
    out = _json(scan(tmp_path, "--no-store", "--format", "json", "--workers", "1"))
    reasons = {c["container"]: c["reason"] for c in out["coverage"]}
    assert reasons == {"mail.msg": "corrupt", "other.doc": "unsupported_format"}
