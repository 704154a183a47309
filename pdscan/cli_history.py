"""Commands over the findings store: `pdscan scans`, `pdscan diff`, `pdscan label`."""

from __future__ import annotations

import json
import os
import sys

import click

from pdscan.config import load as load_config
from pdscan.core.errors import EXIT_CLEAN, EXIT_FINDINGS, ConfigError, StoreError
from pdscan.history import STORE_ENV, gated
from pdscan.store import LABELS, Store, finding_identity, in_container

store_option = click.option(
    "--store", "store_url", metavar="URL|FILE",
    help="Findings store: a SQLite file or SQLAlchemy URL (default: $PDSCAN_STORE, the config's store, ./pdscan.db).",
)  # fmt: skip
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default ./pdscan.yaml)."
)


def open_store(store_url: str | None, config_path: str | None) -> Store:
    from pdscan.cli import Fatal, UsageProblem
    from pdscan.connectors.registry import redact

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    url = store_url or os.environ.get(STORE_ENV) or config.store
    if url and "://" not in url and not os.path.exists(url):
        raise UsageProblem(f"no findings store at {url}: run `pdscan scan` first")
    if not url and not os.path.exists("pdscan.db"):
        raise UsageProblem("no findings store here (./pdscan.db): run `pdscan scan` first, or give --store")
    try:
        return Store(url)
    except StoreError as exc:
        raise Fatal(f"{redact(url or 'pdscan.db')}: {exc}") from None


@click.command("scans")
@store_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def scans_command(store_url, config_path, fmt):
    """List the scans in the store: id, start and end (or interrupted, or unfinished), findings, sources.

    Example: pdscan scans --store team.db
    """
    store = open_store(store_url, config_path)
    rows = store.scan_list()
    if fmt == "json":
        out = [
            {
                **r,
                "sources": json.loads(r["sources"]),
                "summary": json.loads(r["summary"] or "null"),
                "interrupted": bool(r["interrupted"]),
            }
            for r in rows
        ]
        click.echo(json.dumps(out, indent=2))
        return
    if not rows:
        click.echo("No scans yet.")
    for r in rows:
        state = "interrupted" if r["interrupted"] else r["finished"] or "unfinished"
        click.echo(
            f"{r['id']:>5}  {r['started']}  {state:<25}  {r['findings']:>6} findings  {', '.join(json.loads(r['sources']))}"
        )


@click.command("diff")
@click.argument("old", type=int, required=False)
@click.argument("new", type=int, required=False)
@store_option
@config_option
@click.option(
    "--fail-on", multiple=True, metavar="CATEGORIES",
    help="Exit 1 only for new findings in these policy categories (comma-separated; default: all).",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def diff_command(old, new, store_url, config_path, fail_on, fmt):
    """New and resolved findings between two scans (default: the last two).

    Only containers scanned in both runs are compared. Exit 1 when there are new findings
    in the chosen categories, 0 when none.

    Example: pdscan diff 3 5 --fail-on pfi,ssn_ein
    """
    from pdscan.cli import UsageProblem, _split_list

    store = open_store(store_url, config_path)
    if old is None or new is None:
        last = store.last_scans(2)
        if len(last) < 2:
            raise UsageProblem("the store has fewer than two finished scans to compare")
        old, new = (old, last[-1]) if old is not None else (last[0], last[1])
    known = {r["id"] for r in store.scan_list()}
    for scan in (old, new):
        if scan not in known:
            raise UsageProblem(f"no scan {scan} in the store (see `pdscan scans`)")
    categories = {c.lower() for c in _split_list(fail_on)} or None  # `PFI` is `pfi`
    result = store.diff(old, new)
    labels = store.label_set()
    failing = [f for f in gated(result.added, categories) if labels.of(f) is None]  # accepted never fails
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "old": old,
                    "new": new,
                    "containers_compared": result.compared,
                    "containers_deleted": result.deleted,
                    "hidden_false_positives": result.hidden,
                    "added": [_diff_row(f, labels) for f in result.added],
                    "resolved": [_diff_row(f, labels) for f in result.resolved],
                },
                indent=2,
            )
        )
    else:
        head = f"scan {old} -> {new}: {result.compared} containers compared"
        if result.deleted:
            head += f", {result.deleted} deleted"
        click.echo(head)
        for sign, found in (("+", result.added), ("-", result.resolved)):
            for f in found:
                where = f.location.container + (f" [{f.location.field}]" if f.location.field else "")
                mark = "  (accepted)" if labels.of(f) == "accepted" else ""
                click.echo(
                    f"{sign} {f.category:<15} {f.entity:<18} {where}  {f.sample}  {finding_identity(f)[:12]}{mark}"
                )
        tail = f"{len(result.added)} new, {len(result.resolved)} resolved"
        if result.hidden:
            tail += f" ({result.hidden} labelled false positive not shown)"
        click.echo(tail)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def _diff_row(f, labels) -> dict:
    return {**f.to_dict(), "identity": finding_identity(f), "label": labels.of(f)}


