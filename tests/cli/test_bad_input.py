"""Bad input: one clear line naming the item, a reason code, the scan goes on, nothing found is lost."""

import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import DATA, DATASETS, run_pdscan

BAD = DATA / "bad"


def _status_lines(stderr: str) -> dict[str, str]:
    out = {}
    for line in stderr.splitlines():
        if line.startswith("pdscan: ") and ": " in line[8:] and line.split()[1] in ("partial", "skipped"):
            status, rest = line[8:].split(" ", 1)
            path, reason = rest.split(": ", 1)
            out[os.path.basename(path)] = f"{status} {reason.split(' ')[0]}"
    return out


def test_every_bad_item_is_reported_once_and_the_scan_goes_on(scan):
    run = scan(BAD, DATA / "files" / "notes.txt", "--format", "json")
    assert run.code == 1
    assert _status_lines(run.stderr) == {
        "archive.zip": "skipped corrupt",  # a zip's header and nothing after it
        "binary.bin": "skipped binary",
        "corrupt.parquet": "skipped corrupt",
        "invalid_utf8.txt": "partial invalid_utf8",
        "malformed.csv": "partial malformed_rows",
        "truncated.ndjson.gz": "partial truncated",
    }
    doc = json.loads(run.stdout)
    coverage = {os.path.basename(c["container"]): (c["status"], c["reason"]) for c in doc["coverage"]}
    assert coverage["truncated.ndjson.gz"] == ("partial", "truncated")
    assert doc["summary"]["skipped"] == {"binary": 1, "corrupt": 2}
    # findings before and after the bad items are all there
    containers = {os.path.basename(f["location"]["container"]) for f in doc["findings"]}
    assert {"notes.txt", "invalid_utf8.txt", "malformed.csv", "truncated.ndjson.gz"} <= containers


def test_truncated_gzip_keeps_what_came_before_the_break(scan):
    run = scan(BAD / "truncated.ndjson.gz", "--granularity", "row")
    rows = [f["location"]["row"] for f in run.findings]
    assert len(rows) > 500 and rows == list(range(len(rows)))


def test_invalid_utf8_is_replaced_and_still_scanned(scan):
    run = scan(BAD / "invalid_utf8.txt")
    # the name after the broken byte on line 1 and the e-mail on line 2 are both found
    assert [(f["entity"], f["location"]["line"]) for f in run.findings] == [("PERSON", 1), ("EMAIL_ADDRESS", 2)]


def test_malformed_csv_rows_are_skipped_without_quoting_them(scan):
    run = scan(BAD / "malformed.csv", "--granularity", "row", "--reveal")
    assert "2 rows with the wrong number of fields were skipped" in run.stderr
    # the skipped rows' values never reach stderr
    for secret in ("Daniel Okafor", "d.okafor@example.net", "Priya Raman", "priya.raman@example.org"):
        assert secret not in run.stderr
    assert {f["value"] for f in run.findings if f["entity"] == "EMAIL_ADDRESS"} == {
        "maria.gonzalez@example.com",
        "tbecker@example.de",
    }


def test_csv_parse_error_message_never_quotes_the_row(scan, tmp_path):
    # An unterminated quote: pyarrow's own error would quote the row.
    bad = tmp_path / "quote.csv"
    bad.write_text('name,ssn\n"Ana Torres,536-90-4399\nBo Li,412-57-3310\n')
    run = scan(bad)
    assert "536-90-4399" not in run.stderr and "Ana Torres" not in run.stderr
    assert "quote.csv" in run.stderr


def test_datafog_110kb_token_does_not_hang(scan, tmp_path):
    cases = json.loads((DATASETS / "datafog" / "edge_cases.json").read_text())
    long = next(c for c in cases if c["id"] == "long-string-100kb")["input"]
    path = tmp_path / "long.txt"
    path.write_text(long + "\n")
    run = scan(path, "--reveal")
    values = {f["value"] for f in run.findings}
    assert "john.long@example.com" in values
    email = next(f for f in run.findings if f["value"] == "john.long@example.com")
    assert long[email["location"]["start"] : email["location"]["end"]] == "john.long@example.com"


def test_giant_line_is_scanned_in_pieces_with_true_offsets(scan, tmp_path):
    # 20 MB without a newline: read in pieces, offsets still point into the line.
    filler = "x" * (20 << 20)
    path = tmp_path / "oneline.txt"
    path.write_text(filler + " reach me at ana.torres@example.com " + filler)
    run = scan(path, "--reveal")
    (f,) = run.findings
    assert f["location"]["line"] == 1 and f["location"]["start"] == len(filler) + len(" reach me at ")


