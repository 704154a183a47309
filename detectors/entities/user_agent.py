"""USER_AGENT: user-agent strings confirmed by a parser."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

SPEC = EntitySpec(
    name="USER_AGENT",
    category="internet_usage",
    description="user-agent strings confirmed by a parser",
    masker=masking.mask_user_agent,
    normalizer=masking.normalize_text,
    container=True,
    recognizers=("pdscan.detectors.recognizers.user_agent:UserAgentRecognizer",),
    gates=("pdscan.detectors.recognizers.user_agent:GATES",),
    column_hints=("useragent", "ua", "httpuseragent", "browser", "agent"),
)
