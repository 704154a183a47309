"""Findings carry the policy's category and CCPA category; minors' dates of birth are flagged."""

import json
from datetime import date

from pdscan.policy import load_policy


def _born(years_ago: int) -> str:
    today = date.today()
    return f"{today.year - years_ago}-{today.month:02d}-01" if today.day > 1 else f"{today.year - years_ago}-01-01"


def test_match_findings_have_policy_categories(scan, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        f"Patient Ann Lee, DOB: {_born(9)}, card 4539 1488 0343 6467\nGuardian DOB: {_born(40)}\n", encoding="utf-8"
    )
    run = scan(str(path))
    assert run.code == 1
    found = {(f["entity"], f["category"], f["ccpa_category"], f.get("minors")) for f in run.findings}
    b = "B. Personal information categories listed in Cal. Civ. Code 1798.80(e)"
    age = "C. Characteristics of protected classifications (age)"
    assert ("CREDIT_CARD", "pfi", b, None) in found
    assert ("DATE_OF_BIRTH", "identifiers", age, 1) in found  # the child
    assert ("DATE_OF_BIRTH", "identifiers", age, None) in found  # the guardian


def test_a_column_of_birth_dates_counts_its_minors(scan, tmp_path):
    path = tmp_path / "members.csv"
    rows = ["id,dob"] + [f"{i},{_born(10 if i % 4 == 0 else 35)}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = scan(str(path), "--format", "json")
    document = json.loads(run.stdout)
    dob = [f for f in document["findings"] if f["entity"] == "DATE_OF_BIRTH"]
    assert len(dob) == 1 and dob[0]["kind"] == "column" and dob[0]["category"] == "identifiers"
    assert dob[0]["minors"] == 10
    assert document["summary"]["minors"] == 10


def test_another_policy_renames_the_categories(scan, tmp_path):
    text = tmp_path / "p.yaml"
    default = load_policy()
    lines = ["policy:", "  id: mine", "  name: Mine", "categories:"]
    for category in default.categories.values():
        cid = "money" if category.id == "pfi" else category.id
        lines += [f"  - id: {cid}", f"    label: {category.label}", f"    entities: [{', '.join(category.entities)}]",
                  "    ccpa: X"]  # fmt: skip
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = tmp_path / "c.txt"
    data.write_text("card 4539 1488 0343 6467\n", encoding="utf-8")
    run = scan(str(data), "--policy", str(text))
    assert [(f["category"], f["ccpa_category"]) for f in run.findings] == [("money", "X")]


def test_a_bad_policy_is_a_usage_error_naming_the_line(scan, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "policy:\n  id: p\n  name: P\ncategories:\n  - id: x\n    label: X\n    ccpa: [a, b]\n", encoding="utf-8"
    )
    data = tmp_path / "c.txt"
    data.write_text("nothing here\n", encoding="utf-8")
    run = scan(str(data), "--policy", str(bad))
    assert run.code == 2
    assert "line 7" in run.stderr and "ccpa" in run.stderr
