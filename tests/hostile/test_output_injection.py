"""Names from the scanned data cannot inject into the outputs people open (issue 17, point 12).

Files named like spreadsheet formulas (`=HYPERLINK("x.example","a")`: a file name holds no `/`,
`+cmd`, `@SUM(1)`), HTML
(`<script>...</script>`, through a folder named `<script>alert(1)<`) and Markdown links
(`[x](javascript:...)`), a CSV and a SQLite table whose column names are the same, each holding an
SSN. Every CSV cell of `scan --format csv` and of every `report --format csv` that came from a
name is neutralised (OWASP: a leading `'`), the Markdown reports and the DSAR answer hold no raw
HTML or link, and HTML stays escaped.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pdscan.reports.escape import FORMULA_START, csv_cell, md_cell
from tests.hostile import harness

SSNS = ["532-71-4411", "532-71-4412", "532-71-4413", "532-71-4414", "532-71-4415", "532-71-4416"]
NAMES = ['=HYPERLINK("x.example","a").csv', "+cmd.txt", "@SUM(1).csv", "-2+3.txt", "\tx.txt",
         "[x](javascript:alert(1)).txt"]  # fmt: skip
SCRIPT = ("<script>alert(1)<", "script>.txt")  # a folder and a file: `<script>alert(1)</script>.txt`
COLUMNS = ['=HYPERLINK(A1,"b")', "+ssn", "@SUM(2)", "-ssn", "<script>alert(3)</script>",
           "[y](javascript:alert(4))"]  # fmt: skip


def _content(name: str, ssn: str) -> str:
    return f"name,ssn\nAna,{ssn}\n" if name.endswith(".csv") else f"customer SSN {ssn} on file\n"


@pytest.fixture
def src(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name, ssn in zip(NAMES, SSNS):
        (src / name).write_text(_content(name, ssn))
    (src / SCRIPT[0]).mkdir()
    (src / SCRIPT[0] / SCRIPT[1]).write_text(_content(".txt", "532-71-4417"))
    with open(src / "columns.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([COLUMNS] + [[f"532-71-{4420 + i:04d}"] * len(COLUMNS) for i in range(5)])
    db = sqlite3.connect(src / "app.db")
    quoted = ", ".join('"' + c.replace('"', '""') + '" TEXT' for c in COLUMNS)
    db.execute(f'CREATE TABLE "=cmd|calc" ({quoted})')
    db.executemany(f'INSERT INTO "=cmd|calc" VALUES ({", ".join("?" * len(COLUMNS))})',
                   [[f"532-71-{4430 + i:04d}"] * len(COLUMNS) for i in range(5)])  # fmt: skip
    db.commit()
    db.close()
    harness.good_file(src)
    return src


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _assert_inert_csv(text: str, where: str) -> list[str]:
    cells = _cells(text)
    live = [c for c in cells if c.startswith(FORMULA_START)]
    assert not live, f"{where}: cells a spreadsheet would run: {live}"
    return cells


def _assert_inert_md(text: str, where: str, named: bool = True) -> None:
    assert "<script" not in text.lower(), where
    assert "](javascript:" not in text, where
    if named:
        assert "&lt;script>" in text and "&#91;x&#93;(javascript:" in text, f"{where}: the names were not reported"


def test_every_report_is_inert(src):
    result = harness.scan(src)
    harness.assert_clean(result, planted=SSNS)
    found = {f["location"]["container"] for f in result.output["findings"]}
    for name in NAMES:
        assert name in found, name  # containers are relative to the source root
    fields = {f["location"].get("field") for f in result.output["findings"]}
    assert {f"=cmd|calc.{c}" for c in COLUMNS} <= fields and set(COLUMNS) <= fields
    for kind in ("inventory", "pfi", "right-to-know"):
        cells = _assert_inert_csv(result.files[f"report-{kind}.csv"], kind)
        if kind == "inventory":  # the names are there, neutralised
            assert any(c.endswith(NAMES[0]) for c in cells) and "'+ssn" in cells and "'@SUM(2)" in cells
        _assert_inert_md(result.files[f"report-{kind}.md"], kind, named=kind == "inventory")
        html = result.files[f"report-{kind}.html"]
        assert "<script>alert" not in html, kind  # names are text in HTML: escaped, and a CSP beside
        assert "&lt;script&gt;alert" in html or kind != "inventory", kind


def _pdscan(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PDSCAN_KEY": harness.KEY, "PDSCAN_STORE": str(cwd.parent / "store.db")}
    cmd = [sys.executable, "-m", "pdscan", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_scan_csv_is_inert_with_names_at_the_start_of_cells(src):
    # scanned from inside the folder, by name: the container and source cells start with the name
    done = _pdscan(src, "scan", "--format", "csv", "--no-progress", "--", *NAMES, "app.db", "columns.csv")
    assert done.returncode == 1, done.stderr
    cells = _assert_inert_csv(done.stdout, "scan --format csv")
    for name in NAMES:
        assert csv_cell(name) in cells, name
    assert {"'+ssn", "'@SUM(2)", "'-ssn", '\'=HYPERLINK(A1,"b")'} <= set(cells)
    assert "'=cmd|calc.@SUM(2)" in cells  # a SQLite file's field: table.column


def test_the_dsar_deletion_plan_in_markdown_is_inert(src, tmp_path):
    answer = tmp_path / "answer.md"
    done = _pdscan(src, "dsar", "find", ".", "--ssn", SSNS[5], "--ssn", "532-71-4417", "--dry-run",
                   "--for-deletion", "--format", "md", "-o", str(answer))  # fmt: skip
    assert done.returncode == 1, done.stderr
    _assert_inert_md(answer.read_text(), "dsar deletion plan")  # it names the containers


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "-2+3", '=HYPERLINK("http://x")'])
def test_csv_cell_neutralises_every_formula_start(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell("plain -1") == "plain -1" and csv_cell(-1) == -1 and csv_cell(0.5) == 0.5


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("[x](javascript:alert(1))", "&#91;x&#93;(javascript:alert(1))"),
        ("![i](http://x/p.png)", "!&#91;i&#93;(http://x/p.png)"),
        ("# head | `code` *b* _i_ & more", "\\# head \\| \\`code\\` \\*b\\* \\_i\\_ &amp; more"),
        ("<http://x>", "&lt;http://x>"),
        ("two\nlines", "two lines"),
        ("payment_methods __init__.py", "payment_methods \\_\\_init\\_\\_.py"),
    ],
)
def test_md_cell_escapes_html_and_markdown(name, shown):
    assert md_cell(name) == shown
