"""What the hand-kept per-entity tables held before the entity registry (pdscan.core.entities)
replaced them, written once as data: tests/core/test_entities.py checks that the tables derived
from the specs hold the same."""

# detectors/columns.py HINTS
OLD_HINTS = {
    **dict.fromkeys(["aba", "abanumber", "routing", "routingno", "routingnumber", "rtn"], "ABA_ROUTING_NUMBER"),
    **dict.fromkeys(["account", "accountno", "accountnumber", "acct", "acctno", "acctnum", "bankaccount", "bankacct", "dda"], "US_BANK_NUMBER"),
    **dict.fromkeys(["accountholder", "cardholder", "cardholdername", "contactname", "customername", "familyname", "firstname", "fname", "forename", "fullname", "givenname", "holdername", "lastname", "lname", "maidenname", "middlename", "mname", "name", "personname", "surname"], "PERSON"),
    **dict.fromkeys(["addr", "addr1", "addr2", "address", "address1", "address2", "billingaddress", "homeaddress", "mailingaddress", "shippingaddress", "street", "streetaddress"], "STREET_ADDRESS"),
    **dict.fromkeys(["agent", "browser", "httpuseragent", "ua", "useragent"], "USER_AGENT"),
    **dict.fromkeys(["ani", "callednumber", "callingnumber", "cell", "cellphone", "contactnumber", "dnis", "fax", "homephone", "mobile", "msisdn", "phone", "phoneno", "phonenumber", "tel", "telephone", "workphone"], "PHONE_NUMBER"),
    **dict.fromkeys(["birthdate", "birthday", "birthdt", "dateofbirth", "dob"], "DATE_OF_BIRTH"),
    **dict.fromkeys(["businessname", "company", "companyname", "employer", "firm", "org", "organisation", "organization"], "ORGANIZATION"),
    **dict.fromkeys(["card", "cardno", "cardnumber", "cc", "ccnum", "ccnumber", "creditcard", "creditcardnumber", "pan"], "CREDIT_CARD"),
    **dict.fromkeys(["cardsecuritycode", "cvc", "cvc2", "cvv", "cvv2", "securitycode"], "CARD_SECURITY_CODE"),
    **dict.fromkeys(["clientip", "ip", "ipaddr", "ipaddress", "ipv4", "ipv6", "remoteaddr", "remoteip", "sourceip", "srcip"], "IP_ADDRESS"),
    **dict.fromkeys(["designation", "jobrole", "jobtitle", "occupation", "position", "title"], "JOB_TITLE"),
    **dict.fromkeys(["ein", "employerid", "federaltaxid", "fein", "taxid", "taxpayerid", "tin"], "US_EIN"),
    **dict.fromkeys(["email", "emailaddr", "emailaddress", "mail"], "EMAIL_ADDRESS"),
    **dict.fromkeys(["hwaddr", "mac", "macaddr", "macaddress"], "MAC_ADDRESS"),
    **dict.fromkeys(["iban", "ibancode"], "IBAN_CODE"),
    **dict.fromkeys(["itin"], "US_ITIN"),
    **dict.fromkeys(["landingpage", "pageurl", "referer", "referrer", "uri", "url", "website"], "URL"),
    **dict.fromkeys(["postal", "postalcode", "postcode", "zip", "zipcode"], "POSTAL_CODE"),
    **dict.fromkeys(["social", "socialsecurity", "socialsecuritynumber", "socsec", "ssn", "ssnumber"], "US_SSN"),
}  # fmt: skip

