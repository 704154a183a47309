"""`pdscan report`: inventory, pfi and right-to-know over a scanned example estate (files plus SQLite)."""

import csv
import html as html_lib
import io
import json
import os
import pty
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY

CARD = "4539 1488 0343 6467"
CARD2 = "5425233430109903"
SSN = "536-22-8451"
DB_SSN = "219-09-9999"
RAW = (CARD, CARD.replace(" ", ""), CARD2, SSN, SSN.replace("-", ""), DB_SSN, "jane.roe@example.org")
PFI_LABEL = "Protected Financial Information (PFI)"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def estate(tmp_path, monkeypatch, scan):
    """Files and a SQLite database, described by a pdscan.yaml with a store; scanned once."""
    monkeypatch.delenv("PDSCAN_STORE")  # the config's store decides
    files = tmp_path / "files"
    files.mkdir()
    (files / "notes.txt").write_text(
        f"Customer paid with card {CARD}, SSN {SSN}, mail jane.roe@example.org, phone (212) 555-0143\n",
        encoding="utf-8",
    )
    (files / "cards.csv").write_text(f"name,card\nJane,{CARD.replace(' ', '')}\nBob,{CARD2}\n", encoding="utf-8")
    (files / "test.txt").write_text("test card 4111 1111 1111 1111\n", encoding="utf-8")
    (files / "blob.bin").write_bytes(bytes(range(256)) * 8)
    db = tmp_path / "crm.db"
    con = sqlite3.connect(db)
    con.execute("create table customers (id integer primary key, name text, email text, ssn text, dob text)")
    con.executemany(
        "insert into customers values (?, ?, ?, ?, ?)",
        [
            (1, "Jane Roe", "jane.roe@example.org", SSN, "1980-02-03"),
            (2, "John Doe", "john.doe@example.com", DB_SSN, "2019-05-05"),
            (3, "Ann Lee", "ann.lee@example.net", "078-05-1120", "1990-01-01"),
        ],
    )
    con.commit()
    con.close()
    store = tmp_path / "store.db"
    config = tmp_path / "pdscan.yaml"
    config.write_text(
        f"""store: {store}
sources:
  - url: {files}
    name: shared drive
    owner: Billing Operations
    source_category: directly from the customer
    third_parties: [payment processors]
    retention: [customer_account]
  - url: sqlite:///{db}
    source_category: credit reporting agencies
    third_parties: [billing vendors, outside auditors]
    retention: [legal]
""",
        encoding="utf-8",
    )
    run = scan("--config", config, "--sample-size", "3")  # 3 of 3 rows: as good as any sample, no proof of all
    assert run.code == 1, run.stderr
    return {"files": files, "db": f"sqlite:///{db}", "store": store, "config": config, "tmp": tmp_path}


