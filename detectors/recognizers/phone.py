"""PHONE_NUMBER: numbers that Google's libphonenumber (`phonenumbers`) finds and calls possible, scored by shape.

Replaces Presidio's PhoneRecognizer, which keeps only *valid* numbers at 0.4: the fictional 555 numbers
of customer records and test data are not valid, yet they are phone-shaped data. Here a US-formatted
number ((212) 555-0143, 212.555.0143, +1-212-555-0143) or an international one written with "+" stands
alone when possible, higher when valid; bare digits (2125550143) and other countries' national formats
(020 7946 0958) need a word such as "phone" or "fax". Product codes, SSN and card shapes, ZIP+4 codes,
IP addresses and dates are not phone numbers.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from stdnum import luhn

from pdscan.detectors.prefilter import Gate

ENTITY = "PHONE_NUMBER"
# Tried after the US: national formats of these countries, with a context word, are phone numbers too.
OTHER_REGIONS = ("GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IE", "AU", "IN", "BR")

# (212) 555-0143, 212-555-0143, 212.555.0143, 212 555 0143, 1-212-555-0143, with an extension or not
_NANP = re.compile(
    r"(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}([ .\-]))\d{3}(?(1)\1|[ .\-])\d{4}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?",
    re.I,
)
_BARE = re.compile(r"1?\d{10}")
_DIGIT_GROUPS = re.compile(r"(?<![\w+.\-])\(?\d[\d \t().\-]{5,22}\d(?![\w])")
_IDD = re.compile(r"(?:00|011)[ .\-]?[1-9]")  # the international call prefix of most countries, or of the US
_NOT_PHONES = (
    re.compile(r"\d{3}-\d{2}-\d{4}"),  # SSN
    re.compile(r"\d{5}-\d{4}"),  # ZIP+4
    re.compile(r"\d{1,3}(?:\.\d{1,3}){3}"),  # IPv4
    re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d"),  # dates
)


class PhoneNumberRecognizer(LocalRecognizer):
    """phonenumbers' matcher at POSSIBLE leniency, US first, then other countries' national formats."""

    ENTITIES = [ENTITY]
    CONTEXT = [
        "phone", "phones", "telephone", "tel", "mobile", "cell", "cellphone", "fax", "contact", "call", "callback",
        "called", "dial", "desk", "office", "sms", "whatsapp", "pager", "hotline", "ext", "reach", "text",
        "message", "messages", "answering", "voicemail", "ring", "landline", "registered",
    ]  # fmt: skip
    FORMATTED, FORMATTED_VALID = 0.5, 0.65  # NANP layout, or "+" and a country code
    BARE, BARE_VALID = 0.3, 0.4  # ten digits in a row
    NATIONAL = 0.2  # another country's national layout, valid there
    AREA_CODE = 0.5  # "(08) 8747 6301": an area code in parentheses, valid in some country
    SHAPED = 0.1  # digit groups a phone could have: with a context word they count
    LABELED = 0.6  # followed by its kind: "416 60 039 office", "3660170548-Fax"

    def __init__(self) -> None:
        super().__init__(supported_entities=self.ENTITIES, context=self.CONTEXT, name="PhoneNumberRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if ENTITY not in entities:
            return []
        found: dict[tuple[int, int], float] = {}
        for m in PhoneNumberMatcher(text, "US", leniency=Leniency.POSSIBLE):
            score = self._us_score(m)
            if score and _LABEL_AFTER.match(text, m.end):
                score = max(score, self.LABELED)
            if score and not _rejected(text, m.start, m.end, m.raw_string):
                found[m.start, m.end] = score
        for m in _DIGIT_GROUPS.finditer(text):
            start, end = m.start(), m.end() - len(m.group()) + len(m.group().rstrip(" \t.-("))
            if any(s < end and start < e for s, e in found) or _rejected(text, start, end, text[start:end]):
                continue
            score = self._national_score(text[start:end])
            if score and (_LABEL_AFTER.match(text, end) or _CALL_BEFORE.search(text[max(0, start - 40) : start])):
                score = max(score, self.LABELED)
            if score:
                found[start, end] = score
        return [self._result(start, end, score) for (start, end), score in sorted(found.items())]

    def _us_score(self, match) -> float:
        raw, number = match.raw_string, match.number
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
            return 0.0  # too short, too long, or a 7-digit local number
        valid = phonenumbers.is_valid_number(number)
        if raw.startswith("+") or _IDD.match(raw) or _NANP.fullmatch(raw):
            return self.FORMATTED_VALID if valid else self.FORMATTED
        if _BARE.fullmatch(raw):
            return self.BARE_VALID if valid else self.BARE
        return 0.0

    def _national_score(self, raw: str) -> float:
        """A number in another country's national layout that is valid there ("020 7946 0958" in GB),
        or at least shaped like a phone number (digit groups of two or more, 7 to 15 digits)."""
        groups = re.findall(r"\d+", raw)
        if any(len(g) == 1 for g in groups[1:]) or _NOT_PHONES[-1].search(raw):
            return 0.0  # "12345 10.0", "2024-01-15 12345": numbers side by side, not one phone number
        for region in OTHER_REGIONS:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if _IDD.match(raw) and phonenumbers.is_valid_number(number):
                return self.FORMATTED_VALID  # dialled from abroad ("001-518-640-0854"): as good as "+"
            if phonenumbers.is_valid_number_for_region(number, region):
                return self.AREA_CODE if _AREA_CODE.match(raw) else self.NATIONAL
        digits = sum(map(len, groups))
        if 7 <= digits <= 15 and (len(groups) >= 2 or _AREA_CODE.match(raw)) and len(groups[0]) <= 5:
            return self.SHAPED
        return 0.0

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        explanation = AnalysisExplanation(self.name, score, textual_explanation="phonenumbers: possible number")
        result = RecognizerResult(ENTITY, start, end, score, explanation)
        result.recognition_metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return result


_AREA_CODE = re.compile(r"\(0?\d{1,4}\) ?\d")
# The kind of a number written right after it: "416 60 039 office", "082 490 1693-Office".
_LABEL_AFTER = re.compile(r"(?i)[ \t]?[-/]?[ \t]?(?:office|fax|home|mobile|cell|work|tel|phone|landline)\b")


# "call me at", "call us on": Presidio's context skips these words ("call" is a spaCy stop word).
_CALL_BEFORE = re.compile(r"(?i)\bcall(?:ed)?(?: me| us| him| her| them)?(?: back)?(?: at| on)?[ \t:]*$")


# Words that name what a number is when it is not a phone: "Order #555-123-4567", "Part number: 555-123-4567".
_LABELED_AS_OTHER = re.compile(
    r"(?i)\b(?:(?:order|invoice|ref|reference|ticket|part|sku|serial|id|tracking|case|account|acct|"
    r"confirmation|isbn|po|item|model|build|version)\b(?:[ \t]*(?:no\.?|number|num|#|id))?[ \t]*[:#]?[ \t]*)$"
)


def _rejected(text: str, start: int, end: int, raw: str) -> bool:
    """Part of a longer code (`555-123-4567-A`), labeled as an id, or the shape of a card, SSN, ZIP+4, IP, date."""
    if _LABELED_AS_OTHER.search(text[max(0, start - 24) : start]):
        return True
    before, after = text[start - 1 : start], text[end : end + 2]
    if before.isalnum() or before in ("-", "/", "_") and text[start - 2 : start - 1].isalnum():
        return True
    labeled = _LABEL_AFTER.match(text, end)
    if not labeled and (after[:1].isalnum() or after[:1] in ("-", "/", "_") and after[1:2].isalnum()):
        return True
    digits = re.sub(r"\D", "", raw)
    if not raw.startswith("+") and 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return True
    return any(p.fullmatch(raw) for p in _NOT_PHONES)


# What scores without a context word: "+" or an international prefix, an area code in parentheses,
# a US layout, the number's kind written after it, "call" before it. A prefix or layout that
# continues a longer dotted or colon-separated number (a time: "11.00.22.056566") is not one:
# is_glued_to_token drops it. The kind after a number counts only after a number the recognizer
# can find (seven characters or more without a letter, or a US layout's extension):
# "Version/17.1 Mobile/15E148" in an iPhone's user agent is none.
STANDALONE = (
    r"(?:^|[^\w+])\+\d[\d ().\-]{6,}\d|(?:^|[^\w.:\-])0(?:0|11)[ .\-]?[1-9][\d .()\-]{5,}\d\b|\(0?\d{1,5}\) ?\d|(?:\(\d{3}\) ?|(?:^|[^\w.:])\d{3}[ .\-])\d{3}[ .\-]\d{4}\b"
    r"|\d[^\p{L}\n]{5,}\d(?i:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?[ \t]?[-/]?[ \t]?"
    r"(?i:office|fax|home|mobile|cell|work|tel|phone|landline)\b|(?i)\bcall(?:ed)?\b"
)

RECOGNIZERS = [PhoneNumberRecognizer]
REPLACES = ["PhoneRecognizer"]
# Both gates: bare digits and national layouts score at most BARE_VALID without a phone word.
_WEAK_WITHOUT_CONTEXT = dict(
    context=tuple(PhoneNumberRecognizer.CONTEXT),
    weak_max=PhoneNumberRecognizer.BARE_VALID,
    standalone=STANDALONE,
    context_tokens=True,  # its own words ("call", "office" after the number) are in STANDALONE
)
GATES = (
    # +international, US (212) 555-0143 shapes, or three groups such as 020 7946 0958.
    Gate(
        "phone",
        r"\+\d[\d ().\-]{6,}|\(?\b\d{3}\)?[ .\-]?\d{3}[ .\-]?\d{4}\b|\b\d{2,5}[ .\-]\d{3,4}[ .\-]\d{3,4}\b",
        frozenset({ENTITY}),
        needs="d8|[+] d1 n8",
        **_WEAK_WITHOUT_CONTEXT,
    ),
    Gate(
        "phone.number",
        # +international; US layouts; ten digits in a row; any digit groups after a phone word
        r"(?:\+|\b0(?:0|11)[ .\-]?)\d[\d \t().\-]{6,}\d"
        r"|\(?\b\d{3}\)?[ \t.\-]?\d{3}[ \t.\-]\d{4}\b"
        r"|\b1?\d{10}\b"
        r"|(?i)\b(?:phone|tel|telephone|mobile|cell|fax|desk|office|contact|call|dial|sms|reach|text|messages?|"
        r"answering|voicemail|ring|landline|registered)\b[^\d\n]{0,20}\(?\d[\d \t().\-]{5,}\d"
        r"|\d[\d \t().\-]{5,}\d[ \t]?[-/]?[ \t]?(?i:office|fax|home|mobile|cell|work)\b"
        r"|\(\d{1,5}\) ?\d{3,4}[ \-]?\d{3,4}",
        frozenset({ENTITY}),
        needs="d2 n8|d7",
        **_WEAK_WITHOUT_CONTEXT,
    ),
)
