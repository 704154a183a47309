"""Legacy Excel (.xls, written by xlwt) and Outlook MSG (written by aspose-email-foss from an
`email` message), real files through the real CLI: an XLS sheet is a table classified like a CSV,
an MSG's headers, body and attachments are read as an EML's are; near misses are not findings."""

from __future__ import annotations

import json
from email.message import EmailMessage

from tests.connectors import archives as build

PEOPLE = [
    ("name", "email", "ssn", "order"),
    ("Carol Danvers", "carol.danvers@mailhost.com", "536-90-4399", "536-90-43990"),
    ("Peter Parker", "peter.parker@dailybugle.net", "219-09-9998", "219-09-99980"),
    ("Wanda Maximoff", "wanda.maximoff@westview.org", "078-05-1121", "078-05-11210"),
]
PLANTED = ("carol.danvers@mailhost.com", "536-90-4399", "212-555-0187", "robert.miller@mailhost.com")


def _xls() -> bytes:
    import io

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("People")
    for r, row in enumerate(PEOPLE):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.add_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _msg() -> bytes:
    from aspose.email_foss.msg import MapiMessage

    message = EmailMessage()
    message["From"] = "Alice Johnson <alice.johnson@mailhost.com>"
    message["To"] = "Robert Miller <robert.miller@mailhost.com>"
    message["Subject"] = "Quarterly list"
    message["Message-ID"] = "<q1@example.org>"
    message.set_content("Hi,\nplease call me on 212-555-0187.\nOrder 12-34-56 ships soon.\n")  # line 3: a near miss
    csv = "name,email,ssn\n" + "".join(f"{n},{e},{s}\n" for n, e, s, _ in PEOPLE[1:])
    message.add_attachment(csv.encode(), maintype="text", subtype="csv", filename="list.csv")
    return MapiMessage.from_email_message(message).to_bytes()


def _scan(scan, source, *args):
    run = scan(source, "--format", "json", "--granularity", "row", *args)
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    assert not doc["coverage"], doc["coverage"]
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]
    return doc["findings"]


def test_an_xls_sheet_is_a_table_with_its_cells(scan, tmp_path):
    (tmp_path / "export.dat").write_bytes(_xls())  # an OLE2 Workbook stream, whatever the name
    findings = _scan(scan, tmp_path)
    cells = {(f["location"]["sheet"], f["location"]["column"], f["location"]["cell"], f["entity"]) for f in findings}
    assert {("People", "email", "B2", "EMAIL_ADDRESS"), ("People", "ssn", "C3", "US_SSN")} <= cells
    assert {("People", "name", "A4", "PERSON")} <= cells
    assert not [f for f in findings if f["location"]["column"] == "order"]  # one digit too many: no SSN
    assert {f["location"]["container"] for f in findings} == {"export.dat"}
    columns = _scan(scan, tmp_path, "--granularity", "column")
    assert {("email", "EMAIL_ADDRESS"), ("ssn", "US_SSN")} <= {
        (f["location"]["field"], f["entity"]) for f in columns if f["kind"] == "column"
    }


def test_an_msg_is_read_as_its_headers_body_and_attachments(scan, tmp_path):
    (tmp_path / "mail.msg").write_bytes(_msg())
    (tmp_path / "mail.zip").write_bytes(build.zip_bytes({"saved/mail.msg": _msg()}))  # inside an archive too
    findings = _scan(scan, tmp_path)
    by_container: dict[str, set] = {}
    for f in findings:
        loc = f["location"]
        by_container.setdefault(loc["container"], set()).add(
            (loc.get("field"), loc.get("part"), loc.get("line"), f["entity"])
        )
    assert set(by_container) == {"mail.msg", "mail.zip!/saved/mail.msg"}
    for found in by_container.values():
        assert {("To", None, None, "EMAIL_ADDRESS"), ("To", None, None, "PERSON")} <= found
        assert (None, "1", 2, "PHONE_NUMBER") in found  # the body's line 2
        assert not [f for f in found if f[2] == 3]  # the order number on line 3 is no finding
        assert {("email", "2", None, "EMAIL_ADDRESS"), ("ssn", "2", None, "US_SSN")} <= found  # the attached CSV
    assert {f["location"]["message"] for f in findings} == {"<q1@example.org>"}