# Root reads anything through CAP_DAC_OVERRIDE; without it (and DAC_READ_SEARCH) a mode-000
# file is unreadable for real, while the Python install (root's own) stays usable.
WITHOUT_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def _can_drop_override() -> bool:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return os.geteuid() != 0  # an unprivileged user needs no help
    probe = subprocess.run([*WITHOUT_OVERRIDE, sys.executable, "-c", "import click"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_drop_override(), reason="root without setpriv cannot be denied a read")
def test_unreadable_file_is_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "scan"
    folder.mkdir()
    shutil.copy(DATA / "files" / "notes.txt", folder / "readable.txt")
    shutil.copy(DATA / "files" / "notes.txt", folder / "secret.txt")
    os.chmod(folder / "secret.txt", 0o000)
    prefix = WITHOUT_OVERRIDE if os.geteuid() == 0 else ()
    result = run_pdscan("scan", folder, "--format", "ndjson", prefix=prefix)
    assert result.returncode == 1, result.stderr
    assert f"skipped {folder / 'secret.txt'}: unreadable (cannot open (Permission denied))" in result.stderr
    containers = {json.loads(line)["location"]["path"] for line in result.stdout.splitlines()}
    assert containers == {str(folder / "readable.txt")}


def test_empty_and_gzip_of_empty(scan, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "empty.csv.gz").write_bytes(gzip.compress(b""))
    run = scan(tmp_path)
    assert run.code == 0 and "scanned 2 of 2 items" in run.stderr


@pytest.mark.skipif(not _can_drop_override(), reason="root without setpriv cannot be denied a read")
def test_source_that_cannot_be_listed_ends_with_2_after_the_others(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(DATA / "files" / "notes.txt", locked / "notes.txt")
    sub = tmp_path / "open"
    sub.mkdir()
    (sub / "inner").mkdir()
    shutil.copy(DATA / "files" / "notes.txt", sub / "notes.txt")
    os.chmod(locked, 0o000)
    os.chmod(sub / "inner", 0o000)
    prefix = WITHOUT_OVERRIDE if os.geteuid() == 0 else ()
    result = run_pdscan("scan", locked, sub, "--format", "ndjson", prefix=prefix)
    assert result.returncode == 2
    assert f"pdscan: error: cannot list {locked} (Permission denied)" in result.stderr
    # a sub-folder that cannot be listed is a skipped item, not a failed source
    assert f"skipped {sub / 'inner'}: unreadable" in result.stderr
    containers = {json.loads(line)["location"]["path"] for line in result.stdout.splitlines()}
    assert containers == {str(sub / "notes.txt")}


def test_dangling_symlink_is_unreadable_not_an_unsupported_format(scan, tmp_path):
    shutil.copy(DATA / "files" / "notes.txt", tmp_path / "notes.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    run = scan(tmp_path)
    assert run.code == 1, run.stderr
    assert f"skipped {tmp_path / 'gone.txt'}: unreadable (a symlink whose target does not exist)" in run.stderr
    assert "skipped 1 (unreadable 1)" in run.stderr  # stated in the summary; the rest was read
    assert "no source could be read" not in run.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_run_that_could_read_nothing_ends_with_2(tmp_path, workers):
    folder = tmp_path / "scan"
    folder.mkdir()
    for name in ("a.txt", "b.ndjson"):
        (folder / name).symlink_to(tmp_path / f"deleted-{name}")
    result = run_pdscan("scan", folder, "--workers", workers, "--format", "ndjson")
    assert result.returncode == 2, result.stderr
    assert "pdscan: error: no source could be read: 2 of 2 items unreadable" in result.stderr
    assert "skipped 2 (unreadable 2)" in result.stderr and result.stdout == ""


@pytest.mark.skipif(not _can_drop_override(), reason="root without setpriv cannot be denied a read")
def test_a_folder_of_files_denied_to_the_scanner_ends_with_2(tmp_path):
    folder = tmp_path / "scan"
    folder.mkdir()
    for name in ("one.txt", "two.csv"):
        shutil.copy(DATA / "files" / "notes.txt", folder / name)
        os.chmod(folder / name, 0o000)
    prefix = WITHOUT_OVERRIDE if os.geteuid() == 0 else ()
    result = run_pdscan("scan", folder, "--format", "ndjson", prefix=prefix)
    assert result.returncode == 2, result.stderr
    assert "pdscan: error: no source could be read: 2 of 2 items unreadable" in result.stderr
    assert f"skipped {folder / 'one.txt'}: unreadable (cannot open (Permission denied))" in result.stderr


def test_a_folder_of_unsupported_files_is_not_a_read_failure(scan, tmp_path):
    (tmp_path / "image.gif").write_bytes(b"GIF89a" + b"\x00" * 60)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 60)  # read by OCR only: off by default
    run = scan(tmp_path)
    assert run.code == 0 and "skipped 2 (ocr_off 1, unsupported_format 1)" in run.stderr
