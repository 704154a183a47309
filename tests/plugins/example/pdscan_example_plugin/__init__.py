"""An example pdscan plugin: a new entity with a pattern recognizer, and a connector.

- `EMPLOYEE_ID` (`EMP-` and six digits), in the policy's `identifiers` category, found by a
  Presidio `PatternRecognizer`; pdscan derives its prefilter gate from the pattern.
- `kv://PATH`: files of `key=value` lines, read as a table (one column per key).

Installed, it is found through the `pdscan` entry-point group (pyproject.toml); nothing in pdscan
is edited. docs/extending.md walks through it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.connectors.base import Batch, Connector, Item
from pdscan.core.entities import EntitySpec
from pdscan.core.errors import ItemError
from pdscan.core.hookspecs import hookimpl
from pdscan.core.masking import mask_last4

EMPLOYEE_ID = EntitySpec(
    name="EMPLOYEE_ID",
    category="identifiers",
    description="EMP- and six digits, the HR system's employee number",
    masker=mask_last4,
    normalizer=lambda value: value.strip().upper(),
    column_hints=("employeeid", "empid", "employeenumber"),
)


class EmployeeIdRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("employee id", r"\bEMP-\d{6}\b", 0.6)]
    CONTEXT = ["employee", "staff", "badge"]

    def __init__(self):
        super().__init__(supported_entity="EMPLOYEE_ID", patterns=self.PATTERNS, context=self.CONTEXT)


class KeyValueConnector(Connector):
    """`kv://PATH`: one file of `key=value` lines; each key is a column, each line a row."""

    schemes = ("kv",)

    def items(self, results):
        path = Path(self.source.split("://", 1)[1])
        yield Item(source=self.source, container=str(path), size=path.stat().st_size, handle=str(path))

    def read(self, item, result):
        if not Path(item.handle).is_file():
            raise ItemError("unsupported_format", "not a regular file")
        columns: dict[str, list[tuple[int, str]]] = defaultdict(list)
        with open(item.handle, encoding="utf-8") as fh:
            for row, line in enumerate(fh):
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    columns[key.strip()].append((row, value.strip()))
        for key, cells in columns.items():
            rows = np.array([row for row, _ in cells], dtype=np.int64)
            yield Batch(values=pa.array([v for _, v in cells], pa.string()), field=key, tabular=True, rows=rows)


@hookimpl
def pdscan_entities():
    return [EMPLOYEE_ID]


@hookimpl
def pdscan_recognizers():
    return [EmployeeIdRecognizer()]


@hookimpl
def pdscan_connectors():
    return [KeyValueConnector]
