"""Documents through the real CLI: PDF, DOCX, ODT, PPTX, HTML, XML and RTF files made with their
writers hold planted personal data; findings carry where in the document they are, statuses and
reasons say what could not be read, and nothing raw reaches the output."""

import json
import shutil
import zipfile

import pytest

from tests.connectors import docfiles
from tests.connectors.docfiles import CARD, EMAIL, NAME, RAW, SSN

pytest.importorskip("fpdf")
pytest.importorskip("docx")
pytest.importorskip("pptx")
pytest.importorskip("odf")


def _scan(scan, path, *args):
    run = scan(path, "--no-store", "--format", "json", "--workers", "1", *args)
    assert run.code in (0, 1), run.stderr
    doc = json.loads(run.stdout)
    for raw in RAW:
        assert raw not in run.stdout  # masked samples only
    coverage = {c["container"]: c for c in doc["coverage"]}  # items not read in full
    return doc["findings"], _Complete(coverage)


class _Complete(dict):
    """Coverage by container; an item the coverage leaves out was read in full."""

    def __missing__(self, name):
        return {"container": name, "status": "complete", "reason": None}


def _where(findings, entity):
    return [f["location"] for f in findings if f["entity"] == entity]


def test_pdf_lines_of_each_page(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.pdf(tmp_path / "statement.pdf"))
    assert coverage["statement.pdf"]["status"] == "complete"
    assert {(loc["page"], loc["line"]) for loc in _where(findings, "EMAIL_ADDRESS")} == {(1, 2), (2, 4)}
    assert [(loc["page"], loc["line"]) for loc in _where(findings, "US_SSN")] == [(1, 3)]
    assert [(loc["page"], loc["line"]) for loc in _where(findings, "CREDIT_CARD")] == [(1, 4)]  # not the order number
    assert [(loc["page"], loc["line"]) for loc in _where(findings, "PHONE_NUMBER")] == [(1, 5)]
    person = _where(findings, "PERSON")
    assert person and person[0]["page"] == 1 and person[0]["line"] == 1
    line = docfiles.LINES[0]
    assert line[person[0]["start"] : person[0]["end"]] == NAME


def test_pdf_named_txt_is_read_as_pdf(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.pdf(tmp_path / "notes.txt"))
    assert {loc["page"] for loc in _where(findings, "US_SSN")} == {1}


def test_pdf_with_a_user_password_is_encrypted_and_owner_only_is_read(scan, tmp_path):
    docfiles.pdf(tmp_path / "locked.pdf", password="s3cret")
    docfiles.pdf(tmp_path / "restricted.pdf", owner_only=True)
    findings, coverage = _scan(scan, tmp_path)
    assert (coverage["locked.pdf"]["status"], coverage["locked.pdf"]["reason"]) == ("skipped", "encrypted")
    assert coverage["restricted.pdf"]["status"] == "complete"
    assert {f["location"]["container"] for f in findings} == {"restricted.pdf"}


