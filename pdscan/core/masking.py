"""Per-entity normalization (for fingerprints) and masking (for samples shown to people).

The functions here are the parts an `EntitySpec` (pdscan.core.entities) names as its masker and
normalizer; `mask` and `normalize` look the entity's up in the registry, and fall back to the
generic ones for an entity no spec declares (a deny list's, a YAML recognizer's).
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from stdnum import iban as stdnum_iban

from pdscan.core import entities
from pdscan.core.text import digits

_SPACES = re.compile(r"\s+")
_MAC_SEPARATORS = re.compile(r"[^0-9a-f]")


def normalize_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None if value.strip().startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return digits(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_ip(value: str) -> str:
    try:
        return ipaddress.ip_address(value.strip().strip("[]")).compressed
    except ValueError:
        return value.strip().lower()


def normalize_mac(value: str) -> str:
    hexdigits = _MAC_SEPARATORS.sub("", value.lower())
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def normalize_iban(value: str) -> str:
    return stdnum_iban.compact(value)


def normalize_masked_pan(value: str) -> str:
    """Digits kept, every mask character as `*`, separators dropped: `XXXX-XXXX-XXXX-1234` is `************1234`."""
    return "".join(c if c.isdigit() else "*" for c in value if c.isdigit() or c in "*Xx•")


def normalize_text(value: str) -> str:
    """Case-folded, whitespace collapsed: the form of a name, an address, a URL."""
    return _SPACES.sub(" ", value.casefold()).strip()


def normalize(entity: str, value: str) -> str:
    """The canonical form two spellings of one value share (digits, E.164, lower-case ...)."""
    return entities.normalizers().get(entity, normalize_text)(value)


def keep_last_digits(value: str, keep: int) -> str:
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


def mask_last4(value: str) -> str:
    """Every digit but the last four masked: SSN, EIN, ITIN, bank and routing numbers."""
    return keep_last_digits(value, 4)


def mask_last2(value: str) -> str:
    return keep_last_digits(value, 2)


def mask_alnum(value: str, head: int, tail: int) -> str:
    out = []
    n = len(value)
    for i, ch in enumerate(value):
        out.append(ch if (i < head or i >= n - tail or not ch.isalnum()) else "*")
    return "".join(out)


def mask_generic(value: str) -> str:
    """First and last character of a longer value; a short one masked whole."""
    return mask_alnum(value, 1, 1) if len(value) > 4 else "*" * len(value)


def mask_iban(value: str) -> str:
    return mask_alnum(value, 2, 4)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_words(value: str) -> str:
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in value.split())


def mask_ip(value: str) -> str:
    if ":" in value:
        head = value.split(":", 1)[0]
        return f"{head}:****:****"
    parts = value.split(".")
    return ".".join([parts[0]] + ["***"] * (len(parts) - 1))


def mask_card(value: str) -> str:
    found = digits(value)
    if " " in value or "-" in value:
        return keep_last_digits(value, 4)
    return " ".join(["****"] * ((len(found) - 4 + 3) // 4)) + " " + found[-4:]


def mask_url(value: str) -> str:
    """Scheme, `www` and the top-level domain stay, with each other label's first letter."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "", value
    host, slash, path = rest.partition("/")
    labels = host.split(".")
    shown = [lb if lb == "www" or i == len(labels) - 1 else lb[:1] + "*" * (len(lb) - 1) for i, lb in enumerate(labels)]
    return f"{scheme}{sep}{'.'.join(shown)}" + ("/***" if slash and path else slash)


def mask_user_agent(value: str) -> str:
    """The first product's name (`Mozilla`, `curl`) and nothing that narrows the device."""
    head = value.split(" ", 1)[0].split("/", 1)[0]
    return head + "/***"


def mask_mac(value: str) -> str:
    """The maker's prefix (first three octets) stays."""
    sep = next((c for c in value if not c.isalnum()), ":")
    hexdigits = "".join(c for c in value if c.isalnum())
    return sep.join([hexdigits[i : i + 2] for i in range(0, 6, 2)] + ["**"] * 3)


def mask_date(value: str) -> str:
    return "".join("*" if ch.isalnum() else ch for ch in value)


def mask(entity: str, value: str) -> str:
    """A sample a reviewer may see: enough to recognize the kind, not the value."""
    return entities.maskers().get(entity, mask_generic)(value)
