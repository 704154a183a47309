"""Early column verdicts: a plainly personal column is decided on a sample; sparse ones are read to the end."""

import json


def test_dense_column_decided_on_a_sample_sparse_column_checked_to_the_end(scan, tmp_path):
    path = tmp_path / "people.csv"
    rows = ["email,remark"]
    for i in range(3000):
        remark = f"forwarded to helper{i}@example.org" if i % 1000 == 999 else "no action needed"
        rows.append(f"user{i}@example.com,{remark}")
    path.write_text("\n".join(rows) + "\n")
    run = scan(path)
    by_field = {f["location"]["field"]: f for f in run.findings}
    email = by_field["email"]
    assert (email["matches"], email["sampled"], email["unchecked"]) == (1000, 1000, 2000)
    remark = by_field["remark"]
    # three emails in 3,000 remarks: the whole column was checked, and all three found
    assert (remark["matches"], remark["sampled"]) == (3, 3000) and "unchecked" not in remark


def test_column_sample_zero_checks_every_cell(scan, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email\n" + "\n".join(f"user{i}@example.com" for i in range(1500)) + "\n")
    config = tmp_path / "pdscan.yaml"
    config.write_text("column_sample: 0\n")
    (finding,) = scan(path, "--config", config).findings
    assert (finding["matches"], finding["sampled"]) == (1500, 1500) and "unchecked" not in finding


def test_row_granularity_reports_every_cell(scan, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email\n" + "\n".join(f"user{i}@example.com" for i in range(1500)) + "\n")
    run = scan(path, "--granularity", "row")
    assert len(run.findings) == 1500 and json.dumps(run.findings[-1]["location"]["row"]) == "1499"


def test_merge_keeps_each_raw_value_beside_its_sample():
    """A later part's samples (and, with --reveal, their raw values) fill the head's, in step."""
    from pdscan.columnstate import ColumnState
    from pdscan.detectors.pipeline import Hit

    def hit(text: str) -> Hit:
        return Hit(0, "EMAIL_ADDRESS", 0, len(text), 1.0, "EmailRecognizer", text)

    head, later = ColumnState(), ColumnState()
    head.add("email", 0, hit("ann@example.com"), "a***@example.com", "fp1", value="ann@example.com")
    tail = head.successor()
    tail.add("email", 0, hit("al@example.com"), "a***@example.com", "fp2", value="al@example.com")  # same sample
    tail.add("email", 1, hit("bob@example.com"), "b***@example.com", "fp3", value="bob@example.com")
    head.merge(tail)
    column = head.found[("email", "EMAIL_ADDRESS")]
    assert column.samples == ["a***@example.com", "b***@example.com"]
    assert column.values == ["ann@example.com", "bob@example.com"]
    later.add("email", 0, hit("cy@example.com"), "c***@example.com", "fp4")  # without --reveal: no values
    assert later.found[("email", "EMAIL_ADDRESS")].values == []
