"""Masked samples and fingerprints: the only traces of a value pdscan keeps."""

import pytest

from pdscan.core.keys import FingerprintKey
from pdscan.core.masking import mask, normalize

KEY = FingerprintKey(b"unit-test-key")


@pytest.mark.parametrize(
    "entity, value, masked",
    [
        ("US_SSN", "536-90-4399", "***-**-4399"),
        ("US_SSN", "536904399", "*****4399"),
        ("CREDIT_CARD", "4539 1488 0343 6467", "**** **** **** 6467"),
        ("CREDIT_CARD", "4539148803436467", "**** **** **** 6467"),
        ("CREDIT_CARD", "4539-1488-0343-6467", "****-****-****-6467"),
        ("EMAIL_ADDRESS", "jane.doe@example.org", "j***@example.org"),
        ("PHONE_NUMBER", "(212) 555-0143", "(***) ***-**43"),
        ("IP_ADDRESS", "203.0.113.42", "203.***.***.***"),
        ("IP_ADDRESS", "2001:db8::1", "2001:****:****"),
        ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "GB** **** **** **** ***4 32"),
        ("PERSON", "Maria Gonzalez", "M**** G*******"),
        ("US_BANK_NUMBER", "000123456789", "********6789"),
        ("URL", "https://www.linkedin.com/in/jane-doe?trk=1", "https://www.l*******.com/***"),
        ("URL", "https://www.google.com/", "https://www.g*****.com/"),
        ("USER_AGENT", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", "Mozilla/***"),
        ("USER_AGENT", "curl/8.4.0", "curl/***"),
        ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", "00:1A:2B:**:**:**"),
        ("MAC_ADDRESS", "00-1a-2b-3c-4d-5e", "00-1a-2b-**-**-**"),
        ("DATE_OF_BIRTH", "1958/04/21", "****/**/**"),
        ("UNKNOWN_ENTITY", "abcdefgh", "a******h"),
        ("UNKNOWN_ENTITY", "abc", "***"),
    ],
)
def test_mask(entity, value, masked):
    assert mask(entity, value) == masked


@pytest.mark.parametrize(
    "entity, a, b",
    [
        ("US_SSN", "536-90-4399", "536 90 4399"),
        ("US_SSN", "536-90-4399", "536904399"),
        ("CREDIT_CARD", "4539 1488 0343 6467", "4539-1488-0343-6467"),
        ("US_BANK_NUMBER", "0001-2345-6789", "000123456789"),
        ("PHONE_NUMBER", "(212) 555-0143", "+1 212-555-0143"),
        ("PHONE_NUMBER", "212.555.0143", "2125550143"),
        ("EMAIL_ADDRESS", "Jane.Doe@Example.ORG", "jane.doe@example.org"),
        ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e"),
        ("IP_ADDRESS", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("PERSON", "Maria  Gonzalez", "maria gonzalez"),
        ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432"),
    ],
)
def test_same_value_in_any_format_has_one_fingerprint(entity, a, b):
    assert normalize(entity, a) == normalize(entity, b)
    assert KEY.fingerprint(entity, a) == KEY.fingerprint(entity, b)


def test_fingerprint_depends_on_value_and_key():
    fp = KEY.fingerprint("US_SSN", "536-90-4399")
    assert fp != KEY.fingerprint("US_SSN", "536-90-4398")
    assert fp != FingerprintKey(b"another-key").fingerprint("US_SSN", "536-90-4399")
    assert len(fp) == 64 and "4399" not in mask("US_SSN", "536-90-4399")[:-4]


def test_key_is_never_in_its_repr():
    key = FingerprintKey(b"super-secret-key-material")
    assert "super-secret" not in repr(key)
    assert key.key_id in repr(key)
