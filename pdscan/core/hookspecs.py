"""The hooks a plugin implements: entities, recognizers, connectors, file formats, output formats.

A plugin is a module (or object) with functions marked `@hookimpl`, found through the
`pdscan` entry-point group. pdscan's own entities, connectors and formats register
through the same hooks (`pdscan.core.plugins.BUILTINS`). Each hook returns a list.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("pdscan")
hookimpl = pluggy.HookimplMarker("pdscan")


@hookspec
def pdscan_entities():
    """`EntitySpec`s (pdscan.core.entities) of the entities this plugin adds."""


@hookspec
def pdscan_recognizers():
    """Presidio `EntityRecognizer` instances, for existing or new entities (each entity needs an
    `EntitySpec` from some `pdscan_entities`). A recognizer for an entity no gate lets through gets
    a prefilter gate made from its `patterns`; one without patterns RE2 can run sees every value
    that is not blank (pdscan.detectors.gates.all_gates)."""


@hookspec
def pdscan_connectors():
    """`Connector` classes (pdscan.connectors.base), each declaring the URL schemes it reads."""


@hookspec
def pdscan_formats():
    """`Format` classes (pdscan.connectors.formats) for file and object contents."""


@hookspec
def pdscan_output_formats():
    """`OutputFormat`s (a scan's findings) and `ReportFormat`s (compliance reports, DSAR answers):
    pdscan.reports.formats. A name already registered keeps its first format."""