@pytest.fixture
def examples(tmp_path, monkeypatch, scan):
    """The repository's examples/ with their pdscan.yaml, scanned from a copy's root as the config says."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    config = tmp_path / "examples" / "pdscan.yaml"
    run = scan("--config", config)
    assert run.code == 1, run.stderr
    return {"tmp": tmp_path, "config": config}


def report(cli_run, estate, kind, fmt="json", *args):
    result = cli_run("report", kind, "--config", estate["config"], "--format", fmt, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" and "--output" not in args else result.stdout


def test_inventory_lists_categories_by_location_with_coverage(cli_run, estate):
    doc = report(cli_run, estate, "inventory")
    files, db = "shared drive", estate["db"]  # a configured source is called by its name
    rows = {(r["category"], r["store"], Path(r["container"]).name, r["field"]): r for r in doc["locations"]}
    assert set(rows) == {
        ("pfi", files, "notes.txt", None),
        ("pfi", files, "cards.csv", "card"),
        ("pfi", files, "test.txt", None),
        ("ssn_ein", files, "notes.txt", None),
        ("email", files, "notes.txt", None),
        ("phone", files, "notes.txt", None),
        ("name", files, "cards.csv", "name"),
        ("name", db, "main.customers", "name"),
        ("email", db, "main.customers", "email"),
        ("ssn_ein", db, "main.customers", "ssn"),
        ("identifiers", db, "main.customers", "dob"),
    }
    cards = rows[("pfi", files, "cards.csv", "card")]
    assert cards["findings"] == 1 and cards["values"] == 2 and cards["values_text"] == "2"
    assert cards["place"] == "column" and cards["location_type"] == "file"
    assert cards["coverage_status"] == "complete" and cards["first_seen"] == cards["last_seen"] == doc["as_of"]
    ssn = rows[("ssn_ein", db, "main.customers", "ssn")]
    assert ssn["location_type"] == "column" and ssn["ccpa_category"] == "A. Identifiers"
    assert ssn["coverage_status"] == "sampled" and "sampled: 3 rows of about 3" in ssn["coverage"]
    assert ssn["values"] >= 1 and ssn["values_text"] == f"at least {ssn['values']}"  # a sample: no claim on the rest
    coverage = {Path(c["container"]).name: c for c in doc["coverage"]}
    assert coverage["blob.bin"]["coverage_status"] == "skipped" and "binary" in coverage["blob.bin"]["coverage"]
    assert coverage["blob.bin"]["findings"] == 0 and coverage["notes.txt"]["findings"] == 4
    assert doc["suppressed"] == 0 and doc["policy"]["id"] == "fusion-2020-10"


def test_a_rescan_keeps_first_seen_and_moves_last_seen(cli_run, scan, estate):
    scan("--config", estate["config"], "--sample-size", "3")
    doc = report(cli_run, estate, "inventory")
    assert doc["scans"] == [1, 2]
    notes = next(r for r in doc["locations"] if r["category"] == "ssn_ein" and r["container"].endswith("notes.txt"))
    assert notes["first_seen"] <= notes["last_seen"] == doc["as_of"]
    assert "unchanged since scan 1" in notes["coverage"]
    first = report(cli_run, estate, "inventory", "json", "--scan", "1")
    assert first["scans"] == [1] and len(first["locations"]) == len(doc["locations"])
    missing = cli_run("report", "pfi", "--config", estate["config"], "--scan", "9")
    assert missing.exit_code == 2 and "no finished scan 9" in missing.output


def test_pfi_lists_only_pfi_with_card_form_test_data_and_gaps(cli_run, estate):
    doc = report(cli_run, estate, "pfi")
    rows = {Path(r["container"]).name: r for r in doc["locations"]}
    assert set(rows) == {"notes.txt", "cards.csv", "test.txt"}
    assert all(
        r["entity"] == "CREDIT_CARD" and r["card_number_form"].startswith("full card number") for r in rows.values()
    )
    assert rows["test.txt"]["test_values"] == 1 and rows["test.txt"]["customer_values"] == "0"
    assert rows["notes.txt"]["test_values"] == 0 and rows["notes.txt"]["samples"] == ["**** **** **** 6467"]
    assert rows["cards.csv"]["values"] == 2 and "column verdict on 2 values" in rows["cards.csv"]["basis"]
    assert rows["cards.csv"]["place"] == "column" and rows["notes.txt"]["place"] == "text"
    assert all(r["coverage_status"] == "complete" for r in rows.values())
    gaps = {Path(g["container"]).name: g for g in doc["not_covered"]}
    assert set(gaps) == {"blob.bin", "main.customers"}
    assert gaps["blob.bin"]["coverage_status"] == "skipped" and gaps["main.customers"]["coverage_status"] == "sampled"
    assert doc["facts"]["Full card numbers (values, customer data)"] == "3 in 2 places (1 column, 1 text)"
    assert doc["facts"]["Test-data PFI values"] == "1"


def test_right_to_know_per_the_policy_and_config(cli_run, estate):
    doc = report(cli_run, estate, "right-to-know")
    cats = {c["category"]: c for c in doc["categories"]}
    assert set(cats) == {"name", "phone", "email", "pfi", "ssn_ein", "identifiers"}
    assert cats["pfi"]["ccpa_category"].startswith("B. Personal information categories")
    assert cats["pfi"]["source_categories"] == ["directly from the customer"]
    assert cats["ssn_ein"]["source_categories"] == ["credit reporting agencies", "directly from the customer"]
    assert cats["identifiers"]["third_parties"] == ["billing vendors", "outside auditors"]
    assert "Measure credit and payment risk" in cats["pfi"]["business_purposes"]
    assert cats["email"]["marketing_purposes"] == [
        "Marketing and creating Fusion Services",
        "Deliver more relevant marketing messages on the Site and directly to Customers via email",
    ]
    # a category row names its purposes' groups; each purpose is listed once, under its group
    assert cats["pfi"]["purpose_groups"] == ["Day-to-Day Business Purposes", "Customer Account"]
    groups = {p["group"]: p for p in doc["purposes"]}
    listed = [p for g in doc["purposes"] for p in g["purposes"]]
    assert len(listed) == len(set(listed)) and "Marketing and creating Fusion Services (marketing)" in listed
    assert groups["Day-to-Day Business Purposes"]["marketing"] == ["Marketing and creating Fusion Services"]
    assert groups["Customer Account"]["bases"] == [
        "Measure credit and payment risk: Legitimate interest in servicing your account"
    ]
    assert groups["Customer Account"]["categories"] == [PFI_LABEL, "SSN/EIN"]
    stores = {s["store"]: s for s in doc["stores"]}
    assert stores["shared drive"]["store_name"] == "shared drive"
    assert stores["shared drive"]["owner"] == "Billing Operations"
    assert stores[estate["db"]]["owner"].startswith("unknown") and cats["pfi"]["store_names"] == ["shared drive"]
    assert {s["source_category"] for s in doc["sources"]} == {"directly from the customer", "credit reporting agencies"}
    assert {t["third_party"] for t in doc["third_parties"]} == {
        "payment processors",
        "billing vendors",
        "outside auditors",
    }
    retention = {r["id"]: r for r in doc["retention"]}
    assert set(retention) == {"customer_account", "legal"} and "court orders" in retention["legal"]["text"]
    assert doc["facts"]["Response days"] == "45" and "45 days" in doc["facts"]["Response rule"]
    assert [(m["field"], m["minors"]) for m in doc["minors"]] == [("dob", 1)]
    assert "delete" in doc["minors"][0]["action"]


def test_right_to_know_looks_back_twelve_months_only(cli_run, estate):
    con = sqlite3.connect(estate["store"])
    con.execute("update scans set started = '2020-01-01T00:00:00+00:00'")
    con.commit()
    con.close()
    doc = report(cli_run, estate, "right-to-know")
    assert doc["categories"] == [] and "minors" not in doc
    assert len(report(cli_run, estate, "inventory")["locations"]) == 11  # the inventory is the current view


def test_labelled_findings_are_left_out_and_counted(cli_run, estate):
    result = cli_run("label", "--as", "false_positive", "--source", estate["files"], "--container",
                     str(estate["files"] / "test.txt"), "--config", estate["config"])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = report(cli_run, estate, "pfi")
    assert doc["suppressed"] == 1 and not any(r["container"].endswith("test.txt") for r in doc["locations"])
    assert "Suppressed by reviewer labels:** 1" in report(cli_run, estate, "pfi", "md")


def test_accepted_findings_stay_in_every_inventory(cli_run, estate):
    """Accepted data is still collected data: it only stops failing --fail-on."""
    before, rtk_before = report(cli_run, estate, "inventory"), report(cli_run, estate, "right-to-know")
    result = cli_run("label", "--as", "accepted", "--container", "cards.csv", "--config", estate["config"])
    assert result.exit_code == 0, result.output
    after = report(cli_run, estate, "inventory")
    assert after["locations"] == before["locations"] and after["suppressed"] == 0
    assert report(cli_run, estate, "right-to-know")["categories"] == rtk_before["categories"]
    false = cli_run("label", "--as", "false_positive", "--container", "cards.csv", "--config", estate["config"])
    assert false.exit_code == 0 and len(report(cli_run, estate, "inventory")["locations"]) < len(before["locations"])


def test_md_and_csv_hold_the_rows(cli_run, estate):
    md = report(cli_run, estate, "inventory", "md")
    assert md.startswith("# Personal data inventory") and "## Coverage of every item scanned" in md
    assert f"| {PFI_LABEL} | shared drive | Billing Operations |" in md and "main.customers | ssn | column |" in md
    assert "Details:" in md and "Coverage detail: complete" in md  # wide detail below the table
    rows = list(csv.DictReader(io.StringIO(report(cli_run, estate, "pfi", "csv"))))
    assert {Path(r["container"]).name for r in rows} == {"notes.txt", "cards.csv", "test.txt"}
    assert all(r["entity"] == "CREDIT_CARD" for r in rows)
    rtk = list(csv.DictReader(io.StringIO(report(cli_run, estate, "right-to-know", "csv"))))
    pfi = next(r for r in rtk if r["category"] == "pfi")
    assert pfi["third_parties"] == "payment processors" and pfi["purpose_groups"].endswith("; Customer Account")
    assert pfi["owners"] == "Billing Operations"  # csv holds the folded details too
    assert "## Minors' personal data (under 18)" in report(cli_run, estate, "right-to-know", "md")


def test_no_raw_value_in_the_store_or_any_report(cli_run, estate):
    out = estate["tmp"] / "out"
    out.mkdir()
    for kind in ("inventory", "pfi", "right-to-know"):
        for fmt in ("json", "csv", "md", "html"):
            report(cli_run, estate, kind, fmt, "--output", out / f"{kind}.{fmt}")
    files = [estate["store"], *out.iterdir()]
    assert len(files) == 13
    for path in files:
        data = path.read_bytes()
        for raw in RAW:
            assert raw.encode() not in data, (path.name, raw)


def test_pfi_headline_counts_the_examples_card_numbers_not_findings(cli_run, examples):
    """examples/: a column of 40 card numbers and 5 in ticket text. The headline said 6 (findings)."""
    doc = json.loads(cli_run("report", "pfi", "--config", examples["config"], "--format", "json").stdout)
    assert doc["facts"]["Full card numbers (values, customer data)"] == "45 in 2 places (1 column, 1 text)"
    assert doc["facts"]["Containers holding PFI (places)"] == "3"
    cards = {r["container"]: r for r in doc["locations"] if r["entity"] == "CREDIT_CARD"}
    assert {c: (r["place"], r["values"], r["findings"]) for c, r in cards.items()} == {
        "customers.csv": ("column", 40, 1),
        "support_tickets.txt": ("text", 5, 5),
    }
    assert {r["store_name"] for r in cards.values()} == {"CRM customer export", "support desk ticket export"}
    chart = {b["label"]: b for b in doc["charts"]["by_category"]}
    assert (
        chart["full card number (Luhn-valid PAN)"]["places"],
        chart["full card number (Luhn-valid PAN)"]["values"],
    ) == (2, 45)


def test_right_to_know_on_the_examples_says_no_unknown(cli_run, examples):
    for fmt in ("json", "md", "csv", "html"):
        result = cli_run("report", "right-to-know", "--config", examples["config"], "--format", fmt)
        assert result.exit_code == 0, result.output
        shown = re.sub(r"<style>.*?</style>", "", result.stdout, flags=re.S)  # the css names a td.unknown class
        assert "unknown" not in shown.lower(), fmt
    doc = json.loads(cli_run("report", "right-to-know", "--config", examples["config"], "--format", "json").stdout)
    stores = {s["store_name"]: s for s in doc["stores"]}
    assert stores["support desk ticket export"]["third_parties"] == ["none (the config declares none)"]
    assert stores["CRM customer export"]["owner"] == "Customer Operations"


def test_a_column_decided_on_its_first_values_counts_at_least_those(cli_run, scan, tmp_path, monkeypatch):
    """1,200 SSNs in a column: decided on the first 1,000 (column_sample), so "at least 1,000", about 1,200."""
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"{100 + i % 500:03d}-{1 + i % 98:02d}-{1 + i:04d},x\n" for i in range(1200))
    (tmp_path / "people.csv").write_text("ssn,note\n" + rows, encoding="utf-8")
    assert scan("people.csv").code == 1
    doc = json.loads(cli_run("report", "inventory", "--format", "json").stdout)
    (row,) = [r for r in doc["locations"] if r["field"] == "ssn"]
    assert (row["values"], row["values_exact"], row["values_estimate"]) == (1000, False, 1200)
    assert row["values_text"] == "at least 1,000 (about 1,200 in all)"


def test_values_of_a_finding_scale_to_its_unchecked_values():
    from pdscan.core.model import Finding, Location
    from pdscan.reports.counts import values_of

    item = {"status": "complete", "sampled": None, "records": 5000}
    column = Finding("column", "US_SSN", 0.9, "x", "src", Location("a.csv", field="ssn"), "***-**-1234",
                     matches=450, sampled=1000, unchecked=4000)  # fmt: skip
    assert values_of(column, item).text == "at least 450 (about 2,250 in all)"
    whole = Finding("column", "US_SSN", 0.9, "x", "src", Location("a.csv", field="ssn"), "***-**-1234",
                    matches=450, sampled=4990)  # fmt: skip
    assert values_of(whole, {**item, "records": 4990}).text == "450"
    assert values_of(whole, {**item, "status": "partial"}).text == "at least 450"
    match = Finding("match", "US_SSN", 0.9, "x", "src", Location("a.txt", line=3), "***-**-1234")
    assert values_of(match, item).text == "1" and values_of(match, {**item, "sampled": "3 rows"}).text == "at least 1"


def test_masked_cards_are_reported_apart_from_full_card_numbers(cli_run, scan, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "invoices.txt").write_text(
        "INV-1 paid with card **** **** **** 4242\nINV-2 Visa XXXX-XXXX-XXXX-1881\n"
        "INV-3 Mastercard 545454******5454\nINV-4 card 4539 1488 0343 6467\n",
        encoding="utf-8",
    )
    assert scan("invoices.txt").code == 1
    doc = json.loads(cli_run("report", "pfi", "--format", "json").stdout)
    assert doc["facts"]["Masked or truncated card numbers (values)"] == "3 in 1 place (1 text)"
    assert doc["facts"]["Full card numbers (values, customer data)"] == "1 in 1 place (1 text)"
    masked = next(r for r in doc["locations"] if r["entity"] == "MASKED_PAN")
    assert masked["card_number_form"].startswith("masked or truncated") and masked["values"] == 3
    assert "545454" not in json.dumps(doc)  # a truncated number's first six are not shown either


def test_third_parties_none_and_not_said_and_sources_matched_by_path_and_name(cli_run, scan, tmp_path, monkeypatch):
    """`third_parties: []` is "none"; no key is "unknown". A relative url matches a source stored absolute."""
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(f"mail {name}nn@example.com\n", encoding="utf-8")
    config = tmp_path / "pdscan.yaml"
    config.write_text("sources:\n  - url: a\n    name: mailbox\n    owner: IT\n    third_parties: []\n"
                      "  - url: b\n    owner: Sales\n", encoding="utf-8")  # fmt: skip
    assert scan(str(tmp_path / "a"), "b").code == 1  # one absolute, as the config does not write it
    doc = json.loads(cli_run("report", "right-to-know", "--config", config, "--format", "json").stdout)
    stores = {s["owner"]: s for s in doc["stores"]}
    assert stores["IT"]["store_name"] == "mailbox" and stores["IT"]["third_parties"] == [
        "none (the config declares none)"
    ]
    assert stores["Sales"]["third_parties"] == ["unknown (the config does not say)"]
    from pdscan.config import load
    from pdscan.reportdata import spec_of

    assert spec_of(load(str(config)), "mailbox").owner == "IT"  # a finding whose source is the configured name


def _report_on_a_terminal(config: Path) -> str:
    """`pdscan report pfi` with stdout a pseudo-terminal; what the terminal got."""
    master, slave = pty.openpty()
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY, "COLUMNS": "160", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "pdscan", "report", "pfi", "--config", str(config)],
                            stdout=slave, stderr=subprocess.PIPE, env=env)  # fmt: skip
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    os.close(master)
    return screen.decode("utf-8", "replace")


def test_a_report_on_a_terminal_is_rendered_and_on_a_pipe_is_markdown(estate):
    screen = _report_on_a_terminal(estate["config"])
    assert "Protected Financial Information (PFI) locations" in screen and "**** **** **** 6467" in screen
    assert "\\*" not in screen and "| --- |" not in screen and "|---|" not in screen and "# Protected" not in screen
    assert any(c in screen for c in "━┃│─"), "no rendered table or heading rule"
    assert "…" not in screen, "a table cell was cut"
    piped = subprocess.run([sys.executable, "-m", "pdscan", "report", "pfi", "--config", str(estate["config"])],
                           capture_output=True, text=True, timeout=120, env={**os.environ, "PDSCAN_KEY": TEST_KEY})  # fmt: skip
    assert piped.returncode == 0 and piped.stdout.startswith("# Protected") and "\\*" in piped.stdout


def _png_rows(path: Path) -> tuple[int, int, list[bytearray]]:
    """Width, height and the unfiltered pixel rows (RGB or RGBA) of an 8-bit PNG, without Pillow."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and color in (2, 6), (depth, color)
    bpp = 3 if color == 2 else 4
    raw, stride, rows = zlib.decompress(b"".join(chunks[b"IDAT"])), width * bpp, []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2, min((a, b, c), key=lambda v: (abs(p - v), (a, b, c).index(v)))][kind]
            line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, [bytearray(r[i] for i in range(len(r)) if i % bpp < 3) for r in rows]