# detectors/columns.py _SHAPES (the value shape a hinted column's cells need)
OLD_SHAPES = {'CARD_SECURITY_CODE': ('^\\d{3,4}$', 0.7), 'JOB_TITLE': ("^[A-Za-z][A-Za-z .,&/'()\\-]{1,80}$", 0.6), 'ORGANIZATION': ('^[^\\s].*[A-Za-z].*$', 0.6), 'PERSON': ("^[\\p{Lu}][\\p{L}'.\\-]*(?:[ ,]+[\\p{Lu}][\\p{L}'.\\-]*){0,3}$", 0.6), 'POSTAL_CODE': ('^\\d{5}(?:-\\d{4})?$|^[A-Z]\\d[A-Z] ?\\d[A-Z]\\d$|^[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}$', 0.6)}  # fmt: skip

# detectors/columns.py CPNI_HINTS
OLD_CPNI_HINTS = frozenset(["billedminutes", "callduration", "calledNumber", "calledparty", "callend", "callingNumber", "callingparty", "callstart", "callstarttime", "calltype", "cellid", "celltower", "circuit", "circuitid", "destination", "dialednumber", "duration", "durationsec", "durationseconds", "minutes", "minutesofuse", "mou", "origin", "plan", "rateplan", "serviceaddress", "servicelocation", "trunk", "trunkid", "usage"])  # fmt: skip

# detectors/filters.py NUMERIC_ENTITIES
OLD_NUMERIC = frozenset(
    ["ABA_ROUTING_NUMBER", "CREDIT_CARD", "PHONE_NUMBER", "US_BANK_NUMBER", "US_EIN", "US_ITIN", "US_SSN"]
)

# detectors/testvalues.py TEST_VALUES
OLD_TEST_VALUES = {k: frozenset(v) for k, v in {"CREDIT_CARD": ["2222400070000005", "2223003122003222", "3056930009020004", "340000000000009", "3530111333300000", "3566002020360505", "36227206271667", "371449635398431", "378282246310005", "378734493671000", "4000000000000002", "4000000000000077", "4000056655665556", "4012888888881881", "4111111111111111", "4222222222222", "4242424242424242", "5105105105105100", "5200828282828210", "5425233430109903", "5500000000000004", "5555555555554444", "6011000990139424", "6011111111111117", "6200000000000005"], "US_SSN": ["078051120", "123456789", "219099999"]}.items()}  # fmt: skip

# detectors/pipeline.py supported_entities(): DEFAULT_ENTITIES, the recognizers' entities, HINT_ONLY, CPNI
OLD_SUPPORTED = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "US_BANK_NUMBER", "IBAN_CODE", "ABA_ROUTING_NUMBER", "DATE_OF_BIRTH", "JOB_TITLE", "MAC_ADDRESS", "MASKED_PAN", "ORGANIZATION", "POSTAL_CODE", "STREET_ADDRESS", "URL", "US_EIN", "US_ITIN", "USER_AGENT", "CARD_SECURITY_CODE", "CPNI"]  # fmt: skip

