"""URL: web addresses, the policy's "websites visited" (`https://shop.example.com/cart`, `www.example.org`).

Replaces Presidio's UrlRecognizer, whose bare-domain pattern has no right-hand word boundary
(`photo.jpg` -> `photo.jp`, `Mr.Smith` -> `Mr.Sm`), takes file names for domains (`test.py`,
`README.md`), keeps sentence punctuation (`.../page.`) and misses `http://10.0.0.1/`. Hosts reserved
for documentation (`example.com`, `*.test`, RFC 2606) and `localhost` are nobody's visit. Bare domains keep Presidio's TLD list and are checked by tldextract
(offline, on its bundled public-suffix snapshot).
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import UrlRecognizer as _PresidioUrlRecognizer

from pdscan.detectors.offline import DOMAINS
from pdscan.detectors.prefilter import Gate

ENTITY = "URL"
# Presidio's top-level domains (gTLDs and ccTLDs), lower case.
TLDS = tuple(
    sorted(set(re.findall(r"\(\?:(\w+)\)", _PresidioUrlRecognizer.BASE_URL_REGEX)), key=lambda t: (-len(t), t))
)
# Country-code TLDs that are also file extensions: "test.py", "README.md", "deploy.sh", "lib.rs", "main.cc".
FILE_EXTENSIONS = frozenset("py md sh rs pl pm cc in so ps ai mk ml am st sc gz bz ts cs rb js sql txt zip mov".split())

# Names reserved for documentation and tests (RFC 2606, RFC 6761): no one's website.
RESERVED_HOSTS = frozenset({"localhost", "example.com", "example.net", "example.org"})
RESERVED_SUFFIXES = (".example.com", ".example.net", ".example.org", ".example", ".test", ".invalid", ".localhost")

_TLD = "|".join(TLDS)
_PATH = r"(?:[/?#][^\s<>\"'`{}|\\^]*)?"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_TRAILING = ".,;:!?'\")]}"


# A reversed domain: Java and Android package and class names (`org.apache.hadoop.ipc`, `com.tencent.mm`,
# `java.net`, `system.charge.show`) read as host names on a TLD; a host name starts with its most
# specific label. Logs print them on almost every line.
_REVERSED_DOMAIN = re.compile(
    r"(?:org|com|net|java|javax|android|androidx|kotlin|scala|sun|jdk|system)\."
    r"[a-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*(?:/[\w.$/]*)?"
)


def is_package_name(url: str) -> bool:
    """A package or class path (`org.apache.hadoop.mapreduce.v2.app`, `com.tencent.mm/.ui.LauncherUI`):
    no scheme, no www, and it starts with a top-level domain or a platform's namespace."""
    return "://" not in url and not url.lower().startswith("www") and _REVERSED_DOMAIN.fullmatch(url) is not None


class WebUrlRecognizer(PatternRecognizer):
    """Scheme URLs on any host; www. and bare domains on a known TLD; trailing punctuation is not part of a URL."""

    ENTITIES = [ENTITY]
    PATTERNS = [
        Pattern("URL (scheme)", rf"(?i)\b(?:https?|ftp|wss?)://[^\s<>\"'`{{}}|\\^/?#]+{_PATH}", 0.6),
        Pattern("URL (www)", rf"(?i)(?<![\w.@/\-])www\d{{0,3}}\.(?:{_LABEL}\.)+(?:{_TLD})(?![\w\-@]){_PATH}", 0.5),
        Pattern("URL (bare domain)", rf"(?i)(?<![\w.@/:\-])(?:{_LABEL}\.)+(?:{_TLD})(?![\w\-@]){_PATH}", 0.5),
    ]
    CONTEXT = ["url", "urls", "website", "link", "visited", "visit", "site", "referrer", "referer", "href", "page"]

    def __init__(self) -> None:
        super().__init__(supported_entity=ENTITY, name="WebUrlRecognizer", patterns=self.PATTERNS, context=self.CONTEXT)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        return self.refine(text, super().analyze(text, entities, nlp_artifacts, regex_flags))

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """After the patterns: trailing punctuation cut, nobody's visits dropped."""
        out = []
        for result in results:
            while result.end > result.start and text[result.end - 1] in _TRAILING and not _balanced(text, result):
                result.end -= 1
            if not self._junk(text[result.start : result.end]) and not _dotted_on(text, result):
                out.append(result)
        return out

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (keep the pattern's score): validation only rejects, through invalidate_result."""
        return None

    def invalidate_result(self, pattern_text: str) -> bool:
        return self._junk(pattern_text.rstrip(_TRAILING))

    @staticmethod
    def _junk(url: str) -> bool:
        """Nobody's visit: a reserved documentation host (`example.com`), a file name (`test.py`), a package
        name (`org.apache.hadoop`), no domain."""
        scheme = "://" in url
        rest = url.split("://", 1)[1] if scheme else url
        host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
        if not host or host in RESERVED_HOSTS or host.endswith(RESERVED_SUFFIXES):
            return True
        if scheme:
            return False
        if is_package_name(url):
            return True
        parts = DOMAINS(host)
        if not parts.domain or not parts.suffix or f"{parts.domain}.{parts.suffix}" in RESERVED_HOSTS:
            return True
        return "/" not in url and not host.startswith("www") and host.rsplit(".", 1)[-1] in FILE_EXTENSIONS


def _dotted_on(text: str, result: RecognizerResult) -> bool:
    """A bare domain the text goes on dotting (`SecurityLogger.org.apache.hadoop`): a class name, not a host."""
    span = text[result.start : result.end]
    return (
        "://" not in span
        and text[result.end : result.end + 1] == "."
        and text[result.end + 1 : result.end + 2].isalpha()
    )


def _balanced(text: str, result: RecognizerResult) -> bool:
    """A closing bracket that closes one opened inside the URL (`.../Foo_(bar)`) belongs to it."""
    last = text[result.end - 1]
    pairs = {")": "(", "]": "[", "}": "{"}
    if last not in pairs:
        return False
    span = text[result.start : result.end]
    return span.count(pairs[last]) >= span.count(last)


RECOGNIZERS = [WebUrlRecognizer]
REPLACES = ["UrlRecognizer"]
GATES = (
    Gate(
        "url.web",
        rf"(?i)\b(?:https?|ftp|wss?)://|\bwww\d{{0,3}}\.|[a-z0-9]\.(?:{_TLD})(?:$|[^a-z0-9\-])",
        frozenset({ENTITY}),
        needs="A [:.] n3",
    ),
)
