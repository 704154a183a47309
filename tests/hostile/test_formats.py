"""Hostile formats (issue 17, points 2, 4, 5, 13): each bad file beside a good one, a real `pdscan` process.

Each case costs bounded time and memory (peak RSS under 1 GB, checked by the harness), ends with its
reason code, and the good file and the good parts of the bad one are still scanned.
"""

import json
from pathlib import Path

from tests.hostile import harness

SSN = "536-90-4399"
EMAIL_BEFORE = "ana.torres@example.com"
EMAIL_AFTER = "bo.li@example.org"


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    harness.good_file(folder)
    return folder


def _coverage(result: harness.Scan, name: str) -> dict:
    record = result.item(name)
    assert record, f"{name} has no coverage record"
    return record


def test_a_json_array_of_30m_elements_is_streamed_and_capped(tmp_path):
    folder = _folder(tmp_path, "array")
    with open(folder / "big.json", "wb") as fh:  # 60 MB, 30 M elements; the SSN is in the first one
        fh.write(f'[{{"ssn": "{SSN}"}},'.encode() + b"1," * (30_000_000 - 2) + b"1]")
    result = harness.scan(folder, timeout=240)
    harness.assert_clean(result, planted=[SSN])
    record = _coverage(result, "big.json")
    assert (record["status"], record["reason"]) == ("partial", "too_large")
    assert record["records"] == 5_000_000 - 1  # limits.json_elements values (the first record holds 2)
    assert [f["entity"] for f in result.found_in("big.json")] == ["US_SSN"]


def test_a_50000_column_csv_reads_the_first_2000_columns_fast(tmp_path):
    folder = _folder(tmp_path, "wide")
    names = ["ssn", *(f"cl{i:05d}" for i in range(1, 50_000))]  # 0.4 MB of header
    row = [SSN, *("x" for _ in range(1, 50_000))]
    (folder / "wide.csv").write_text(",".join(names) + "\n" + ",".join(row) + "\n")
    result = harness.scan(folder, timeout=120)  # it took 4-5 minutes of CPU
    harness.assert_clean(result, planted=[SSN])
    record = _coverage(result, "wide.csv")
    assert (record["status"], record["reason"], record["records"]) == ("partial", "too_many_columns", 1)
    assert {(f["location"]["field"], f["entity"]) for f in result.found_in("wide.csv")} == {("ssn", "US_SSN")}


def test_a_1000_deep_ndjson_line_costs_that_line_only(tmp_path):
    folder = _folder(tmp_path, "deep")
    lines = [
        json.dumps({"email": EMAIL_BEFORE}),
        "[" * 1000 + "]" * 1000,  # past Python's recursion: RecursionError lost the file
        json.dumps({"note": {"deep": '{"a":' * 300 + '"x"' + "}" * 300}, "keep": {"email": EMAIL_AFTER}}),
        '{"a":' * 1000 + '"x"' + "}" * 1000,
        json.dumps({"email": EMAIL_AFTER}),
    ]
    (folder / "deep.ndjson").write_text("\n".join(lines) + "\n")
    result = harness.scan(folder, "--granularity", "row")
    harness.assert_clean(result, planted=[EMAIL_BEFORE, EMAIL_AFTER])
    record = _coverage(result, "deep.ndjson")
    assert (record["status"], record["reason"], record["records"]) == ("partial", "too_deep", 5)
    found = sorted((f["location"]["field"], f["location"]["line"]) for f in result.found_in("deep.ndjson"))
    assert found == [("$.email", 1), ("$.email", 5), ("$.keep.email", 3)]


def test_an_ndjson_line_over_the_limit_is_skipped_and_the_rest_read(tmp_path):
    folder = _folder(tmp_path, "long")
    config = tmp_path / "limits.yaml"
    config.write_text("limits:\n  line_bytes: 1048576\n")
    big = json.dumps({"blob": "y" * (3 << 20), "email": "never.read@example.com"})
    text = "\n".join([json.dumps({"email": EMAIL_BEFORE}), big, json.dumps({"email": EMAIL_AFTER})]) + "\n"
    (folder / "long.ndjson").write_text(text)
    result = harness.scan(folder, "--granularity", "row", "--config", str(config))
    harness.assert_clean(result, planted=[EMAIL_BEFORE, EMAIL_AFTER, "never.read@example.com"])
    record = _coverage(result, "long.ndjson")
    assert (record["status"], record["reason"], record["records"]) == ("partial", "line_too_long", 2)
    assert sorted(f["location"]["line"] for f in result.found_in("long.ndjson")) == [1, 3]


def test_a_200_mb_text_line_is_one_record_read_in_pieces(tmp_path):
    folder = _folder(tmp_path, "line")
    filler = b"x" * (1 << 20)
    with open(folder / "oneline.txt", "wb") as fh:
        for _ in range(200):
            fh.write(filler)
        fh.write(f" reach me at {EMAIL_BEFORE}\n".encode())
    result = harness.scan(folder, "--granularity", "row", timeout=300)
    harness.assert_clean(result, planted=[EMAIL_BEFORE])
    assert result.reason("oneline.txt") is None
    (found,) = result.found_in("oneline.txt")
    assert (found["location"]["line"], found["location"]["start"]) == (1, (200 << 20) + len(" reach me at "))
    assert "MB, 2 records)" in result.stderr  # the line and the good file's line, not 26 pieces


def test_empty_json_and_header_only_csv_are_complete_with_no_records(tmp_path):
    folder = _folder(tmp_path, "small")
    (folder / "empty.json").write_text("")
    (folder / "blank.json").write_text("\ufeff  \n\t ")
    (folder / "header.csv").write_text("name,email,ssn\n")
    (folder / "header.tsv").write_text("name\temail\r\n")
    result = harness.scan(folder)
    harness.assert_clean(result)
    for name in ("empty.json", "blank.json", "header.csv", "header.tsv"):
        assert result.item(name) is None, result.item(name)  # complete: no coverage record
    assert "scanned 5 of 5 items" in result.stderr and "1 record)" in result.stderr


def test_a_parquet_file_wider_than_the_cap_reads_its_first_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = _folder(tmp_path, "wide-parquet")
    width = 2_500  # over limits.columns (2,000)
    columns = {"email": [EMAIL_BEFORE], **{f"c{i:04d}": ["x"] for i in range(1, width - 1)}, "ssn": [SSN]}
    pq.write_table(pa.table(columns), folder / "wide.parquet")
    result = harness.scan(folder, timeout=180)
    harness.assert_clean(result, planted=[EMAIL_BEFORE, SSN])
    record = _coverage(result, "wide.parquet")
    assert (record["status"], record["reason"], record["records"]) == ("partial", "too_many_columns", 1)
    assert {f["location"]["field"] for f in result.found_in("wide.parquet")} == {"email"}  # ssn is past the cap
