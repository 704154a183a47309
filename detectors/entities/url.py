"""URL: web addresses with a scheme, `www.` or a known top-level domain."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="URL",
    category="internet_usage",
    description="web addresses with a scheme, `www.` or a known top-level domain",
    masker=masking.mask_url,
    normalizer=masking.normalize_text,
    container=True,
    carries=("EMAIL_ADDRESS",),
    recognizers=("pdscan.detectors.recognizers.url:WebUrlRecognizer",),
    gates=("pdscan.detectors.recognizers.url:GATES",),
    replaces=("UrlRecognizer",),
    column_hints=("url", "referrer", "referer", "website", "pageurl", "uri", "landingpage"),
)