MEASURE = """<pre id="measure"></pre><script>
document.querySelectorAll("details").forEach(d => { d.open = true; });
const cut = [], outside = [];
for (const el of document.body.querySelectorAll("*")) {
  if (el.closest("svg") || el.id === "measure" || !el.clientWidth) continue;
  const style = getComputedStyle(el);
  if (el.scrollWidth > el.clientWidth + 1 || style.textOverflow === "ellipsis")
    cut.push(el.tagName + ": " + el.textContent.slice(0, 60));
}
for (const svg of document.querySelectorAll("svg")) {
  const box = svg.viewBox.baseVal;
  const bars = [...svg.querySelectorAll("rect")].map(r => r.getBBox().x);
  for (const text of svg.querySelectorAll("text")) {
    const b = text.getBBox();
    const right = text.classList.contains("label") ? Math.min(...bars) : box.x + box.width;
    if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > right + 0.5 || b.y + b.height > box.y + box.height + 0.5)
      outside.push(text.textContent);
  }
  if (svg.getBoundingClientRect().right > window.innerWidth) outside.push("svg wider than the window");
}
document.getElementById("measure").textContent = JSON.stringify({
  inner: window.innerWidth, scroll: document.documentElement.scrollWidth, cut, outside,
  svgs: document.querySelectorAll("svg").length, details: document.querySelectorAll("details").length});
</script>"""
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def chromium_flags(tmp_path: Path) -> list[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "headless Chromium is needed: apt-get install -y --no-install-recommends chromium"
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip


def measure_at_1280(page: Path, flags: list[str]) -> dict:
    """The page laid out in a 1280 px window, every <details> open: widths, cut text, chart text outside its box.

    The report allows no script (its CSP), so a copy with a measuring script (and a CSP letting it run) is opened."""
    html = page.read_text(encoding="utf-8")
    assert CSP in html and "<script" not in html
    probe = page.with_name("measured-" + page.name)
    probe.write_text(
        html.replace(CSP, CSP + "; script-src 'unsafe-inline'").replace("</body>", MEASURE + "</body>"),
        encoding="utf-8",
    )
    dom = subprocess.run([*flags, "--window-size=1280,900", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="measure">(.*?)</pre>', dom.stdout, re.S)
    assert found and found.group(1), "the measuring script did not run"
    return json.loads(html_lib.unescape(found.group(1)))


def assert_fits_1280(measured: dict, where: str) -> None:
    assert measured["inner"] == 1280, measured
    assert measured["scroll"] <= 1280, f"{where}: scrolls sideways ({measured['scroll']} px)"
    assert not measured["cut"], f"{where}: text cut or overflowing: {measured['cut']}"
    assert not measured["outside"], f"{where}: chart text outside its box or over the bars: {measured['outside']}"
    assert measured["svgs"] >= 1 and measured["details"] >= 1, measured


def test_html_renders_in_headless_chromium(cli_run, estate, tmp_path):
    flags = chromium_flags(tmp_path)
    page = tmp_path / "inventory.html"
    report(cli_run, estate, "inventory", "html", "--output", page)
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<svg" in html and "https://" not in html
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h1>Personal data inventory</h1>" in dom.stdout
    assert f"<td>{PFI_LABEL}</td><td>shared drive</td><td>Billing Operations</td>" in dom.stdout
    assert "Categories by places and values" in dom.stdout and "<rect" in dom.stdout
    assert "<details><summary>Details</summary>" in dom.stdout
    assert_fits_1280(measure_at_1280(page, flags), "inventory")
    shot = tmp_path / "shot.png"
    run = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri()],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    width, height, rows = _png_rows(shot)
    assert (width, height) == (1280, 900)
    pixels = Counter(bytes(row[i : i + 3]) for row in rows[::3] for i in range(0, len(row), 9))
    background, most = pixels.most_common(1)[0]
    assert most < 0.97 * sum(pixels.values()), "the screenshot is blank"
    assert background == b"\xff\xff\xff", f"unexpected background {background.hex()}"
    assert pixels[bytes.fromhex("1f77b4")] > 50, "no chart bar in the screenshot"


@pytest.mark.parametrize("kind", ["inventory", "pfi", "right-to-know"])
def test_every_report_fits_1280_px_in_chromium(cli_run, examples, kind):
    """The examples' reports (CPNI's long label, long purposes, wide PFI rows) at 1280 px: nothing scrolls or is cut."""
    flags = chromium_flags(examples["tmp"])
    page = examples["tmp"] / f"{kind}.html"
    result = cli_run("report", kind, "--config", examples["config"], "--format", "html", "--output", page)
    assert result.exit_code == 0, result.output
    assert_fits_1280(measure_at_1280(page, flags), kind)
