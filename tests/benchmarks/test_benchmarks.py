"""The benchmark's corpus generators (benchmarks/logcorpus.py, tablecorpus.py, perfcorpora.py): their
labels point at the values they planted, the look-alikes are what they claim, and a slice holds the
same bytes as the start of its corpus. No timings."""

import csv
import json
import re
import uuid

import phonenumbers
import pytest
from stdnum import iban, luhn

from benchmarks import logcorpus, perfcorpora, tablecorpus
from benchmarks.fakedata import GIVEN, SURNAMES
from benchmarks.logformats import FORMATS

PLANTED = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"}
EMAIL = re.compile(r"^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")


def planted_ok(entity: str, value: str) -> bool:
    """Whether `value` is a real instance of `entity` (checksums, valid numbers, our own name lists)."""
    digits = re.sub(r"\D", "", value)
    checks = {
        "PERSON": lambda: value.split(" ")[0] in GIVEN and value.split(" ", 1)[1] in SURNAMES,
        "EMAIL_ADDRESS": lambda: bool(EMAIL.match(value)),
        "CREDIT_CARD": lambda: len(digits) in (15, 16) and luhn.is_valid(digits),
        "IBAN_CODE": lambda: iban.is_valid(value),
        "US_SSN": lambda: bool(re.fullmatch(r"\d{3}-\d{2}-\d{4}", value)) and not value.startswith(("000", "666", "9")),
        "PHONE_NUMBER": lambda: phonenumbers.is_valid_number(phonenumbers.parse(value, "US")),
    }
    return checks[entity]()


LOOKALIKE = {
    "long_id": lambda v: re.fullmatch(r"[1-9]\d{15,18}", v),
    "epoch_ms": lambda v: re.fullmatch(r"1\d{12}", v),
    "epoch_s": lambda v: re.fullmatch(r"1\d{9}", v),
    "counter": lambda v: re.fullmatch(r"\d{9,12}", v),
    "hex_id": lambda v: re.fullmatch(r"[0-9a-f]{6,64}", v),
    "uuid": lambda v: str(uuid.UUID(v)) == v,
    "version": lambda v: re.search(r"\d+\.\d+", v),
    "class_name": lambda v: re.fullmatch(r"([a-z]+\.)+[A-Z]\w+", v),
    "module_path": lambda v: "@v" in v,
}


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "logs"
    planted = logcorpus.write_logs(folder, 300_000, seed=3, pii_rate=0.05)  # dense PII, so every kind shows up
    return folder, planted


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def test_log_labels_point_at_planted_values(logs):
    folder, planted = logs
    assert planted == logcorpus.read_labels(folder)
    assert {p.name for p in folder.iterdir()} == set(FORMATS)
    assert not (folder / f"{folder.name}.labels.jsonl").exists()  # beside the corpus, never scanned with it
    assert {x["entity"] for x in planted} == PLANTED
    assert {x["file"] for x in planted} == set(FORMATS)
    files = {name: _lines(folder / name) for name in FORMATS}
    for x in planted:
        assert files[x["file"]][x["line"] - 1][x["start"] : x["end"]] == x["value"], x
        assert planted_ok(x["entity"], x["value"]), x


def test_lookalikes_are_what_they_claim_and_never_planted(logs):
    folder, planted = logs
    nearmiss = logcorpus.read_nearmiss(folder)
    assert set(LOOKALIKE) == {kind for *_, kind in nearmiss}
    files = {name: _lines(folder / name) for name in FORMATS}
    spans = {(x["file"], x["line"], x["start"], x["end"]) for x in planted}
    for name, line, start, end, kind in nearmiss:
        value = files[name][line - 1][start:end]
        assert LOOKALIKE[kind](value), (kind, value)
        assert (name, line, start, end) not in spans


def test_formats_are_what_they_say(logs):
    folder, _ = logs
    for line in _lines(folder / "app-json.log"):
        record = json.loads(line)
        assert isinstance(record["request"], dict) and isinstance(record["user"], dict)
        assert record["level"].isupper()
    escaped = [line for line in _lines(folder / "app-json.log") if '\\"' in line and "\\n" in line]
    assert escaped, 'JSON-escaped text (\\n, \\") is part of the JSON logs'
    for line in _lines(folder / "containers.log"):
        if line.startswith("{"):
            assert json.loads(line)["log"].endswith("\n")
        else:
            assert re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|stderr) F ", line)
    assert any(re.match(r"<\d+>1 \d{4}-", line) for line in _lines(folder / "syslog-5424.log"))
    assert any(" ERROR " in line for line in _lines(folder / "app-logback.log"))
    assert any(line.startswith(("INFO:", "DEBUG:", "WARNING:")) for line in _lines(folder / "app-python.log"))


def test_the_generator_is_seeded(tmp_path, logs):
    folder, _ = logs
    again = tmp_path / "logs"
    logcorpus.write_logs(again, 300_000, seed=3, pii_rate=0.05)
    for name in FORMATS:
        assert (again / name).read_bytes() == (folder / name).read_bytes()


def test_sparse_by_default(tmp_path):
    planted = logcorpus.write_logs(tmp_path / "logs", 400_000)
    lines = sum(len(_lines(tmp_path / "logs" / name)) for name in FORMATS)
    records = {(x["file"], x["line"]) for x in planted}
    assert 0 < len(records) < lines / 250  # about one record in 1,000


def test_tickets_and_customers(tmp_path):
    planted = tablecorpus.write_tickets(tmp_path / "prose", 30_000)
    lines = _lines(tmp_path / "prose" / "tickets.txt")
    assert planted and {x["entity"] for x in planted} == {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    for x in planted:
        assert lines[x["line"] - 1][x["start"] : x["end"]] == x["value"]
        assert planted_ok(x["entity"], x["value"]), x
    rows = tablecorpus.write_customers(tmp_path / "customers.csv", 20_000)
    with open(tmp_path / "customers.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == rows
    for row in table:
        for column, entity in tablecorpus.TABLE_LABELS.items():
            if row[column] or column != "iban":  # four in ten customers have an IBAN
                assert planted_ok(entity, row[column]), (column, row[column])


def test_slices_hold_the_same_bytes(tmp_path):
    whole = tmp_path / "both"
    logcorpus.write_logs(whole, 100_000)
    tablecorpus.write_customers(whole / "customers.csv", 40_000)
    part, lines = perfcorpora.head_slice(whole, 0.25)
    for p in whole.iterdir():
        cut = (part / p.name).read_bytes()
        assert 0 < len(cut) < p.stat().st_size and p.read_bytes().startswith(cut) and cut.endswith(b"\n")
        assert lines[p.name] == cut.count(b"\n") - (p.suffix == ".csv")
    assert (part / "customers.csv").read_text().startswith("customer_id,name,")


def test_small_files(tmp_path):
    planted = logcorpus.write_small_files(tmp_path / "small", 40, pii_rate=0.05)
    files = sorted((tmp_path / "small").iterdir())
    assert len(files) == 40 and all(900 <= p.stat().st_size <= 4000 for p in files)
    assert sum(p.suffix == ".csv" for p in files) == 4
    for x in planted:
        line = _lines(tmp_path / "small" / x["file"])[x["line"] - 1]
        assert line[x["start"] : x["end"]] == x["value"]
