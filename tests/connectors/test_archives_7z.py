"""7z archives written by py7zr, through the real CLI: members as containers (nested, a CSV classified
as a CSV), a damaged block costing its own members only, encryption (content, headers), a declared
bomb, the depth limit, S3 objects read as local files are; nothing found leaks."""

from __future__ import annotations

import json

from tests.connectors import archives as build
from tests.connectors.archives import CSV, NEAR_MISSES, PLANTED, TEXT


def _json_scan(scan, source, *args: str):
    run = scan(source, "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    doc = json.loads(run.stdout)
    coverage = {c["container"]: (c["status"], c["reason"]) for c in doc["coverage"]}
    found: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        found.setdefault(f["location"]["container"], []).append(f)
    return run, found, coverage


def _nested_7z() -> bytes:
    """A 7z holding a CSV, text with near misses, a 7z, a zip and a tar.gz, each with PII."""
    inner = build.seven_zip_bytes({"deep.txt": TEXT.encode()})
    return build.seven_zip_bytes({
        "dir/people.csv": CSV.encode(), "notes.txt": TEXT.encode(), "readme.txt": NEAR_MISSES.encode(),
        "inner.7z": inner, "in.zip": build.zip_bytes({"z.txt": TEXT.encode()}),
        "logs.tar.gz": build.tar_bytes({"app.log": TEXT.encode()}, "gz"),
    })  # fmt: skip


def test_members_of_a_7z_and_archives_inside_it_are_containers(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "export.7z").write_bytes(_nested_7z())
    (folder / "outer.tar.xz").write_bytes(
        build.tar_bytes({"in.7z": build.seven_zip_bytes({"t.csv": CSV.encode()})}, "xz")
    )
    (folder / "report.pdf").write_bytes(build.seven_zip_bytes({"a.txt": TEXT.encode()}))  # the content decides
    run, found, coverage = _json_scan(scan, folder, "--workers", "2")  # members read in worker processes
    assert set(found) == {
        "export.7z!/dir/people.csv", "export.7z!/notes.txt", "export.7z!/inner.7z!/deep.txt",
        "export.7z!/in.zip!/z.txt", "export.7z!/logs.tar.gz!/app.log", "outer.tar.xz!/in.7z!/t.csv",
        "report.pdf!/a.txt",
    }  # fmt: skip
    assert not coverage, coverage
    columns = {
        (f["location"]["field"], f["entity"]) for f in found["export.7z!/dir/people.csv"] if f["kind"] == "column"
    }
    assert {("email", "EMAIL_ADDRESS"), ("ssn", "US_SSN")} <= columns
    deep = {(f["entity"], f["location"]["line"]) for f in found["export.7z!/inner.7z!/deep.txt"]}
    assert {("EMAIL_ADDRESS", 1), ("CREDIT_CARD", 2)} <= deep
    assert found["export.7z!/inner.7z!/deep.txt"][0]["location"]["member"] == "inner.7z!/deep.txt"
    assert all(f["location"].get("line") != 3 for fs in found.values() for f in fs)  # the near misses
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_corrupt_encrypted_bomb_and_too_deep_7z_have_their_reasons_and_the_rest_goes_on(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "broken.7z").write_bytes(
        build.seven_zip_bytes({"a.txt": TEXT.encode()})[:40]
    )  # a signature, no directory
    mixed = folder / "mixed.7z"
    _, end = build.seven_zip_two_blocks(mixed, {"bad.txt": (TEXT * 50).encode()}, {"good.txt": TEXT.encode()})
    data = bytearray(mixed.read_bytes())
    data[end - 8 : end - 2] = b"\xff" * 6  # the first block's tail: its member fails its check
    mixed.write_bytes(bytes(data))
    (folder / "locked.7z").write_bytes(build.seven_zip_bytes({"s.txt": TEXT.encode()}, password="pw"))
    (folder / "sealed.7z").write_bytes(
        build.seven_zip_bytes({"s.txt": TEXT.encode()}, password="pw", header_encryption=True)
    )
    build.seven_zip_bomb(folder / "bomb.7z", 256 << 20)  # 256 MB of zeros, a few KB packed
    deep = build.seven_zip_bytes({"leaf.txt": TEXT.encode()})
    for level in range(3, 1, -1):
        deep = build.seven_zip_bytes({f"level{level}.7z": deep})
    (folder / "deep.7z").write_bytes(deep)
    (folder / "plain.txt").write_text(TEXT)
    config = tmp_path / "pdscan.yaml"
    config.write_text("limits:\n  archive_depth: 2\n")
    run, found, coverage = _json_scan(scan, folder, "--config", str(config))
    assert coverage["broken.7z"] == ("skipped", "corrupt")
    assert coverage["mixed.7z!/bad.txt"][1] == "corrupt" and "mixed.7z!/bad.txt" not in found
    assert "mixed.7z!/good.txt" in found  # the other block is read
    assert coverage["locked.7z!/s.txt"] == ("skipped", "encrypted")
    assert coverage["sealed.7z"] == ("skipped", "encrypted")
    assert coverage["bomb.7z!/zeros.txt"] == ("skipped", "bomb")
    assert coverage["deep.7z!/level2.7z!/level3.7z"] == ("skipped", "too_deep")
    assert "plain.txt" in found  # the scan goes on
    assert "encrypted" in run.stderr and "bomb" in run.stderr
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_members_of_a_7z_are_read_in_one_pass_in_order_and_on_their_own_out_of_it(tmp_path):
    from pdscan.connectors.files import FileConnector
    from pdscan.core.model import ItemResult

    path = tmp_path / "many.7z"
    path.write_bytes(build.seven_zip_bytes({f"m{i}.txt": f"{i}: {TEXT}".encode() for i in range(6)}))
    connector = FileConnector(str(path))
    items = list(connector.items([]))
    assert [item.container for item in items] == [f"many.7z!/m{i}.txt" for i in range(6)]
    try:
        for item in [*items, items[4], items[1]]:  # in order, then back
            result = ItemResult(item.source, item.container)
            values = [v for batch in connector.read(item, result) for v in batch.values.to_pylist()]
            assert values[0].startswith(item.container[-5] + ": "), (item.container, values[:1])
            assert result.status == "complete"
    finally:
        connector.close()


def test_s3_7z_objects_are_read_as_their_members(scan, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="arc")
    client.put_object(Bucket="arc", Key="x/export.7z", Body=_nested_7z())
    client.put_object(Bucket="arc", Key="x/locked.bin", Body=build.seven_zip_bytes({"s.txt": b"x"}, "pw"))
    run, found, coverage = _json_scan(scan, "s3://arc/x/", "--endpoint-url", moto_server.endpoint)
    prefix = "s3://arc/x/export.7z!/"
    assert {f"{prefix}dir/people.csv", f"{prefix}inner.7z!/deep.txt", f"{prefix}logs.tar.gz!/app.log"} <= set(found)
    loc = found[f"{prefix}inner.7z!/deep.txt"][0]["location"]
    assert (loc["bucket"], loc["key"], loc["member"]) == ("arc", "x/export.7z", "inner.7z!/deep.txt")
    assert coverage == {"s3://arc/x/locked.bin!/s.txt": ("skipped", "encrypted")}
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_a_7z_is_an_archive_by_its_signature():
    from pdscan.connectors.formats.archive import kind_of

    assert kind_of(build.seven_zip_bytes({"a.txt": b"hello\n"})) == "7z"
    assert kind_of(b"7z archive notes\n") is None


def test_dsar_finds_the_person_in_7z_members(cli_run, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "export.7z").write_bytes(_nested_7z())
    answer = tmp_path / "answer.json"
    result = cli_run("dsar", "find", str(folder), "--email", build.EMAIL, "-o", str(answer))
    assert result.exit_code == 1, result.output  # matches found
    doc = json.loads(answer.read_text())
    # the CSV member's row and the four text members (one, two deep) holding the email
    assert doc["complete"] and doc["summary"]["records"] == 5, doc["summary"]
