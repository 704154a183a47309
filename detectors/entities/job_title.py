"""JOB_TITLE: title patterns, reported only with "title", "position" nearby or under a column so named."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="JOB_TITLE",
    category="company_title",
    description='title patterns, reported only with "title", "position" nearby or under a column so named',
    masker=masking.mask_generic,
    normalizer=masking.normalize_text,
    column_evidence="weak",
    recognizers=("pdscan.detectors.recognizers.job_title:JobTitleRecognizer",),
    gates=("pdscan.detectors.recognizers.job_title:GATES",),
    column_hints=("jobtitle", "title", "position", "occupation", "designation", "jobrole"),
    column_shape=(r"^[A-Za-z][A-Za-z .,&/'()\-]{1,80}$", 0.6),
)
