"""Keep every scan off the network: tldextract on its bundled suffix list, no hub lookups."""

from __future__ import annotations

import os

_done = False


def configure() -> None:
    """Idempotent. Call before Presidio's recognizers are first used."""
    global _done
    if _done:
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    import tldextract.tldextract as tld

    # No cache directory, no URLs: the snapshot that ships inside tldextract.
    tld.TLD_EXTRACTOR = tld.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
    _done = True
