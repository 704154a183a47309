"""USER_AGENT: product/version runs that ua-parser attributes to a browser or client; the span is the whole agent."""

import pytest

from pdscan.detectors.recognizers import user_agent
from tests.detectors.conftest import found_values, gate_passes, hits_on, scored

ENTITY = "USER_AGENT"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Mobile Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/118.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
DALVIK = "Dalvik/2.1.0 (Linux; U; Android 11; Pixel 5 Build/RQ3A.210805.001.A1)"
ACCESS_LOG = f'127.0.0.1 - - [10/Oct/2023:13:55:36 -0700] "GET /index.html HTTP/1.1" 200 2326 "-" "{IPHONE}"'


OLD_WINDOWS = "Mozilla/5.0 (Windows NT 6.2) AppleWebKit/535.0 (KHTML, like Gecko) Chrome/34.0.846.0 Safari/535.0"

CASES = [
    # (value, context words, [(agent found, score), ...])
    # browsers and apps with a platform comment: strong alone, whole string, also inside a log line
    (CHROME, None, [(CHROME, 0.85)]),
    (IPHONE, None, [(IPHONE, 0.85)]),
    (ANDROID, None, [(ANDROID, 0.85)]),
    (FIREFOX, None, [(FIREFOX, 0.85)]),
    (GOOGLEBOT, None, [(GOOGLEBOT, 0.85)]),
    (DALVIK, None, [(DALVIK, 0.85)]),
    (ACCESS_LOG, None, [(IPHONE, 0.85)]),
    # a platform comment without ';' that ua-parser still reads as an OS
    (OLD_WINDOWS, None, [(OLD_WINDOWS, 0.85)]),
    # a lone HTTP-client token: enough alone, stronger beside "agent" or under a user_agent column
    ("curl/8.4.0", None, [("curl/8.4.0", 0.6)]),
    ("curl/8.4.0", ["user", "agent"], [("curl/8.4.0", 0.95)]),
    ("User-Agent: curl/8.4.0", None, [("curl/8.4.0", 0.95)]),
    ("request from python-requests/2.31.0 failed", None, [("python-requests/2.31.0", 0.6)]),
    # near misses: server banners, protocols, our own version strings, MIME types, paths
    ("Server: Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1", None, []),
    ("GET /index.html HTTP/1.1", None, []),
    ("nginx/1.18.0", ["user", "agent"], []),
    ("pdscan/0.1.0 released", None, []),
    ("Python/3.11.4", None, []),
    ("Release v2026.2.9 fixed the issue", None, []),
    ("Content-Type: text/html; charset=utf-8", None, []),
    ("See https://example.com/a/1.2 (docs; v2)", None, []),
]


@pytest.mark.parametrize("value, context, expected", CASES)
def test_user_agents(detector, value, context, expected):
    assert scored(hits_on(detector, value, context, ENTITY, "UserAgentRecognizer")) == expected


@pytest.mark.parametrize("value", found_values(CASES))
def test_gates_pass_every_agent(value):
    assert gate_passes(value, user_agent.GATES)


@pytest.mark.parametrize(
    "value", ["GET /index.html HTTP/1.1", "2026-11-01T10:00:00Z INFO took 12ms", "Release v2026.2.9", "nginx/1.18.0"]
)
def test_gates_skip_protocols_and_banners(value):
    assert not gate_passes(value, user_agent.GATES)
