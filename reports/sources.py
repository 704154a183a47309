"""The config's word on a store: which `sources:` entry (a `SourceInfo`) a finding's source is, its name and owner.

A finding's `source` is the source as scanned: the path or URL as typed, or (once identities are
rooted) the configured source name or the resolved absolute path. An entry matches by any of
them: its url as given, the url without credentials, its resolved absolute path, or its name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from pdscan.core.urls import redact, root_of
from pdscan.reports.model import SourceInfo

NOT_SAID = "unknown (the config does not say)"
NONE_DECLARED = "none (the config declares none)"


def _plain_path(url: str) -> bool:
    return "://" not in url


def spec_keys(spec: SourceInfo) -> set[str]:
    """Every spelling of the entry's source a finding may carry."""
    keys = {spec.url.rstrip("/"), redact(spec.url).rstrip("/")}
    if _plain_path(spec.url):
        keys.add(os.path.abspath(spec.url).rstrip("/"))
        keys.add(os.path.realpath(spec.url).rstrip("/"))
    if spec.name:
        keys.add(spec.name)
    keys.add(root_of(spec.url))  # as findings name an unnamed source (a file's folder, a SQLite file's path)
    return keys


def spec_of(sources: Iterable[SourceInfo], source: str) -> SourceInfo | None:
    """The config's entry for `source`, or None when the config does not describe it."""
    wanted = {source.rstrip("/")}
    if _plain_path(source):
        wanted.add(os.path.abspath(source).rstrip("/"))
    for spec in sources:
        if wanted & spec_keys(spec):
            return spec
    return None


def store_label(spec: SourceInfo | None, source: str) -> str:
    """How a report names a store: the config's name, else the source as stored."""
    return spec.name if spec and spec.name else source


def owner_of(spec: SourceInfo | None) -> str:
    return spec.owner if spec and spec.owner else NOT_SAID


def third_parties_of(spec: SourceInfo | None) -> list[str]:
    """The categories of third parties, "none" when the config declares `[]`, unknown when it is silent."""
    if spec is None or spec.third_parties is None:
        return [NOT_SAID]
    return list(spec.third_parties) or [NONE_DECLARED]


class Stores:
    """The config's entries looked up once per source of a report."""

    def __init__(self, sources: Sequence[SourceInfo] = ()):
        self.sources = sources
        self._specs: dict[str, SourceInfo | None] = {}

    def spec(self, source: str) -> SourceInfo | None:
        if source not in self._specs:
            self._specs[source] = spec_of(self.sources, source)
        return self._specs[source]

    def label(self, source: str) -> str:
        return store_label(self.spec(source), source)

    def owner(self, source: str) -> str:
        return owner_of(self.spec(source))

    def columns(self, source: str) -> dict[str, str]:
        """The row keys every report's store cells use: store (as stored), store_name, owner."""
        return {"store": source, "store_name": self.label(source), "owner": self.owner(source)}
