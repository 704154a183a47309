"""Column verdicts of one container as findings: (column, entity) findings, then CPNI."""

from __future__ import annotations

from pdscan.columnstate import ColumnEntity, ColumnState
from pdscan.connectors.base import Item
from pdscan.core.model import Finding, ItemResult, Location
from pdscan.detectors import columns as column_rules


def column_findings(item: Item, result: ItemResult, columns: ColumnState, entities: set[str]) -> list[Finding]:
    """Column verdicts for one container, then CPNI: call-detail columns beside phone numbers."""
    by_field: dict[str, dict[str, column_rules.Evidence]] = {}
    for (fld, entity), column in columns.found.items():
        evidence = column_rules.Evidence(
            len(column.cells), columns.field(fld).checked, column.mean_score, len(column.fingerprints)
        )
        by_field.setdefault(fld, {})[entity] = evidence
    verdicts = {fld: column_rules.column_verdicts(fld, found) for fld, found in by_field.items()}
    kept = [
        _column_finding(item, result, fld, entity, column, columns)
        for (fld, entity), column in columns.found.items()
        if entity in verdicts[fld]
    ]
    has_phones = any(f.entity == "PHONE_NUMBER" for f in kept)
    if has_phones and "CPNI" in entities:
        for fld, state in columns.fields.items():
            if column_rules.is_cpni_field(fld) and state.checked:
                kept.append(_cpni_finding(item, result, fld, state.checked + state.unchecked))
    return kept


def _cpni_finding(item: Item, result: ItemResult, fld: str, sampled: int) -> Finding:
    return Finding(
        kind="column",
        entity="CPNI",
        score=0.7,
        detector="CpniColumnRule",
        source=result.source,
        location=Location(container=item.container, field=fld, extra=item.extra),
        sample="call-detail column beside phone numbers",
        matches=sampled,
        sampled=sampled,
        ratio=1.0,
        distinct=None,
        samples=[],
    )


def _column_finding(item, result, fld, entity, column: ColumnEntity, columns: ColumnState) -> Finding:
    state = columns.field(fld)
    matches = len(column.cells)
    sampled = max(state.checked, matches)
    return Finding(
        kind="column",
        entity=entity,
        score=column.mean_score,
        detector=column.detectors.most_common(1)[0][0],
        source=result.source,
        location=Location(container=item.container, field=fld, extra=item.extra + columns.places.get(fld, ())),
        sample=column.samples[0],
        fingerprint=None,
        value=column.values[0] if column.values else None,  # only with --reveal
        test_data=column.test_cells == matches,
        matches=matches,
        sampled=sampled,
        ratio=matches / sampled if sampled else 0.0,
        distinct=len(column.fingerprints),
        samples=list(column.samples),
        values=list(column.values) or None,
        unchecked=state.unchecked or None,
        minors=column.minors or None,
    )
