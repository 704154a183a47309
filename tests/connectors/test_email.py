"""E-mail through the real CLI: address headers, bodies, attachments read by their own format."""

from __future__ import annotations

import json
from email.message import EmailMessage

ALICE = "alice.johnson@example.org"
BOB = "bob.miller@acme-corp.com"
HIDDEN = "hidden.person@script.example"
CSV = b"name,email\nJohn Carter,john.carter@example.com\nJane Doe,jane.doe@example.com\n"


def _message(mid: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Alice Johnson <{ALICE}>"
    msg["To"] = f"Robert Miller <{BOB}>"
    msg["Subject"] = "Quarterly list"
    msg["Date"] = "Fri, 04 Dec 2026 10:00:00 +0000"
    msg["Message-ID"] = mid
    msg.set_content("Hi,\nplease call me on 212-555-0187.\nOrder 12-34-56 ships soon.\n")  # a near miss
    msg.add_alternative(
        f"<html><body><p>Ask Maria Garcia at m.garcia@mailbox.net</p><script>var a='{HIDDEN}'</script></body></html>",
        subtype="html",
    )
    msg.add_attachment(CSV, maintype="text", subtype="csv", filename="list.csv")
    return msg


def _json(run) -> dict:
    assert run.code in (0, 1), run.stdout  # 1: findings were made
    return json.loads(run.stdout)


def test_eml_headers_bodies_and_attachment(scan, tmp_path):
    path = tmp_path / "note.eml"
    path.write_bytes(bytes(_message("<q1@example.org>")))
    run = scan(path, "--no-store", "--granularity", "row", "--workers", "1")
    found = {(f["entity"], f["location"].get("field"), f["location"].get("part")) for f in run.findings}
    assert ("EMAIL_ADDRESS", "From", None) in found
    assert ("EMAIL_ADDRESS", "To", None) in found
    assert ("PHONE_NUMBER", None, "1.1") in found  # the text body
    assert ("EMAIL_ADDRESS", None, "1.2") in found  # the HTML body's visible text
    assert ("EMAIL_ADDRESS", "email", "2") in found  # the attached CSV, read as a CSV
    assert {f["location"]["message"] for f in run.findings} == {"<q1@example.org>"}
    assert not any(f["entity"] == "EMAIL_ADDRESS" and f["location"].get("part") == "1.2" and
                   f["location"]["end"] - f["location"]["start"] == len(HIDDEN) for f in run.findings)  # fmt: skip
    for secret in (ALICE, BOB, "212-555-0187", "john.carter@example.com"):
        assert secret not in run.stdout


def test_mbox_messages_and_attached_csv_columns(scan, tmp_path):
    box = b""
    for i in (1, 2):
        raw = bytes(_message(f"<m{i}@example.org>")).replace(b"\r\n", b"\n")
        box += b"From alice@example.org Fri Dec  4 10:00:00 2026\n" + raw + b"\n"
    path = tmp_path / "archive.mbox"
    path.write_bytes(box)
    out = _json(scan(path, "--no-store", "--format", "json", "--workers", "1"))
    columns = {(f["location"]["message"], f["location"]["part"], f["location"]["field"], f["entity"])
               for f in out["findings"] if f["kind"] == "column"}  # fmt: skip
    assert ("<m1@example.org>", "2", "email", "EMAIL_ADDRESS") in columns
    assert ("<m2@example.org>", "2", "email", "EMAIL_ADDRESS") in columns  # each attachment its own table
    assert out["summary"]["complete"] == 1


def test_mbox_message_limit_is_partial(scan, tmp_path):
    box = b"".join(
        b"From a@b Fri Dec  4 10:00:00 2026\n" + bytes(_message(f"<l{i}@example.org>")).replace(b"\r\n", b"\n") + b"\n"
        for i in range(3)
    )
    (tmp_path / "box.mbox").write_bytes(box)
    (tmp_path / "config.yml").write_text("limits:\n  messages: 2\n")
    out = _json(scan(tmp_path / "box.mbox", "--config", tmp_path / "config.yml", "--no-store", "--format", "json"))
    assert out["summary"]["partial"] == {"too_many_messages": 1}


def test_corrupt_attachment_is_partial_and_the_message_goes_on(scan, tmp_path):
    msg = _message("<c1@example.org>")
    msg.add_attachment(b"PK\x03\x04" + b"\x00" * 26 + b"xl/worksheets/sheet1.xml" + b"\x00" * 40,
                       maintype="application", subtype="octet-stream", filename="broken.xlsx")  # fmt: skip
    (tmp_path / "c.eml").write_bytes(bytes(msg))
    out = _json(scan(tmp_path / "c.eml", "--no-store", "--format", "json", "--workers", "1"))
    assert out["summary"]["partial"] == {"corrupt": 1}
    assert any(f["location"].get("field") == "From" for f in out["findings"])


def test_text_that_only_mentions_headers_is_text(scan, tmp_path):
    (tmp_path / "notes.txt").write_text("Meeting notes\nFrom: the team\nNothing else here.\n")
    out = _json(scan(tmp_path / "notes.txt", "--no-store", "--format", "json"))
    assert out["summary"]["complete"] == 1 and out["findings"] == []


def test_attached_workbook_and_forwarded_message(scan, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Team"
    book.active.append(["name", "email"])
    book.active.append(["Robert Miller", BOB])
    book.save(tmp_path / "team.xlsx")
    msg = _message("<f1@example.org>")
    msg.add_attachment((tmp_path / "team.xlsx").read_bytes(), maintype="application", subtype="octet-stream",
                       filename="team.bin")  # fmt: skip
    inner = EmailMessage()
    inner["From"] = f"Alice Johnson <{ALICE}>"
    inner["Subject"] = "fw"
    inner.set_content("ring me on 212-555-0187")
    msg.add_attachment(inner)
    (tmp_path / "team.xlsx").unlink()
    (tmp_path / "fw.eml").write_bytes(bytes(msg))
    run = scan(tmp_path, "--no-store", "--granularity", "row", "--workers", "1")
    where = {(f["entity"], f["location"].get("part"), f["location"].get("sheet"), f["location"].get("cell"),
              f["location"].get("field")) for f in run.findings}  # fmt: skip
    assert ("EMAIL_ADDRESS", "3", "Team", "B2", "email") in where  # read as a workbook, whatever its name
    assert ("EMAIL_ADDRESS", "4", None, None, "From") in where  # the forwarded message's headers
    assert ("PHONE_NUMBER", "4.1", None, None, None) in where  # and its body


def test_attachment_depth_limit_is_too_deep(scan, tmp_path):
    inner = EmailMessage()
    inner["From"] = f"Alice Johnson <{ALICE}>"
    inner.set_content("innermost")
    for _ in range(2):  # a message forwarded inside a forwarded message
        outer = EmailMessage()
        outer["From"], outer["To"], outer["Subject"] = "a@example.org", "b@example.org", "fw"
        outer.set_content("see attached")
        outer.add_attachment(inner)
        inner = outer
    (tmp_path / "deep.eml").write_bytes(bytes(inner))
    (tmp_path / "config.yml").write_text("limits:\n  attachment_depth: 1\n")
    out = _json(scan(tmp_path / "deep.eml", "--config", tmp_path / "config.yml", "--no-store", "--format", "json"))
    assert out["summary"]["partial"] == {"too_deep": 1}


def test_mbox_messages_share_batches_and_keep_their_locations(tmp_path, scan):
    """The headers, subject and body lines of all messages come in one batch, each value with its own
    field, line and message; a finding's location is the one it had with a batch per part."""
    from pdscan.connectors.formats.mail import read_mbox
    from pdscan.connectors.limits import Limits
    from pdscan.core.model import ItemResult

    box = b""
    for i in (1, 2, 3):
        msg = EmailMessage()
        msg["From"] = f"Person {i} <person{i}@example.org>"
        msg["Subject"] = f"call 212-555-01{i}7"
        msg["Message-ID"] = f"<s{i}@example.org>"
        msg.set_content(f"Hi,\nmy number is 415-555-01{i}8.\n")
        box += b"From x@example.org Fri Dec  4 10:00:00 2026\n" + bytes(msg).replace(b"\r\n", b"\n") + b"\n"
    path = tmp_path / "s.mbox"
    path.write_bytes(box)
    with path.open("rb") as stream:
        batches = list(read_mbox(stream, ItemResult("s", "s.mbox"), Limits()))
    assert len(batches) == 1 and len(batches[0].values) == 3 * (1 + 1 + 4)  # From, Subject, 4 body lines (2 blank)
    run = scan(path, "--no-store", "--workers", "1")
    found = {(f["entity"], f["location"]["message"], f["location"]["field"], f["location"].get("line"),
              f["location"].get("part")) for f in run.findings}  # fmt: skip
    for i in (1, 2, 3):
        mid = f"<s{i}@example.org>"
        assert ("EMAIL_ADDRESS", mid, "From", None, None) in found
        assert ("PHONE_NUMBER", mid, "Subject", None, None) in found
        assert ("PHONE_NUMBER", mid, None, 2, "1") in found  # the body's second line
    assert len(found) == len(run.findings) == 9


def test_an_error_after_joined_batches_keeps_what_was_read():
    """Text batches held for joining are yielded before the reading error goes on."""
    import pyarrow as pa

    from pdscan.connectors.base import Batch
    from pdscan.connectors.formats.joined import joined
    from pdscan.core.errors import ItemError

    def reading():
        yield Batch(values=pa.array(["a"]), field="From", place=(("message", "1"),))
        yield Batch(values=pa.array(["b", "c"]), lines=__import__("numpy").arange(1, 3), place=(("part", "1"),))
        raise ItemError("corrupt", "the rest is unreadable")

    out = joined(reading())
    first = next(out)
    assert first.values.to_pylist() == ["a", "b", "c"]
    assert [first.field_of(i) for i in range(3)] == ["From", None, None]
    assert [first.line_of(i) for i in range(3)] == [None, 1, 2]
    assert first.places == [(("message", "1"),), (("part", "1"),), (("part", "1"),)]
    try:
        next(out)
    except ItemError as exc:
        assert exc.reason == "corrupt"
    else:
        raise AssertionError("the error was lost")
