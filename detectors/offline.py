"""Keep every scan off the network, through the libraries' own offline modes.

- Domains: `DOMAINS`, a tldextract extractor on the public-suffix snapshot that ships inside
  tldextract (no suffix-list URLs, no cache directory: nothing fetched, nothing written).
  pdscan's e-mail and URL recognizers check domains with it; Presidio's EmailRecognizer, which
  calls tldextract's default extractor (one that fetches the list), is replaced by pdscan's, and
  `SnapshotEmailRecognizer` is that recognizer on `DOMAINS` for stock Presidio setups (benchmarks).
- Models: `configure()` turns the Hugging Face hub offline (spaCy's model is a pip package).
"""

from __future__ import annotations

import os

import tldextract
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer

DOMAINS = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def configure() -> None:
    """Idempotent. Call before any model is loaded."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


class SnapshotEmailRecognizer(EmailRecognizer):
    """Presidio's EmailRecognizer, its domain check on `DOMAINS`: the same results, offline."""

    def validate_result(self, pattern_text: str) -> bool:
        return DOMAINS(pattern_text).fqdn != ""


def stock_presidio_offline(analyzer: AnalyzerEngine) -> AnalyzerEngine:
    """A stock Presidio analyzer (every predefined recognizer) with its e-mail check offline."""
    recognizers = analyzer.registry.recognizers
    for i, old in enumerate(recognizers):
        if type(old) is EmailRecognizer:  # in its place, under its name: results and their order stay
            recognizers[i] = SnapshotEmailRecognizer(supported_language=old.supported_language, name=old.name)
    return analyzer
