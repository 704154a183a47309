"""What a report is given: plain data, built by the application (pdscan.reportdata), never a store.

A report reads the policy's terms, the config's word on each source, and a `View` of the
findings (pdscan.reports.view); it opens no store, no config and no policy file itself. Each
piece is a frozen dataclass a test (or a plugin) can build by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pdscan.reports.counts import DEFAULT_COLUMN_SAMPLE


@dataclass(frozen=True)
class Category:
    """One category of personal data of the policy."""

    id: str
    label: str
    ccpa: str
    sensitive: bool = False
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Purpose:
    """A business or marketing purpose of the policy, the categories it uses and its lawful basis."""

    group: str
    purpose: str
    categories: tuple[str, ...]
    basis: str
    marketing: bool = False


@dataclass(frozen=True)
class PolicyTerms:
    """What the reports say of the policy: its categories, purposes, exceptions and CCPA terms."""

    id: str
    name: str
    categories: Mapping[str, Category]  # in the policy's order
    purposes: tuple[Purpose, ...] = ()
    retention_exceptions: Mapping[str, str] = field(default_factory=dict)
    entity_categories: Mapping[str, str] = field(default_factory=dict)  # entity -> category id
    response_days: int = 45
    lookback_months: int = 12
    minor_age: int | None = 18
    minor_action: str | None = None

    def ccpa_of(self, entity: str) -> str | None:
        category = self.categories.get(self.entity_categories.get(entity, ""))
        return category.ccpa if category else None

    def purposes_for(self, category_id: str) -> list[Purpose]:
        return [p for p in self.purposes if category_id in p.categories]


@dataclass(frozen=True)
class SourceInfo:
    """The config's word on one source: its name, owner, category of source, third parties."""

    url: str  # a path, a database URL or s3://bucket/prefix, as the config gives it
    name: str | None = None
    owner: str | None = None
    source_category: str | None = None
    third_parties: tuple[str, ...] | None = None  # None: the config does not say; (): shared with none
    purposes: tuple[str, ...] = ()
    retention: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportInput:
    """Everything a compliance report is built from besides its view."""

    policy: PolicyTerms
    sources: tuple[SourceInfo, ...] = ()
    column_sample: int = DEFAULT_COLUMN_SAMPLE  # a column decided on this many values (0: every value)
    since: str = ""  # right-to-know: the look-back's start (ISO time)
