"""Archives through the real CLI: members as containers (nested three deep), found by content, with
their own statuses and reasons (corrupt, encrypted, too deep), and nothing found leaking."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.connectors import archives as build
from tests.connectors.archives import CSV, EMAIL, PLANTED, TEXT


def _json_scan(scan, folder: Path, *args: str):
    run = scan(folder, "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    doc = json.loads(run.stdout)
    coverage = {c["container"]: (c["status"], c["reason"]) for c in doc["coverage"]}
    return run, doc, coverage


def _by_container(doc) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        out.setdefault(f["location"]["container"], []).append(f)
    return out


def test_members_nested_three_deep_are_containers_with_their_findings(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "outer.zip").write_bytes(build.nested_three_deep())
    (folder / "plain.tar").write_bytes(build.tar_bytes({"people.csv": CSV.encode()}))
    (folder / "logs.tar.xz").write_bytes(build.tar_bytes({"app.log": TEXT.encode()}, "xz"))
    run, doc, coverage = _json_scan(scan, folder)
    found = _by_container(doc)
    assert set(found) == {
        "outer.zip!/dir/member.csv", "outer.zip!/inner.tar.gz!/a.txt",
        "outer.zip!/inner.tar.gz!/deeper.tar.bz2!/deepest.txt", "plain.tar!/people.csv", "logs.tar.xz!/app.log",
    }  # fmt: skip
    assert not coverage, coverage  # every archive and member complete
    # a CSV member's columns are classified as a CSV file's
    columns = {
        (f["location"]["field"], f["entity"]) for f in found["outer.zip!/dir/member.csv"] if f["kind"] == "column"
    }
    assert {("email", "EMAIL_ADDRESS"), ("ssn", "US_SSN")} <= columns
    assert found["plain.tar!/people.csv"][0]["location"]["path"] == str(folder / "plain.tar")
    # text members: the member's own line and characters
    deepest = {(f["entity"], f["location"]["line"], f["location"]["start"]) for f in
               found["outer.zip!/inner.tar.gz!/deeper.tar.bz2!/deepest.txt"]}  # fmt: skip
    assert {("EMAIL_ADDRESS", 1, TEXT.index(EMAIL)), ("CREDIT_CARD", 2, len("card on file "))} <= deepest
    loc = found["outer.zip!/inner.tar.gz!/deeper.tar.bz2!/deepest.txt"][0]["location"]
    assert loc["member"] == "inner.tar.gz!/deeper.tar.bz2!/deepest.txt"
    # the near misses (line 3) and the plain readme are not findings
    assert all(f["location"].get("line") != 3 for fs in found.values() for f in fs)
    assert "outer.zip!/readme.txt" not in found
    text = run.stdout + run.stderr
    assert not [value for value in PLANTED if value in text]


def test_the_content_decides_not_the_name(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "report.docx").write_bytes(build.zip_bytes({"people.csv": CSV.encode()}))  # a zip of CSVs
    (folder / "notes.txt").write_bytes(build.tar_bytes({"notes.txt": TEXT.encode()}, "gz"))
    _, doc, coverage = _json_scan(scan, folder)
    found = _by_container(doc)
    assert {"report.docx!/people.csv", "notes.txt!/notes.txt"} <= set(found)
    assert not coverage


def test_corrupt_encrypted_and_too_deep_have_their_reasons_and_the_rest_goes_on(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a header, no archive
    lines = "".join(f"line {i} {os.urandom(8).hex()}\n" for i in range(40000)).encode()
    cut = build.tar_bytes({"a.txt": TEXT.encode() + lines}, "gz")
    (folder / "broken.tar.gz").write_bytes(cut[: len(cut) // 2])  # ends inside a.txt
    (folder / "mixed.zip").write_bytes(
        build.damaged_member_zip({"good.txt": TEXT.encode()}, "bad.txt", (TEXT * 200).encode())
    )
    (folder / "locked.zip").write_bytes(
        build.encrypted_zip({"open.csv": CSV.encode(), "secret.txt": TEXT.encode()}, "secret.txt")
    )
    (folder / "deep.zip").write_bytes(build.nested(12, TEXT.encode()))
    (folder / "ok.zip").write_bytes(build.nested(10, TEXT.encode()))
    run, doc, coverage = _json_scan(scan, folder)
    found = _by_container(doc)
    assert coverage["broken.zip"] == ("skipped", "corrupt")
    assert coverage["broken.tar.gz"] == ("partial", "truncated")  # listed up to the break
    assert coverage["broken.tar.gz!/a.txt"] == ("partial", "truncated")
    assert "broken.tar.gz!/a.txt" in found, (sorted(found), coverage)  # what came before the break is scanned
    assert coverage["mixed.zip!/bad.txt"] == ("skipped", "corrupt") or coverage["mixed.zip!/bad.txt"][1] == "corrupt"
    assert "mixed.zip!/good.txt" in found  # the rest of the archive goes on
    assert coverage["locked.zip!/secret.txt"] == ("skipped", "encrypted")
    assert "locked.zip!/open.csv" in found
    too_deep = "deep.zip" + "".join(f"!/level{n}.zip" for n in range(2, 11)) + "!/level11.zip"
    assert coverage[too_deep] == ("skipped", "too_deep"), coverage
    ten_deep = "ok.zip" + "".join(f"!/level{n}.zip" for n in range(2, 11)) + "!/leaf.txt"
    assert ten_deep in found  # ten deep is within the default limit
    assert "skipped" in run.stderr and "encrypted" in run.stderr
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_limits_from_the_config_depth_and_members(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "two.zip").write_bytes(build.nested(2, TEXT.encode()))
    (folder / "many.tar").write_bytes(build.tar_bytes({f"m{i}.txt": TEXT.encode() for i in range(5)}))
    config = tmp_path / "pdscan.yaml"
    config.write_text("limits:\n  archive_depth: 1\n  archive_members: 3\n")
    _, doc, coverage = _json_scan(scan, folder, "--config", str(config))
    assert coverage["two.zip!/level2.zip"] == ("skipped", "too_deep")
    assert coverage["many.tar"] == ("partial", "too_many_members")
    assert set(_by_container(doc)) == {"many.tar!/m0.txt", "many.tar!/m1.txt", "many.tar!/m2.txt"}


def test_the_store_and_reports_hold_no_raw_value(cli_run, tmp_path, monkeypatch):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "outer.zip").write_bytes(build.nested_three_deep())
    store = tmp_path / "own.db"
    monkeypatch.setenv("PDSCAN_STORE", str(store))
    result = cli_run("scan", folder, "--format", "ndjson")
    assert result.exit_code == 1
    report = cli_run("report", "inventory", "--format", "json")
    assert "outer.zip!/inner.tar.gz!/a.txt" in report.stdout
    raw = store.read_bytes() + result.stdout.encode() + report.stdout.encode()
    assert not [value for value in PLANTED if value.encode() in raw]


def test_dsar_finds_the_person_in_an_archive_member(cli_run, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "outer.zip").write_bytes(build.nested_three_deep())
    answer = tmp_path / "answer.json"
    result = cli_run("dsar", "find", str(folder), "--email", EMAIL, "-o", str(answer))
    assert result.exit_code == 1, result.output  # matches found
    doc = json.loads(answer.read_text())
    # the CSV member's row, and the two text members three and two deep holding the email
    assert doc["complete"] and doc["summary"]["records"] == 3


def test_s3_archive_objects_are_read_as_their_members(scan, tmp_path, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="arc")
    client.put_object(Bucket="arc", Key="exports/outer.zip", Body=build.nested_three_deep())
    client.put_object(Bucket="arc", Key="exports/report.bin", Body=build.tar_bytes({"p.csv": CSV.encode()}, "xz"))
    client.put_object(
        Bucket="arc", Key="exports/locked.zip", Body=build.encrypted_zip({"s.txt": TEXT.encode()}, "s.txt")
    )
    client.put_object(Bucket="arc", Key="exports/notes.txt", Body=TEXT.encode())
    run = scan("s3://arc/exports/", "--endpoint-url", moto_server.endpoint, "--format", "json")
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    found = _by_container(doc)
    prefix = "s3://arc/exports/"
    assert {f"{prefix}outer.zip!/dir/member.csv", f"{prefix}outer.zip!/inner.tar.gz!/deeper.tar.bz2!/deepest.txt",
            f"{prefix}report.bin!/p.csv", f"{prefix}notes.txt"} <= set(found)  # fmt: skip
    loc = found[f"{prefix}outer.zip!/inner.tar.gz!/a.txt"][0]["location"]
    assert (loc["bucket"], loc["key"], loc["member"]) == ("arc", "exports/outer.zip", "inner.tar.gz!/a.txt")
    coverage = {c["container"]: (c["status"], c["reason"]) for c in doc["coverage"]}
    assert coverage == {f"{prefix}locked.zip!/s.txt": ("skipped", "encrypted")}
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_the_kind_comes_from_the_bytes_and_documents_yield_to_their_formats():
    import gzip

    from pdscan.connectors.formats.archive import DOCUMENT_ZIP, Archive, kind_of
    from pdscan.connectors.formats.base import CERTAIN

    members = {"a.txt": b"hello\n"}
    assert kind_of(build.zip_bytes(members)) == "zip"
    assert kind_of(build.tar_bytes(members)) == "tar"
    for codec in ("gz", "bz2", "xz"):
        assert kind_of(build.tar_bytes(members, codec)) == f"tar.{codec}"
    assert kind_of(gzip.compress(CSV.encode())) is None  # a gzipped CSV is read as one, not an archive
    assert kind_of(b"PK\x05\x06" + b"\x00" * 18) == "zip"  # an empty zip
    assert kind_of(CSV.encode()) is None
    ooxml = build.zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    odf = build.zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}, method=0)
    assert Archive().sniff(ooxml, "x.docx") == Archive().sniff(odf, "x.odt") == DOCUMENT_ZIP < CERTAIN
    assert Archive().sniff(build.zip_bytes({"people.csv": CSV.encode()}), "x.docx") == CERTAIN


def test_members_of_a_compressed_tar_are_read_in_one_pass_and_in_any_order(tmp_path):
    from pdscan.connectors.files import FileConnector
    from pdscan.core.model import ItemResult

    texts = {f"m{i:02d}.txt": f"member {i} mail m{i}@{EMAIL.split('@')[1]}\n".encode() for i in range(40)}
    (tmp_path / "many.tar.gz").write_bytes(build.tar_bytes(texts, "gz"))
    connector = FileConnector(str(tmp_path))
    items = list(connector.items([]))
    assert [i.container for i in items] == [f"many.tar.gz!/{name}" for name in texts]

    def text(item) -> str:
        result = ItemResult(str(tmp_path), item.container)
        lines = [v for batch in connector.read(item, result) for v in batch.values.to_pylist()]
        assert result.status == "complete", result
        return "\n".join(lines)

    opened = []
    for item in items:  # in listing order: the tar stays open, each member read after the one before
        assert text(item).startswith(f"member {int(item.container[-6:-4])} ")
        opened.append(id(connector.cursor.stack))
    assert len(set(opened)) == 1
    for item in reversed(items[:5]):  # back to an earlier member: the tar is opened again
        assert text(item).startswith(f"member {int(item.container[-6:-4])} ")
    connector.close()
    assert connector.cursor.stack is None
