"""`pdscan report`: inventory, pfi and right-to-know over a scanned example estate (files plus SQLite)."""

import csv
import io
import json
import shutil
import sqlite3
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

CARD = "4539 1488 0343 6467"
CARD2 = "5425233430109903"
SSN = "536-22-8451"
DB_SSN = "219-09-9999"
RAW = (CARD, CARD.replace(" ", ""), CARD2, SSN, SSN.replace("-", ""), DB_SSN, "jane.roe@example.org")
PFI_LABEL = "Protected Financial Information (PFI)"


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


def report(cli_run, estate, kind, fmt="json", *args):
    result = cli_run("report", kind, "--config", estate["config"], "--format", fmt, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" and "--output" not in args else result.stdout


def test_inventory_lists_categories_by_location_with_coverage(cli_run, estate):
    doc = report(cli_run, estate, "inventory")
    files, db = str(estate["files"]), estate["db"]
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
    assert stores[str(estate["files"])]["store_name"] == "shared drive"
    assert stores[str(estate["files"])]["owner"] == "Billing Operations"
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
    result = cli_run("label", "--as", "accepted", "--source", estate["files"], "--container", str(estate["files"] / "test.txt"),
                     "--config", estate["config"])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = report(cli_run, estate, "pfi")
    assert doc["suppressed"] == 1 and not any(r["container"].endswith("test.txt") for r in doc["locations"])
    assert "Suppressed by reviewer labels:** 1" in report(cli_run, estate, "pfi", "md")


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


def test_html_renders_in_headless_chromium(cli_run, estate, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "headless Chromium is needed: apt-get install -y --no-install-recommends chromium"
    page = tmp_path / "inventory.html"
    report(cli_run, estate, "inventory", "html", "--output", page)
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<svg" in html and "https://" not in html
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h1>Personal data inventory</h1>" in dom.stdout
    assert f"<td>pfi</td><td>{PFI_LABEL}</td>" in dom.stdout
    assert "Findings by category and store" in dom.stdout and "<rect" in dom.stdout
    shot = tmp_path / "shot.png"
    run = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    width, height, rows = _png_rows(shot)
    assert (width, height) == (1200, 900)
    pixels = Counter(bytes(row[i : i + 3]) for row in rows[::3] for i in range(0, len(row), 9))
    background, most = pixels.most_common(1)[0]
    assert most < 0.97 * sum(pixels.values()), "the screenshot is blank"
    assert background == b"\xff\xff\xff", f"unexpected background {background.hex()}"
    assert pixels[bytes.fromhex("1f77b4")] > 50, "no chart bar in the screenshot"
