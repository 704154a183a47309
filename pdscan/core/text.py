"""Small text helpers every layer shares."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"\D+")


def digits(text: str) -> str:
    """The digits of `text`, separators dropped: `078-05-1120` -> `078051120`."""
    return _NON_DIGITS.sub("", text)
