"""USER_AGENT: browser, app and HTTP-client agent strings (`Mozilla/5.0 (...) ... Safari/537.36`, `curl/8.4.0`).

A run of `Product/version` tokens and `(comments)` is a candidate; ua-parser (the uap-core rules) must
name the browser or client it came from. The span is the whole agent string. Server banners
(`Apache/2.4.41 (Ubuntu)`) and protocol tokens (`HTTP/1.1`) name no client and are rejected.
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from ua_parser import parse

from pdscan.detectors.prefilter import Gate

ENTITY = "USER_AGENT"

# Agents that are a single product token, without a "(platform; ...)" comment: HTTP clients and bots.
CLIENTS = (
    "curl", "wget", "python-requests", "python-urllib", "python-httpx", "aiohttp", "postmanruntime", "insomnia",
    "okhttp", "go-http-client", "java", "apache-httpclient", "axios", "node-fetch", "libwww-perl", "guzzlehttp",
    "ruby", "faraday", "dart", "cfnetwork", "dalvik", "opera", "googlebot", "bingbot", "yandexbot", "baiduspider",
    "duckduckbot", "applebot", "facebookexternalhit", "twitterbot", "slackbot", "discordbot", "linkedinbot",
    "whatsapp", "telegrambot", "pinterestbot", "ahrefsbot", "semrushbot",
)  # fmt: skip

_PRODUCT = r"[A-Za-z][\w.!+\-]*/[\w.+\-]*\d[\w.+\-]*"
_COMMENT = r"\([^()\n]{0,300}\)"
# product tokens and comments, and bare words between them ("... Mobile Safari/537.36")
_AGENT = re.compile(
    rf"(?<![\w/.\-]){_PRODUCT}(?:[ \t]*{_COMMENT})?(?:[ \t]+(?:{_PRODUCT}|{_COMMENT}|[A-Za-z]+(?=[ \t]+{_PRODUCT})))*"
)


class UserAgentRecognizer(LocalRecognizer):
    """Agent-shaped runs that ua-parser attributes to a browser, app or client."""

    ENTITIES = [ENTITY]
    CONTEXT = ["agent", "useragent", "ua", "browser", "client", "device"]
    PLATFORM_SCORE = 0.85  # a product with a platform comment: "Mozilla/5.0 (Windows NT 10.0; ...)"
    CLIENT_SCORE = 0.6  # a lone client token: "curl/8.4.0"

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="UserAgentRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if ENTITY not in entities:
            return []
        out = []
        for m in _AGENT.finditer(text):
            agent = m.group().rstrip(" \t")
            has_comment = "(" in agent and (";" in agent or "+http" in agent or _has_os(agent))
            if not has_comment and agent.split("/", 1)[0].lower() not in CLIENTS:
                continue
            if not _client(agent):
                continue
            score = self.PLATFORM_SCORE if has_comment else self.CLIENT_SCORE
            out.append(self._result(m.start(), m.start() + len(agent), score))
        return out

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        explanation = AnalysisExplanation(self.name, score, textual_explanation="ua-parser names the client")
        result = RecognizerResult(ENTITY, start, end, score, explanation)
        result.recognition_metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return result


@lru_cache(maxsize=4096)
def _client(agent: str) -> str | None:
    """The browser or client family ua-parser finds in the string, if any."""
    found = parse(agent).user_agent
    return found.family if found and found.family != "Other" else None


@lru_cache(maxsize=4096)
def _has_os(agent: str) -> bool:
    """ua-parser names an operating system: "(Windows NT 6.2)" is a platform comment without a ';'."""
    found = parse(agent).os
    return bool(found and found.family != "Other")


RECOGNIZERS = [UserAgentRecognizer]
GATES = (
    # a known client token, or any product token followed by a "(platform; ...)" comment
    Gate(
        "user_agent.product",
        r"(?i)(?:^|[^\w/.\-])(?:" + "|".join(re.escape(c) for c in CLIENTS) + r")/\d"
        r"|[A-Za-z][\w.!+\-]*/[\w.+\-]*\d[\w.+\-]*[ \t]*\([^()\n]{0,300}[;+]"
        r"|Mozilla/\d[.\d]* \(",
        frozenset({ENTITY}),
        needs="A [/] d1 n4",
    ),
)
