"""What a response to a request to know must not disclose (11 CCR 7024(d)), and what it says instead.

A Social Security number, a driver's licence or other government id, a financial account number,
a health insurance or medical id, an account password or security questions and answers are
never shown: the answer says that the business holds them ("a Social Security number ending 4409
is held"). A card security code (CVV) is never shown anywhere, nor its last digits.
"""

from __future__ import annotations

import re

from stdnum import iban, luhn
from stdnum.us import ssn

from pdscan.core import entities
from pdscan.detectors.columns import hinted_entity, tokens

# covered kind -> what the answer calls it; digits: whether the last four may be told
KINDS: dict[str, tuple[str, bool]] = {
    "ssn": ("a Social Security number", True),
    "ein": ("an Employer Identification Number", True),
    "itin": ("an Individual Taxpayer Identification Number", True),
    "tax_id": ("a taxpayer identification number", True),
    "drivers_license": ("a driver's licence number", True),
    "passport": ("a passport number", True),
    "government_id": ("a government identification number", True),
    "card": ("a payment card number", True),
    "bank_account": ("a bank account number", True),
    "iban": ("an international bank account number (IBAN)", True),
    "routing": ("a bank routing number", True),
    "health_id": ("a health insurance or medical identification number", True),
    "password": ("a password", False),
    "security_qa": ("a security question or answer", False),
}
ENTITY_KIND = {"US_SSN": "ssn", "US_EIN": "ein", "US_ITIN": "itin", "CREDIT_CARD": "card",
               "US_BANK_NUMBER": "bank_account", "IBAN_CODE": "iban", "ABA_ROUTING_NUMBER": "routing",
               "US_DRIVER_LICENSE": "drivers_license", "US_PASSPORT": "passport"}  # fmt: skip
IDENTIFIER_KIND = {"ssn": "ssn", "account": "bank_account", "card_last4": "card"}  # pdscan.dsar.identifiers kinds
# field-name words (joined, lower-case) -> covered kind
FIELD_KIND = {
    **dict.fromkeys(["ssn", "social", "socialsecurity", "socialsecuritynumber", "socsec"], "ssn"),
    **dict.fromkeys(["taxid", "tin", "taxpayerid", "federaltaxid"], "tax_id"),
    "ein": "ein", "fein": "ein", "itin": "itin",
    **dict.fromkeys(["pan", "card", "cardnumber", "cardno", "cc", "ccnum", "ccnumber", "creditcard"], "card"),
    **dict.fromkeys(["iban", "ibancode"], "iban"),
    **dict.fromkeys(["account", "acct", "acctno", "accountnumber", "accountno", "bank", "bankaccount", "dda"],
                    "bank_account"),
    **dict.fromkeys(["routing", "routingnumber", "aba", "rtn"], "routing"),
    **dict.fromkeys(["passport", "passportnumber", "passportno"], "passport"),
    **dict.fromkeys(["license", "licence", "dl", "driverslicense", "driverlicense", "licenseno"], "drivers_license"),
    **dict.fromkeys(["nationalid", "governmentid", "govid", "stateid", "idcard"], "government_id"),
    **dict.fromkeys(["medical", "insurance", "memberid", "mrn", "healthid", "policynumber", "medicare", "medicaid"],
                    "health_id"),
    **dict.fromkeys(["password", "passwd", "pwd", "secret", "passphrase", "pin", "passwordhash"], "password"),
    **dict.fromkeys(["securityquestion", "securityanswer", "secretquestion", "secretanswer"], "security_qa"),
}  # fmt: skip
CVV_WORDS = frozenset({"cvv", "cvc", "cvv2", "cvc2", "csc", "cvn", "securitycode", "cardcode", "cardsecuritycode"})
# a field word after the hint that says the value is not the number itself (card_type, account_status)
NOT_NUMBER = frozenset({"type", "brand", "status", "expiry", "expires", "exp", "expiration", "holder", "name",
                        "date", "created", "updated", "count", "limit", "country", "issuer", "bank"})  # fmt: skip
_SSN_SHAPE = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$")
_CARD_SHAPE = re.compile(r"^\d[\d -]{11,22}\d$")
# inside free text: SSN shapes, digit runs that may be cards or accounts, IBANs, a CVV after its label
_TEXT_SSN = re.compile(r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])|(?<!\d)\d{9}(?!\d)")
_TEXT_DIGITS = re.compile(r"(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)")
_TEXT_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_TEXT_CVV = re.compile(r"(?i)\b(cvv2?|cvc2?|csc|card security code|security code)(\W{0,3})\d{3,4}\b")


