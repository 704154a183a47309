"""Per-entity normalization (for fingerprints) and masking (for samples shown to people)."""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from stdnum import iban as stdnum_iban

DIGIT_ENTITIES = {
    "US_SSN",
    "US_ITIN",
    "US_EIN",
    "CREDIT_CARD",
    "US_BANK_NUMBER",
    "ABA_ROUTING_NUMBER",
}
_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")
_MAC_SEPARATORS = re.compile(r"[^0-9a-f]")


def _digits(value: str) -> str:
    return _NON_DIGITS.sub("", value)


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None if value.strip().startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return _digits(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _ip(value: str) -> str:
    try:
        return ipaddress.ip_address(value.strip().strip("[]")).compressed
    except ValueError:
        return value.strip().lower()


def _mac(value: str) -> str:
    hexdigits = _MAC_SEPARATORS.sub("", value.lower())
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def _masked_pan(value: str) -> str:
    """Digits kept, every mask character as `*`, separators dropped: `XXXX-XXXX-XXXX-1234` is `************1234`."""
    return "".join(c if c.isdigit() else "*" for c in value if c.isdigit() or c in "*Xx•")


def _text(value: str) -> str:
    return _SPACES.sub(" ", value.casefold()).strip()


NORMALIZERS = {
    **{entity: _digits for entity in DIGIT_ENTITIES},
    "PHONE_NUMBER": _phone,
    "EMAIL_ADDRESS": lambda v: v.strip().lower(),
    "MAC_ADDRESS": _mac,
    "IP_ADDRESS": _ip,
    "IBAN_CODE": stdnum_iban.compact,
    "MASKED_PAN": _masked_pan,
}


def normalize(entity: str, value: str) -> str:
    """The canonical form two spellings of one value share (digits, E.164, lower-case ...)."""
    return NORMALIZERS.get(entity, _text)(value)


def _keep_last_digits(value: str, keep: int) -> str:
    """Replace every digit but the last `keep` with '*', keeping the separators."""
    total = sum(ch.isdigit() for ch in value)
    seen = 0
    out = []
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _mask_alnum(value: str, head: int, tail: int) -> str:
    out = []
    n = len(value)
    for i, ch in enumerate(value):
        out.append(ch if (i < head or i >= n - tail or not ch.isalnum()) else "*")
    return "".join(out)


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _mask_words(value: str) -> str:
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in value.split())


def _mask_ip(value: str) -> str:
    if ":" in value:
        head = value.split(":", 1)[0]
        return f"{head}:****:****"
    parts = value.split(".")
    return ".".join([parts[0]] + ["***"] * (len(parts) - 1))


def _mask_card(value: str) -> str:
    digits = _digits(value)
    if " " in value or "-" in value:
        return _keep_last_digits(value, 4)
    return " ".join(["****"] * ((len(digits) - 4 + 3) // 4)) + " " + digits[-4:]


def _mask_url(value: str) -> str:
    """Scheme, `www` and the top-level domain stay, with each other label's first letter."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "", value
    host, slash, path = rest.partition("/")
    labels = host.split(".")
    shown = [lb if lb == "www" or i == len(labels) - 1 else lb[:1] + "*" * (len(lb) - 1) for i, lb in enumerate(labels)]
    return f"{scheme}{sep}{'.'.join(shown)}" + ("/***" if slash and path else slash)


def _mask_user_agent(value: str) -> str:
    """The first product's name (`Mozilla`, `curl`) and nothing that narrows the device."""
    head = value.split(" ", 1)[0].split("/", 1)[0]
    return head + "/***"


def _mask_mac(value: str) -> str:
    """The maker's prefix (first three octets) stays."""
    sep = next((c for c in value if not c.isalnum()), ":")
    hexdigits = "".join(c for c in value if c.isalnum())
    return sep.join([hexdigits[i : i + 2] for i in range(0, 6, 2)] + ["**"] * 3)


def _mask_date(value: str) -> str:
    return "".join("*" if ch.isalnum() else ch for ch in value)


MASKERS = {
    "US_SSN": lambda v: _keep_last_digits(v, 4),
    "US_ITIN": lambda v: _keep_last_digits(v, 4),
    "US_EIN": lambda v: _keep_last_digits(v, 4),
    "CREDIT_CARD": _mask_card,
    "MASKED_PAN": lambda v: _keep_last_digits(v, 4),  # a truncated number's first six go too
    "US_BANK_NUMBER": lambda v: _keep_last_digits(v, 4),
    "ABA_ROUTING_NUMBER": lambda v: _keep_last_digits(v, 4),
    "PHONE_NUMBER": lambda v: _keep_last_digits(v, 2),
    "EMAIL_ADDRESS": _mask_email,
    "IP_ADDRESS": _mask_ip,
    "IBAN_CODE": lambda v: _mask_alnum(v, 2, 4),
    "PERSON": _mask_words,
    "STREET_ADDRESS": _mask_words,
    "URL": _mask_url,
    "USER_AGENT": _mask_user_agent,
    "MAC_ADDRESS": _mask_mac,
    "DATE_OF_BIRTH": _mask_date,
}


def mask(entity: str, value: str) -> str:
    """A sample a reviewer may see: enough to recognize the kind, not the value."""
    masker = MASKERS.get(entity)
    if masker is None:
        return _mask_alnum(value, 1, 1) if len(value) > 4 else "*" * len(value)
    return masker(value)
