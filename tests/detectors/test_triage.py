"""Between gates and Presidio: context words, name-shaped words in log lines, NER windows; real logs stay quiet."""

from collections import Counter

import pyarrow as pa
import pytest

from pdscan.detectors import filters, triage
from pdscan.detectors.pipeline import Detector
from tests.conftest import DATASETS

LOGHUB = sorted((DATASETS / "loghub").glob("*_2k.log"))


@pytest.fixture(scope="module")
def detector():
    return Detector()


@pytest.mark.parametrize(
    "line, runs",
    [
        # log vocabulary: levels, CamelCase and dotted identifiers, thread names glued to code
        ("2015-10-18 18:01:51,806 INFO [main] org.apache.hadoop.ipc.Server: Starting", []),
        ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_-69", []),
        ("2015-10-18 18:03:50,267 INFO [RMCommunicator Allocator] rm.RMContainerAllocator: slow start", []),
        ("Jun 18 02:08:10 combo ftpd[31272]: connection from 82.252.162.81 at Sat Jun 18 02:08:10 2005", []),
        # a user agent's platform words
        (
            '1.2.3.4 - - [29/Nov/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0'
            ' like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"',
            [],
        ),
        # people in log lines are written as names
        ("2026-11-06 10:00:01 INFO user Maria Lopez logged in", ["Maria Lopez"]),
        ("Jul 27 14:42:00 combo kernel: Linux agpgart interface v0.100 (c) Dave Jones", ["Dave Jones"]),
        ("2026-11-06 10:00:01 WARN refund approved by Marisol T. Okafor", ["Marisol T. Okafor"]),
        ("2026-11-06 10:00:01 INFO ticket reassigned to McDonald", ["McDonald"]),
    ],
)
def test_name_shaped_runs_in_log_lines(line, runs):
    assert triage.is_log_line(line)
    assert [line[a:b] for a, b in triage.name_runs(line)] == runs
    windows = triage.name_windows(line)
    assert all(any(a <= line.index(r) and line.index(r) + len(r) <= b for a, b in windows) for r in runs)


def test_windows_stop_at_ids_so_repeated_templates_share_them():
    lines = [f"2015-10-18 18:01:{s:02d},806 INFO [IPC Server Responder] ipc.Server: id={s * 7919}" for s in range(30)]
    windows = {line[a:b] for line in lines for a, b in triage.name_windows(line)}
    assert windows == {"INFO [IPC Server Responder]"}


def test_prose_is_not_a_log_line():
    for text in ("Catherine is a very sympathetic person.", "Support call from Maria Gonzalez on Tuesday."):
        assert not triage.is_log_line(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- 1118699850 2005.06.13 RAS KERNEL INFO ciod: Message code 0 is not 51 or 4294967295", []),
        ("081109 203615 148 INFO dfs.DataNode: Receiving block blk_-6400421658804613208 src", []),
        ("2005-06-14-11.00.22.056566 R26-M0-N6-C:J14-U11 RAS KERNEL FATAL icache prefetch", []),
        ("order placed id=4093609377352800 status=ok", []),
        ("paid with card id=4093609377352800 status=ok", [("CREDIT_CARD", "4093609377352800")]),
        ("req 2125550143 done in 12ms", []),
        ("2026-11-06 10:00:01 INFO customer phone (212) 555-0143 updated", [("PHONE_NUMBER", "(212) 555-0143")]),
        ("2026-11-06 10:00:01 INFO ssn=536-90-4399 on file", [("US_SSN", "536-90-4399")]),
    ],
)
def test_numbers_in_log_lines(detector, text, expected):
    found = [(h.entity, h.text) for h in detector.detect(pa.array([text])) if h.entity in filters.NUMERIC_ENTITIES]
    assert found == expected


def test_weak_candidates_without_context_never_reach_presidio(detector):
    lines = [f"2026-11-06T10:54:{i % 60:02d}Z DEBUG request id={894460042 + i} status=200" for i in range(2_000)]
    before = dict(detector.stats)
    assert detector.detect(pa.array(lines)) == []
    assert detector.stats["presidio"] == before["presidio"] and detector.stats["ner"] == before["ner"]


def test_a_context_word_still_lifts_a_bare_number(detector):
    hits = detector.detect(pa.array(["2026-11-06 10:00:01 INFO ssn 536904399 verified"]))
    assert [(h.entity, h.text) for h in hits] == [("US_SSN", "536904399")]


def test_real_logs_hold_almost_no_people_and_no_card_bank_or_phone_numbers(detector):
    counts, lines = Counter(), 0
    for log in LOGHUB:
        values = log.read_text(encoding="utf-8", errors="replace").splitlines()
        lines += len(values)
        counts.update(h.entity for h in detector.detect(pa.array(values)))
    assert len(LOGHUB) == 8 and lines == 16_000
    assert counts["PERSON"] <= lines / 1000  # the target: at most one a thousand lines
    assert counts["CREDIT_CARD"] == counts["US_BANK_NUMBER"] == counts["PHONE_NUMBER"] == 0
    assert counts["IP_ADDRESS"] > 3000  # what the logs do hold is still found