# pdscan/dsar/identifiers.py ENTITY
OLD_DSAR = {"name": "PERSON", "email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "ssn": "US_SSN", "card_last4": "CREDIT_CARD", "account": "US_BANK_NUMBER"}  # fmt: skip

# reports/pfi.py PFI_ENTITIES
OLD_PFI = ("CREDIT_CARD", "MASKED_PAN", "CARD_SECURITY_CODE", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER", "IBAN_CODE")

# pdscan/core/masking.py MASKERS (entity -> the function, by its new name) and NORMALIZERS; the rest
# had the generic masker (first and last character) and the text normalizer (case-folded words).
OLD_MASKERS = {
    **dict.fromkeys(
        ["US_SSN", "US_ITIN", "US_EIN", "MASKED_PAN", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER"], "mask_last4"
    ),
    "CREDIT_CARD": "mask_card",
    "PHONE_NUMBER": "mask_last2",
    "EMAIL_ADDRESS": "mask_email",
    "IP_ADDRESS": "mask_ip",
    "IBAN_CODE": "mask_iban",
    "PERSON": "mask_words",
    "STREET_ADDRESS": "mask_words",
    "URL": "mask_url",
    "USER_AGENT": "mask_user_agent",
    "MAC_ADDRESS": "mask_mac",
    "DATE_OF_BIRTH": "mask_date",
}
OLD_NORMALIZERS = {
    **dict.fromkeys(["US_SSN", "US_ITIN", "US_EIN", "CREDIT_CARD", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER"], "digits"),
    "PHONE_NUMBER": "normalize_phone",
    "EMAIL_ADDRESS": "normalize_email",
    "MAC_ADDRESS": "normalize_mac",
    "IP_ADDRESS": "normalize_ip",
    "IBAN_CODE": "normalize_iban",
    "MASKED_PAN": "normalize_masked_pan",
}

# detectors/prefilter.py GATES and the recognizer modules' GATES, by name
OLD_GATES = frozenset(["aba_routing.digits", "credit_card.context", "credit_card.digits", "date_of_birth.date", "email", "iban", "ip", "job_title.words", "mac_address.hex", "masked_pan.masks", "name", "organization.legal", "organization.ner", "person_name.words", "phone", "phone.number", "postal_code.context", "street_address.corner", "street_address.foreign", "street_address.forms", "street_address.us", "url.web", "us_bank.digits", "us_ein.digits", "us_itin.digits", "us_ssn.digits", "user_agent.product"])  # fmt: skip

# pdscan's recognizers in the analyzer's registry, in order (after Presidio's predefined ones)
OLD_RECOGNIZERS = ["UsLicenseRecognizer", "UsPassportRecognizer", "NhsRecognizer", "CryptoRecognizer", "DateRecognizer", "IbanRecognizer", "IpRecognizer", "MedicalLicenseRecognizer", "UuidRecognizer", "AbaRoutingNumberRecognizer", "PaymentCardRecognizer", "CardNumberInContextRecognizer", "DateOfBirthRecognizer", "EmailAddressRecognizer", "JobTitleRecognizer", "HardwareAddressRecognizer", "MaskedCardRecognizer", "OrganizationRecognizer", "LegalNameRecognizer", "SpacyRecognizer", "PersonNameRecognizer", "PhoneNumberRecognizer", "PostalCodeRecognizer", "StreetAddressRecognizer", "WebUrlRecognizer", "BankAccountNumberRecognizer", "UsEinRecognizer", "IndividualTaxpayerIdRecognizer", "SocialSecurityNumberRecognizer", "UserAgentRecognizer"]  # fmt: skip

# detectors/columns.py STRONG, WEAK (how a column's matches make a verdict) and NOT_IN_ID_COLUMNS
OLD_STRONG = frozenset({"EMAIL_ADDRESS", "IBAN_CODE"})
OLD_WEAK = frozenset({"PERSON", "ORGANIZATION", "JOB_TITLE", "STREET_ADDRESS", "POSTAL_CODE", "US_BANK_NUMBER"})
OLD_NOT_IN_ID_COLUMNS = frozenset({"CREDIT_CARD", "US_BANK_NUMBER"})

# detectors/filters.py _AMBIGUOUS_NUMBERS (number_labeled_as_other)
OLD_AMBIGUOUS_NUMBERS = frozenset({"PHONE_NUMBER", "US_SSN", "US_BANK_NUMBER", "US_ITIN", "US_EIN"})

# detectors/pipeline.py WORD_ENTITIES, CONTAINERS and CARRIED
OLD_WORD_ENTITIES = frozenset({"PERSON", "ORGANIZATION"})
OLD_CONTAINERS = frozenset({"USER_AGENT", "URL", "EMAIL_ADDRESS", "STREET_ADDRESS", "IBAN_CODE"})
OLD_CARRIED = frozenset({("URL", "EMAIL_ADDRESS")})

# pdscan/dsar/disclosure.py is_cvv and pdscan/dsar/package.py _piece: the entity never disclosed
OLD_WITHHELD = ("CARD_SECURITY_CODE",)
