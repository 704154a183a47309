"""A PDF page whose text extraction passes limits.pdf_page_seconds of CPU is `timeout` and the pages
after it are read: through the CLI (the main thread: a profiling timer) and from a thread (pypdf's
per-operator callback). The slow page is real: half a million text operators, some 6 s of pypdf's
CPU, cut at 1 s."""

from __future__ import annotations

import io
import json
import signal
import threading

from pdscan.connectors.formats.pdf import Pdf
from pdscan.connectors.limits import Limits
from pdscan.core.model import ItemResult

EMAIL = "carol.danvers@mailhost.com"
SSN = "536-90-4399"
SLOW = b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * 500_000 + b"ET"


def pdf_bytes(pages: list[bytes]) -> bytes:
    """A PDF of one Helvetica font and a page per content stream, written by hand (offsets and all)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for content in pages:
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(*lines: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(b"(%s) '" % line.encode() for line in lines) + b" ET"


def _document() -> bytes:
    return pdf_bytes([text_page(f"write to {EMAIL}"), SLOW, text_page(f"SSN {SSN}", "order 536-90-43990")])


def test_a_slow_page_is_timeout_and_the_pages_after_it_are_read(scan, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "statement.pdf").write_bytes(_document())
    (folder / "fast.pdf").write_bytes(pdf_bytes([text_page(f"mail {EMAIL}")]))
    config = tmp_path / "pdscan.yaml"
    config.write_text("limits:\n  pdf_page_seconds: 1\n")
    before = signal.getsignal(signal.SIGPROF)
    run = scan(folder, "--format", "json", "--config", str(config))
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    (record,) = doc["coverage"]
    assert (record["container"], record["status"], record["reason"]) == ("statement.pdf", "partial", "timeout")
    assert "page 2 " in record["detail"] and "pdf_page_seconds" in record["detail"]
    pages = {(f["location"]["container"], f["location"]["page"], f["entity"]) for f in doc["findings"]}
    assert {
        ("statement.pdf", 1, "EMAIL_ADDRESS"),
        ("statement.pdf", 3, "US_SSN"),
        ("fast.pdf", 1, "EMAIL_ADDRESS"),
    } <= pages
    assert not [p for p in pages if p[1] == 2]
    assert len([p for p in pages if p[:2] == ("statement.pdf", 3)]) == 1  # the near miss on page 3 is none
    assert signal.getsignal(signal.SIGPROF) == before  # the timer's handler is gone
    assert EMAIL not in run.stdout + run.stderr and SSN not in run.stdout + run.stderr


def test_a_slow_page_read_in_a_thread_is_timeout_too():
    out: dict = {}

    def read() -> None:
        result = ItemResult("x", "statement.pdf")
        batches = list(Pdf().read(io.BytesIO(_document()), result, Limits(pdf_page_seconds=1)))
        out["result"], out["values"] = result, [v for b in batches for v in b.values.to_pylist()]

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    result = out["result"]
    assert (result.status, result.reason) == ("partial", "timeout") and "page 2 " in result.detail
    assert any(EMAIL in v for v in out["values"]) and any(SSN in v for v in out["values"])
    assert not any(v.startswith("xxx") for v in out["values"])  # nothing of the slow page


def test_a_page_within_its_time_is_read_whole():
    result = ItemResult("x", "fast.pdf")
    pages = [text_page(f"line {i} {EMAIL}") for i in range(3)]
    values = [v for b in Pdf().read(io.BytesIO(pdf_bytes(pages)), result, Limits()) for v in b.values.to_pylist()]
    assert result.status == "complete" and len(values) == 3