def _runs(field: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """Each run of adjacent words of the field name, joined, with the words after it; longest first."""
    words = tokens(field)
    return [("".join(words[i:j]), tuple(words[j:])) for size in range(len(words), 0, -1)
            for i in range(len(words) - size + 1) for j in [i + size]]  # fmt: skip


def is_cvv(field: str | None, entity: str | None = None) -> bool:
    """A card security code field (cvv, cvc2, security_code, card_verification_value ...): its
    entity, or the one its name hints at, is withheld (the specs' `withheld`), or its words say so."""
    withheld = entities.withheld()
    if entity in withheld or hinted_entity(field) in withheld:
        return True
    return any(run in CVV_WORDS or run.startswith("cardverification") for run, _ in _runs(field))


def cvv_entity(field: str | None, entity: str | None = None) -> str | None:
    """The withheld entity a card security code field holds: its own, the one its name hints at,
    else the first the specs withhold (CARD_SECURITY_CODE)."""
    withheld = entities.withheld()
    for candidate in (entity, hinted_entity(field)):
        if candidate in withheld:
            return candidate
    return withheld[0] if withheld else None


def _field_kind(field: str | None) -> str | None:
    for run, after in _runs(field):
        kind = FIELD_KIND.get(run)
        if kind and not (set(after) & NOT_NUMBER):
            return kind
    return None


def _shape_kind(value: str) -> str | None:
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if _SSN_SHAPE.match(text) and ssn.is_valid(digits):
        return "ssn"
    if _CARD_SHAPE.match(text) and 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return "card"
    if len(text) >= 15 and iban.is_valid(text):
        return "iban"
    return None


def covered(field: str | None, entity: str | None, value: object, identifier: str | None = None) -> str | None:
    """The 7024(d) kind of this piece of data, or None when it may be disclosed.

    By the identifier kind that matched, the entity the inventory or the field name gives, the
    field name's words, and the value's shape as a backstop.
    """
    if identifier in IDENTIFIER_KIND:
        return IDENTIFIER_KIND[identifier]
    text = "" if value is None else str(value)
    words = tokens(field)
    hint = None if words and words[-1] in NOT_NUMBER else hinted_entity(field)  # card_expiry is not a card number
    kind = ENTITY_KIND.get(entity or "") or ENTITY_KIND.get(hint or "") or _field_kind(field)
    if kind and (not KINDS[kind][1] or re.search(r"\d", text)):
        return kind
    return _shape_kind(text)


def last4(value: object) -> str:
    chars = re.sub(r"[^0-9A-Za-z]", "", str(value))
    return chars[-4:] if len(chars) > 4 else ""


def describe(kind: str, value: object) -> str:
    """ "a Social Security number ending 4409 is held"; no digits for passwords and security answers."""
    label, digits = KINDS[kind]
    tail = last4(value) if digits else ""
    return f"{label} ending {tail} is held" if tail else f"{label} is held"


def mask(kind: str, value: object) -> str:
    """The internal files' form: the last four at most ("***4409"), nothing of a password."""
    label, digits = KINDS[kind]
    tail = last4(value) if digits else ""
    return f"***{tail}" if tail else "***"


CVV_TEXT = "a card security code is stored"
CVV_MASK = "(card security code withheld)"


def scrub(text: str, known: list[str] = ()) -> str:
    """Free text with covered values masked: the given ones, SSN shapes, Luhn-valid numbers, IBANs, CVVs."""
    for value in sorted(set(known), key=len, reverse=True):
        if value and len(value) >= 4:
            text = text.replace(value, mask("ssn", value))
    text = _TEXT_CVV.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _TEXT_SSN.sub(lambda m: mask("ssn", m.group()) if ssn.is_valid(re.sub(r"\D", "", m.group())) else m.group(),
                         text)  # fmt: skip
    text = _TEXT_DIGITS.sub(lambda m: mask("card", m.group()) if luhn.is_valid(re.sub(r"\D", "", m.group()))
                            else m.group(), text)  # fmt: skip
    return _TEXT_IBAN.sub(lambda m: mask("iban", m.group()) if iban.is_valid(m.group()) else m.group(), text)