@click.command("label")
@click.argument("finding", required=False, metavar="[IDENTITY]")
@click.option("--as", "label", type=click.Choice(LABELS), help="The reviewer's verdict.")
@click.option("--source", help="Label a location: every finding of this source (path, URL or configured name) ...")
@click.option(
    "--container", help="... in this container or folder (relative to the source, or as scanned; `logs/*` a prefix) ..."
)
@click.option("--field", "field_name", help="... in this field or column ...")
@click.option("--entity", help="... of this entity only (IP_ADDRESS: not the USER_AGENT of the same field).")
@click.option("--note", help="Why (kept with the label).")
@click.option("--list", "list_labels", is_flag=True, help="List the labels in force (with --all: removed ones too).")
@click.option("--all", "show_all", is_flag=True, help="With --list: withdrawn labels too.")
@click.option("--remove", "remove_id", type=int, metavar="ID", help="Withdraw label ID (see --list).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="--list output format.")
@store_option
@config_option
def label_command(
    finding, label, source, container, field_name, entity, note, list_labels, show_all, remove_id, fmt, store_url,
    config_path,
):  # fmt: skip
    """Mark a finding (by the identity `pdscan findings` and `pdscan diff` show) or every finding
    of a location and entity as a false positive or accepted.

    false_positive: hidden from `pdscan scan` output (counted), diffs and reports, never fails a run.
    accepted: the data is known and may stay there: still in every inventory and right-to-know
    report, but never fails `--fail-on`. A finding's label lapses when its samples change.

    Example: pdscan label 3f2a9c1d07b4 --as false_positive --note "test fixture";
    pdscan label --container web.ndjson --field '$.ua' --entity IP_ADDRESS --as false_positive;
    pdscan label --list; pdscan label --remove 3
    """
    from pdscan.cli import UsageProblem

    store = open_store(store_url, config_path)
    if list_labels:
        _list_labels(store.labels(include_removed=show_all), fmt)
        return
    if remove_id is not None:
        if not store.remove_label(remove_id):
            raise UsageProblem(f"no label {remove_id} in force (see `pdscan label --list`)")
        click.echo(f"label {remove_id} removed")
        return
    if label is None:
        raise UsageProblem("give --as false_positive|accepted (or --list, or --remove ID)")
    if entity is not None:
        entity = entity.upper()
    if finding:
        found = store.find_by_identity(finding)
        if found is None:
            raise UsageProblem(f"no finding with identity {finding} in the store (see `pdscan findings`)")
        if entity and entity != found.entity:
            raise UsageProblem(f"finding {finding} is {found.entity}, not {entity}")
        label_id = store.label(label, note, finding=found)
        click.echo(f"label {label_id}: {found.entity} in {found.location.container} is {label}")
    elif source or container or field_name or entity:
        root = _source_root(source, config_path) if source else None
        label_id = store.label(label, note, source=root, container=container, field=field_name, entity=entity)
        where = " ".join(part for part in (root, container, f"[{field_name}]" if field_name else None, entity) if part)
        click.echo(f"label {label_id}: every finding in {where} is {label}")
    else:
        raise UsageProblem("give a finding's IDENTITY or a location (--source/--container/--field/--entity)")


def _source_root(source: str, config_path: str | None) -> str:
    """A --source as findings name it: a configured name stays, a path or URL becomes its root."""
    from pdscan.engine import root_of

    config = load_config(config_path)
    names = config.source_names()
    if source in names.values():
        return source
    return root_of(source, names)


def _list_labels(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No labels.")
    for r in rows:
        if r["identity"]:
            what = f"finding {r['identity'][:12]} ({r['entity'] or '?'} in {r['container'] or '?'})"
        else:
            parts = [r["source"], r["container"], f"[{r['field']}]" if r["field"] else None, r["entity"]]
            what = "every finding in " + (" ".join(p for p in parts if p) or "every source")
        state = f"  removed {r['removed']}" if r.get("removed") else ""
        note = f"  -- {r['note']}" if r["note"] else ""
        click.echo(f"{r['id']:>4}  {r['label']:<14} {what}  {r['created']}{state}{note}")


@click.command("findings")
@click.option("--entity", "entities", multiple=True, metavar="LIST", help="Only these entities (comma-separated).")
@click.option("--category", "categories", multiple=True, metavar="LIST", help="Only these policy categories.")
@click.option("--container", help="Only this container or folder (`logs/*`: a prefix).")
@click.option(
    "--label", "label_filter", type=click.Choice(["none", *LABELS, "any"]),
    help="Only findings with this label (none: unlabelled; default: all but false positives).",
)  # fmt: skip
@click.option("--as-of", "as_of", type=int, metavar="SCAN", help="The findings current after scan SCAN.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@store_option
@config_option
def findings_command(entities, categories, container, label_filter, as_of, fmt, store_url, config_path):
    """List the current findings (each container as its latest scan left it; deleted ones gone)
    with their identities, for `pdscan label` and scripts. Masked samples only.

    Example: pdscan findings --category pfi --label none
    """
    from pdscan.cli import UsageProblem, _split_list
    from pdscan.core.errors import ReportError
    from pdscan.reportdata import current_findings

    store = open_store(store_url, config_path)
    try:
        current = current_findings(store, as_of)
    except ReportError as exc:
        raise UsageProblem(str(exc)) from None
    wanted_entities = {e.upper() for e in _split_list(entities)}
    wanted_categories = {c.lower() for c in _split_list(categories)}
    labels = store.label_set()
    rows = []
    for f in current:
        label = labels.of(f)
        if label_filter is None and label == "false_positive":
            continue
        if label_filter == "none" and label is not None or label_filter in LABELS and label != label_filter:
            continue
        if label_filter == "any" and label is None:
            continue
        if (
            wanted_entities
            and f.entity not in wanted_entities
            or wanted_categories
            and f.category not in wanted_categories
        ):
            continue
        if container and not in_container(f, container):
            continue
        rows.append((f, label))
    if fmt == "json":
        click.echo(json.dumps([{**_diff_row(f, labels), "label": label} for f, label in rows], indent=2))
        return
    for f, label in rows:
        where = f.location.container + (f" [{f.location.field}]" if f.location.field else "")
        line = f"{finding_identity(f)[:12]}  {f.category or '-':<15} {f.entity:<18} {where}  {f.sample}"
        click.echo(line + (f"  ({label})" if label else ""))
    click.echo(f"{len(rows)} findings", err=True)
