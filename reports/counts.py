"""Places and values: what the reports count, and how sure each count is.

A finding is not a unit a reader can add up: a column finding stands for every matching value of
its column (40 card numbers), a match in text for one value. So the reports count places (a
container, or a column or field of one) apart from values (the matching cells or matches), and say
"at least" where part of a place went unread: a column decided on its first values
(`column_sample`), an item read as a sample, partly, or with more records than values checked.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_COLUMN_SAMPLE = 1000  # pdscan.config.Config.column_sample


@dataclass(frozen=True)
class Values:
    """Values found at a place: `found` counted, `estimate` scaled to the whole column, `exact` if all was read."""

    found: int
    estimate: int
    exact: bool

    def __add__(self, other: Values) -> Values:
        return Values(self.found + other.found, self.estimate + other.estimate, self.exact and other.exact)

    @property
    def text(self) -> str:
        if self.exact:
            return f"{self.found:,}"
        if self.estimate > self.found:
            return f"at least {self.found:,} (about {self.estimate:,} in all)"
        return f"at least {self.found:,}"


NONE = Values(0, 0, True)


def _read_whole(item: dict | None) -> bool:
    return bool(item) and item["status"] == "complete" and not item.get("sampled")


def values_of(finding, item: dict | None, column_sample: int = DEFAULT_COLUMN_SAMPLE) -> Values:
    """The values one finding stands for, given its item's store row (None when unknown)."""
    whole = _read_whole(item)
    if finding.kind != "column":
        return Values(1, 1, whole)
    found, checked = finding.matches or 0, finding.sampled or 0
    unchecked = finding.unchecked
    records = (item or {}).get("records") or 0
    if unchecked is None and column_sample and checked == column_sample and records > checked:
        unchecked = records - checked  # decided on the column's first values; the store keeps no count of the rest
    estimate = round(found * (checked + unchecked) / checked) if unchecked and checked else found
    return Values(found, max(estimate, found), whole and not unchecked)


def sum_values(seen: list, items: dict, column_sample: int = DEFAULT_COLUMN_SAMPLE) -> Values:
    """Values of many findings (`Seen` rows of a view) with `items` the view's (source, container) rows."""
    total = NONE
    for s in seen:
        f = s.finding
        total = total + values_of(f, items.get((f.source, f.location.container)), column_sample)
    return total


def place_of(finding) -> tuple[str, str, str]:
    """A place: (source, container, field); text matches anywhere in a container share the field ''."""
    return (finding.source, finding.location.container, finding.location.field or "")


def place_kind(finding) -> str:
    """What a place is to a reader: a column or field, or the text of a file or object."""
    if finding.kind == "column":
        return "column"
    return "field" if finding.location.field else "text"