def test_corrupt_documents_are_corrupt(scan, tmp_path):
    good = docfiles.docx(tmp_path / "good.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    deck = docfiles.pptx(tmp_path / "deck.pptx").read_bytes()
    (tmp_path / "cut.pptx").write_bytes(deck[: len(deck) // 2])
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    odt = docfiles.odt(tmp_path / "letter.odt").read_bytes()
    (tmp_path / "cut.odt").write_bytes(odt[: len(odt) // 2])
    for name in ("good.docx", "deck.pptx", "letter.odt"):
        (tmp_path / name).unlink()
    _, coverage = _scan(scan, tmp_path)
    for name in ("cut.docx", "cut.pptx", "broken.pdf", "cut.odt"):
        assert (coverage[name]["status"], coverage[name]["reason"]) == ("skipped", "corrupt"), name


def test_pages_past_the_limit_are_too_large(scan, tmp_path):
    config = tmp_path / "limits.yaml"
    config.write_text("limits:\n  pages: 1\n")
    src = tmp_path / "src"
    src.mkdir()
    docfiles.pdf(src / "long.pdf", pages=3)
    findings, coverage = _scan(scan, src, "--config", str(config))
    assert (coverage["long.pdf"]["status"], coverage["long.pdf"]["reason"]) == ("partial", "too_large")
    assert {f["location"]["page"] for f in findings} == {1}


def test_docx_paragraphs_tables_and_footer(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.docx(tmp_path / "letter.docx"))
    assert coverage["letter.docx"]["status"] == "complete"
    card = _where(findings, "CREDIT_CARD")
    assert [(loc["paragraph"], loc["line"]) for loc in card] == [(2, 1)]  # paragraph 3 is the near miss
    columns = {
        (f["entity"], f["location"]["column"], f["location"]["table"]) for f in findings if f["kind"] == "column"
    }
    assert {("EMAIL_ADDRESS", "Email", 1), ("US_SSN", "SSN", 1), ("PERSON", "Customer", 1)} <= columns
    phone = _where(findings, "PHONE_NUMBER")
    assert [(loc["part"], loc["paragraph"]) for loc in phone] == [("footer1", 1)]


def test_docx_rows_in_row_granularity(scan, tmp_path):
    findings, _ = _scan(scan, docfiles.docx(tmp_path / "letter.docx"), "--granularity", "row")
    ssn = sorted((loc["table"], loc["row"], loc["column"]) for loc in _where(findings, "US_SSN"))
    assert ssn == [(1, 0, "SSN"), (1, 1, "SSN"), (1, 2, "SSN")]


def test_a_zip_of_csvs_named_docx_is_not_a_docx(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.csv_zip(tmp_path / "report.docx"))
    assert coverage["report.docx"]["reason"] != "corrupt"
    assert not any("paragraph" in f["location"] or "table" in f["location"] for f in findings)


def test_odt_paragraphs_and_table(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.odt(tmp_path / "letter.odt"))
    assert coverage["letter.odt"]["status"] == "complete"
    assert [loc["paragraph"] for loc in _where(findings, "PHONE_NUMBER")] == [2]
    emails = {(f["kind"], f["location"].get("table"), f["location"].get("column")) for f in findings}
    assert ("column", 1, "Email") in emails


def test_odt_with_a_password_is_encrypted(scan, tmp_path):
    plain = docfiles.odt(tmp_path / "plain.odt")
    src = tmp_path / "src"
    src.mkdir()
    docfiles.odt_encrypted(src / "locked.odt", plain)
    findings, coverage = _scan(scan, src)
    assert (coverage["locked.odt"]["status"], coverage["locked.odt"]["reason"]) == ("skipped", "encrypted")
    assert findings == []


def test_pptx_slides_shapes_and_notes(scan, tmp_path):
    findings, coverage = _scan(scan, docfiles.pptx(tmp_path / "deck.pptx"))
    assert coverage["deck.pptx"]["status"] == "complete"
    assert [(loc["slide"], loc["shape"], loc["line"]) for loc in _where(findings, "CREDIT_CARD")] == [
        (2, "Content Placeholder 2", 1)
    ]
    assert [(loc["slide"], loc["shape"], loc["line"]) for loc in _where(findings, "US_SSN")] == [
        (2, "Content Placeholder 2", 2)
    ]
    assert [(loc["slide"], loc["shape"]) for loc in _where(findings, "EMAIL_ADDRESS")] == [(2, "notes")]
    assert [loc["shape"] for loc in _where(findings, "PERSON")] == ["Title 1"]


def test_html_visible_text_only(scan, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Account</title><style>.x{}</style>"
        "<script>var owner = 'hidden.owner@example.com';</script></head>"
        f"<body><p>Write to <b>{EMAIL}</b></p>\n<div>SSN\n{SSN}</div><p>{docfiles.NEAR[1]}</p></body></html>"
    )
    findings, _ = _scan(scan, page)
    assert [loc["line"] for loc in _where(findings, "EMAIL_ADDRESS")] == [2]  # line 1: the title
    assert [loc["line"] for loc in _where(findings, "US_SSN")] == [3]
    assert len(findings) == 2


def test_xml_element_paths(scan, tmp_path):
    data = tmp_path / "export.dat"  # no telling extension: the declaration says XML
    data.write_text(
        f"<?xml version='1.0'?><people><person><name>{NAME}</name>"
        f"<email>{EMAIL}</email><ssn>{SSN}</ssn></person></people>"
    )
    findings, _ = _scan(scan, data)
    assert [loc["element"] for loc in _where(findings, "EMAIL_ADDRESS")] == ["/people/person/email"]
    assert [loc["element"] for loc in _where(findings, "US_SSN")] == ["/people/person/ssn"]


def test_rtf_text(scan, tmp_path):
    memo = tmp_path / "memo.rtf"
    memo.write_text(
        "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Customer memo\\par "
        f"Card {CARD} charged\\par Reply to {EMAIL}\\par}}"
    )
    findings, coverage = _scan(scan, memo)
    assert coverage["memo.rtf"]["status"] == "complete"
    assert [loc["line"] for loc in _where(findings, "CREDIT_CARD")] == [2]
    assert [loc["line"] for loc in _where(findings, "EMAIL_ADDRESS")] == [3]


def test_misnamed_documents_are_read_by_content(scan, tmp_path):
    docfiles.docx(tmp_path / "letter.bin")
    docfiles.pptx(tmp_path / "deck.dat")
    shutil.copy(tmp_path / "letter.bin", tmp_path / "copy.zip")
    findings, coverage = _scan(scan, tmp_path)
    assert not coverage
    assert {f["location"]["container"] for f in findings if "slide" in f["location"]} == {"deck.dat"}
    assert {f["location"]["container"] for f in findings if "table" in f["location"]} == {"letter.bin", "copy.zip"}
    assert zipfile.is_zipfile(tmp_path / "copy.zip")


def test_s3_documents_are_read_as_local_files(scan, tmp_path, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="docs")
    for key, path in (
        ("in/statement.pdf", docfiles.pdf(tmp_path / "statement.pdf")),
        ("in/letter.docx", docfiles.docx(tmp_path / "letter.docx")),
        ("in/deck", docfiles.pptx(tmp_path / "deck.pptx")),
    ):
        client.put_object(Bucket="docs", Key=key, Body=path.read_bytes())
    findings, coverage = _scan(scan, "s3://docs/in/", "--endpoint-url", moto_server.endpoint)
    assert not coverage
    places = {(f["location"]["container"], f["location"].get("page"), f["location"].get("slide")) for f in findings}
    assert {("s3://docs/in/statement.pdf", 1, None), ("s3://docs/in/deck", None, 2)} <= places
    letter = [f["location"] for f in findings if f["location"]["container"] == "s3://docs/in/letter.docx"]
    assert any(loc.get("table") == 1 for loc in letter) and any(loc.get("paragraph") == 2 for loc in letter)


def test_password_protected_office_files_are_encrypted(scan, tmp_path):
    pytest.importorskip("msoffcrypto")
    src = tmp_path / "src"
    src.mkdir()
    docfiles.office_encrypted(src / "locked.docx", docfiles.docx(tmp_path / "letter.docx"))
    docfiles.office_encrypted(src / "locked.pptx", docfiles.pptx(tmp_path / "deck.pptx"))
    findings, coverage = _scan(scan, src)
    for name in ("locked.docx", "locked.pptx"):
        assert (coverage[name]["status"], coverage[name]["reason"]) == ("skipped", "encrypted"), name
    assert findings == []


def test_xml_entities_neither_expand_without_bound_nor_fetch(scan, tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    (tmp_path / "laughs.xml").write_text(f'<?xml version="1.0"?><!DOCTYPE z [{entities}]><z>&l9;</z>')
    (tmp_path / "remote.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]><x>&e; write to {EMAIL}</x>'
    )
    findings, coverage = _scan(scan, tmp_path)
    assert (coverage["laughs.xml"]["status"], coverage["laughs.xml"]["reason"]) == ("partial", "corrupt")
    assert [(f["location"]["container"], f["location"]["element"]) for f in findings] == [("remote.xml", "/x")]


def test_dsar_finds_the_person_in_documents(cli_run, tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    docfiles.pdf(src / "statement.pdf")
    docfiles.pptx(src / "deck.pptx")
    docfiles.odt(src / "letter.odt")  # the e-mail in a table row
    monkeypatch.chdir(tmp_path)
    result = cli_run(
        "dsar",
        "find",
        src,
        "--name",
        NAME,
        "--email",
        EMAIL,
        "--ssn",
        SSN,
        "-o",
        "answer.json",
        "--evidence",
        "evidence.json",
    )
    assert result.exit_code == 1, result.output
    records = json.loads((tmp_path / "evidence.json").read_text())["records"]
    where = {
        (r["container"], r["location"].get("page"), r["location"].get("slide"), r["location"].get("table"))
        for r in records
    }
    assert {("statement.pdf", 1, None, None), ("deck.pptx", None, 2, None), ("letter.odt", None, None, 1)} <= where, (
        where
    )
