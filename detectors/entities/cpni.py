"""CPNI: call-detail columns in a table that also holds phone numbers."""

from __future__ import annotations

from pdscan.core import masking
from pdscan.core.entities import EntitySpec

# Call-detail column names: CPNI when the same table also holds phone numbers.
CALL_DETAIL_COLUMNS: tuple[str, ...] = tuple(
    ["calledNumber", "callingNumber", "calledparty", "callingparty", "callstart", "callstarttime", "callend",
     "callduration", "duration", "durationsec", "durationseconds", "minutesofuse", "mou", "minutes", "rateplan",
     "plan", "trunk", "trunkid", "circuit", "circuitid", "servicelocation", "serviceaddress", "cellid",
     "celltower", "destination", "origin", "billedminutes", "calltype", "usage", "dialednumber"]
)  # fmt: skip

SPEC = EntitySpec(
    name="CPNI",
    category="cpni",
    description="call-detail columns in a table that also holds phone numbers",
    masker=masking.mask_generic,
    normalizer=masking.normalize_text,
    absent={
        "recognizers": "a column finding of a table (pdscan.columnfindings), not a value in text",
        "gates": "no recognizer: call-detail column names beside phone numbers make the finding",
        "column_hints": "its columns (CALL_DETAIL_COLUMNS) need phone numbers beside them: no column name alone says CPNI",
    },
    extra={"call_detail_columns": CALL_DETAIL_COLUMNS},
)
