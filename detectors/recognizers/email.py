"""EMAIL_ADDRESS: local@domain, the domain on a known public suffix (tldextract, offline).

Replaces Presidio's EmailRecognizer, whose local part takes `/`, `?` and `=` and whose check reads
the whole match as a URL: `/account/verify?email=ana@example.org` is one "address" that fails the
check (the person's address is missed), and `k8s.io/client-go@v0.28.3` passes it (the host of that
URL is `k8s.io`). Here the local part holds what addresses are written with, and the part after
the `@` is checked.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.detectors.offline import DOMAINS

ENTITY = "EMAIL_ADDRESS"


class EmailAddressRecognizer(PatternRecognizer):
    """An address starts where a word starts; its domain ends in letters and is a registrable name."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern(
            "Email (local@domain)",
            r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-'’]*[\w%+\-])?@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w\-])",
            0.5,
        )
    ]
    CONTEXT = ["email", "e-mail", "mail", "mailto", "inbox", "address"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITY, name="EmailAddressRecognizer", patterns=self.PATTERNS, context=self.CONTEXT
        )

    def validate_result(self, pattern_text: str) -> bool:
        """The part after the @ is a name under a public suffix (`example.org`, `mail.co.uk`)."""
        parts = DOMAINS(pattern_text.rsplit("@", 1)[1])
        return bool(parts.domain and parts.suffix)


RECOGNIZERS = [EmailAddressRecognizer]
REPLACES = ["EmailRecognizer"]
