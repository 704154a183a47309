"""pdscan's own entities, one module each, every one defining `SPEC` (a pdscan.core.entities.EntitySpec).

`pdscan.detectors.plugin` registers them, in the order of `MODULES`, through the
`pdscan_entities` hook, as a third party's entities are registered.
"""

MODULES = (
    "person",
    "email_address",
    "phone_number",
    "credit_card",
    "us_ssn",
    "ip_address",
    "us_bank_number",
    "iban_code",
    "aba_routing_number",
    "date_of_birth",
    "job_title",
    "mac_address",
    "masked_pan",
    "organization",
    "postal_code",
    "street_address",
    "url",
    "us_ein",
    "us_itin",
    "user_agent",
    "card_security_code",
    "cpni",
)
