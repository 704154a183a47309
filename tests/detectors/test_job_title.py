"""JOB_TITLE in prose: title-shaped phrases that need a word like "title", "position" or "role"."""

import pyarrow as pa
import pytest

from pdscan.detectors import prefilter
from pdscan.detectors.recognizers import job_title

ENTITY = "JOB_TITLE"


@pytest.mark.parametrize(
    "text, context, found",
    [
        ("Her job title is Staff Accountant.", None, "Staff Accountant"),
        ("He was promoted to Senior Network Engineer last year.", None, "Senior Network Engineer"),
        ("position: VP of Sales", None, "VP of Sales"),
        ("Billing Manager", ["job", "title"], "Billing Manager"),
        # a title without a word that says so
        ("The Senior Engineer fixed the router.", None, None),
        ("Billing Manager", None, None),
        ("the engineering team met", None, None),
    ],
)
def test_job_title(detector, text, context, found):
    hits = detector.detect(pa.array([text]), context=context)
    assert [h.text for h in hits] == ([found] if found else [])
    if found:
        assert prefilter.candidates(pa.array([text]), list(job_title.GATES))["job_title.words"][0]
