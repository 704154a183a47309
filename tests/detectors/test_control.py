"""What users control from the config file: thresholds, switches, allow and deny lists, own patterns."""

import json

from tests.conftest import DATA


def _config(tmp_path, text: str):
    path = tmp_path / "pdscan.yaml"
    path.write_text(text)
    return path


def test_known_test_card_is_reported_as_test_data_and_does_not_fail_the_run(scan, tmp_path):
    f = tmp_path / "fixtures.txt"
    f.write_text("use card 4111 1111 1111 1111 in the sandbox\nand 4242-4242-4242-4242 too\n")
    run = scan(f)
    assert [x["entity"] for x in run.findings] == ["CREDIT_CARD", "CREDIT_CARD"]
    assert all(x["test_data"] is True for x in run.findings)
    assert run.code == 0 and "2 of them well-known test values" in run.stderr
    f.write_text("customer card 4539 1488 0343 6467\n")
    run = scan(f)
    assert run.code == 1 and "test_data" not in run.findings[0]


def test_allow_list_suppresses_values_in_any_format(scan, tmp_path):
    config = _config(tmp_path, "allow_list: ['536904399', 'Maria.Gonzalez@example.com']\n")
    run = scan(DATA / "files" / "notes.txt", "--config", config, "--reveal")
    values = {f["value"] for f in run.findings}
    assert "536-90-4399" not in values and "maria.gonzalez@example.com" not in values
    assert "4539 1488 0343 6467" in values


def test_deny_list_reports_custom_terms(scan, tmp_path):
    config = _config(tmp_path, "deny_list:\n  PROJECT_CODENAME: [Bluebird, 'Red Falcon']\n")
    f = tmp_path / "memo.txt"
    f.write_text("status of bluebird is green\nnothing here\nRed Falcon ships in May\n")
    run = scan(f, "--config", config)
    assert [(x["entity"], x["location"]["line"]) for x in run.findings] == [
        ("PROJECT_CODENAME", 1),
        ("PROJECT_CODENAME", 3),
    ]


def test_custom_pattern_recognizer_from_yaml(scan, tmp_path):
    config = _config(
        tmp_path,
        """
recognizers:
  - name: EmployeeId
    entity: EMPLOYEE_ID
    patterns:
      - {name: emp, regex: '\\bEMP-\\d{6}\\b', score: 0.4}
    context: [employee, badge]
""",
    )
    f = tmp_path / "hr.txt"
    f.write_text("employee EMP-123456 badge issued\nreference EMP-654321 only\n")
    run = scan(f, "--config", config)
    # 0.4 alone is under the threshold; the context word lifts the first one
    assert [(x["entity"], x["location"]["line"]) for x in run.findings] == [("EMPLOYEE_ID", 1)]


def test_custom_recognizer_errors_name_the_rule(scan, tmp_path):
    bad = _config(tmp_path, "recognizers:\n  - {name: Bad, entity: X, patterns: [{regex: '(?<=a)b', score: 0.5}]}\n")
    run = scan(DATA / "files" / "notes.txt", "--config", bad)
    assert run.code == 2 and "recognizers[0] (Bad)" in run.stderr and "gate" in run.stderr


def test_disable_and_per_entity_threshold(scan, tmp_path):
    config = _config(tmp_path, "disable: [PERSON, IP_ADDRESS]\nscores: {EMAIL_ADDRESS: 1.0}\n")
    run = scan(DATA / "files" / "notes.txt", "--config", config)
    entities = {f["entity"] for f in run.findings}
    assert entities and not entities & {"PERSON", "IP_ADDRESS"}
    assert "EMAIL_ADDRESS" in entities  # scored 1.0, at the threshold


def test_json_summary_counts_test_values(scan, tmp_path):
    f = tmp_path / "fixtures.txt"
    f.write_text("card 4111111111111111\n")
    doc = json.loads(scan(f, "--format", "json").stdout)
    assert doc["findings"][0]["test_data"] is True
