"""Lone bzip2 and xz files and archives inside a compressed stream, through the real CLI: read as
what they hold (sniffed after inflating), within the same caps as gzip; local files and S3 alike."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma

import pytest

from tests.connectors import archives as build
from tests.connectors.archives import CSV, EMAIL, PLANTED, TEXT

MB = 1 << 20
BOMB_TEXT = b"all work and no play makes jack a dull boy\n" * 1000


def _json_scan(scan, source, *args: str):
    run = scan(source, "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    doc = json.loads(run.stdout)
    coverage = {c["container"]: c for c in doc["coverage"]}
    found: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        found.setdefault(f["location"]["container"], []).append(f)
    return run, found, coverage


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _files() -> dict[str, bytes]:
    return {
        "people.csv.bz2": bz2.compress(CSV.encode()),
        "app.log.xz": lzma.compress(TEXT.encode()),
        "export.bin": bz2.compress(CSV.encode()),  # no name to go by: the content decides (text lines)
        "bundle.zip.gz": gzip.compress(build.zip_bytes({"a.csv": CSV.encode(), "n.txt": TEXT.encode()})),
        "backup.7z.xz": lzma.compress(build.seven_zip_bytes({"s.txt": TEXT.encode()})),
        "letter.docx.gz": gzip.compress(_docx(f"write to {EMAIL}")),  # a compressed document zip is the document
        "note.txt": f"BZh is how this note starts; {EMAIL}\n".encode(),  # not a bzip2 stream
        "near.log.xz": lzma.compress(build.NEAR_MISSES.encode()),
    }


def test_bzip2_xz_and_archives_in_compressed_streams_are_read_as_their_content(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    for name, data in _files().items():
        (folder / name).write_bytes(data)
    run, found, coverage = _json_scan(scan, folder)
    assert set(found) == {
        "people.csv.bz2", "app.log.xz", "export.bin", "bundle.zip.gz!/a.csv", "bundle.zip.gz!/n.txt",
        "backup.7z.xz!/s.txt", "letter.docx.gz", "note.txt",
    }, coverage  # fmt: skip
    assert not coverage, coverage
    columns = {(f["location"]["field"], f["entity"]) for f in found["people.csv.bz2"] if f["kind"] == "column"}
    assert {("email", "EMAIL_ADDRESS"), ("ssn", "US_SSN")} <= columns  # a CSV by its name under .bz2
    assert {f["kind"] for f in found["export.bin"]} == {"match"}  # no name: lines of text
    lines = {(f["entity"], f["location"]["line"]) for f in found["app.log.xz"]}
    assert lines == {("EMAIL_ADDRESS", 1), ("CREDIT_CARD", 2)}  # line 3, the near misses, holds none
    assert {(f["entity"], f["kind"]) for f in found["bundle.zip.gz!/a.csv"]} >= {("US_SSN", "column")}
    assert "paragraph" in found["letter.docx.gz"][0]["location"]
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


@pytest.mark.parametrize("codec", ["bz2", "xz"])
def test_a_bzip2_or_xz_bomb_stops_at_the_ratio_after_what_came_before(scan, tmp_path, codec):
    folder = tmp_path / "share"
    folder.mkdir()
    compress = {"bz2": bz2.BZ2Compressor, "xz": lzma.LZMACompressor}[codec]()
    data = compress.compress(f"SSN {build.SSN}\n".encode())
    for _ in range(16 * MB // len(BOMB_TEXT)):  # 16 MB of text, packed over 1000:1
        data += compress.compress(BOMB_TEXT)
    (folder / f"bomb.txt.{codec}").write_bytes(data + compress.flush())
    cut = compress_whole(codec, (CSV * 2000).encode())
    (folder / f"cut.csv.{codec}").write_bytes(cut[: len(cut) // 2])
    (folder / "good.txt").write_text(TEXT)
    run, found, coverage = _json_scan(scan, folder)
    bomb = coverage[f"bomb.txt.{codec}"]
    assert (bomb["status"], bomb["reason"]) == ("partial", "bomb") and "compression_ratio" in bomb["detail"]
    assert bomb["bytes"] < 8 * MB  # stopped a few MB in, not at 16 MB
    assert f"bomb.txt.{codec}" in found  # the SSN before the bomb was found
    assert coverage[f"cut.csv.{codec}"]["reason"] in ("truncated", "corrupt")
    assert "good.txt" in found
    assert build.SSN not in run.stdout + run.stderr


def compress_whole(codec: str, data: bytes) -> bytes:
    return bz2.compress(data) if codec == "bz2" else lzma.compress(data)


def test_s3_compressed_objects_are_read_as_local_files_are(scan, moto_server):
    client = moto_server.client()
    client.create_bucket(Bucket="cmp")
    for name, data in _files().items():
        client.put_object(Bucket="cmp", Key=f"x/{name}", Body=data)
    run, found, coverage = _json_scan(scan, "s3://cmp/x/", "--endpoint-url", moto_server.endpoint)
    prefix = "s3://cmp/x/"
    assert set(found) == {
        f"{prefix}{name}" for name in ("people.csv.bz2", "app.log.xz", "export.bin", "bundle.zip.gz!/a.csv",
                                       "bundle.zip.gz!/n.txt", "backup.7z.xz!/s.txt", "letter.docx.gz", "note.txt")
    }, coverage  # fmt: skip
    assert not coverage, coverage
    loc = found[f"{prefix}bundle.zip.gz!/a.csv"][0]["location"]
    assert (loc["key"], loc["member"]) == ("x/bundle.zip.gz", "a.csv")
    assert not [value for value in PLANTED if value in run.stdout + run.stderr]


def test_compression_is_told_by_its_bytes():
    from pdscan.connectors.formats.archive import codec_of, kind_of

    assert codec_of(bz2.compress(b"x")) == "bz2" and codec_of(bz2.compress(b"")) == "bz2"
    assert codec_of(b"BZh is a word here\n") is None
    assert codec_of(lzma.compress(b"x")) == "xz" and codec_of(gzip.compress(b"x")) == "gz"
    assert kind_of(gzip.compress(build.zip_bytes({"a.txt": b"a"}))) == "zip.gz"
    assert kind_of(bz2.compress(build.seven_zip_bytes({"a.txt": b"a"}))) == "7z.bz2"
    assert kind_of(lzma.compress(CSV.encode())) is None
