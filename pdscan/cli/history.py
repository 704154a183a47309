"""Commands over the findings store: `pdscan scans`, `pdscan diff`, `pdscan findings`, `pdscan label`."""

from __future__ import annotations

import json

import click

from pdscan.app import history
from pdscan.app.common import existing_store
from pdscan.cli.base import cli, config_option, finish, split_list, store_option
from pdscan.store import LABELS, finding_identity


@cli.command("scans")
@store_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def scans_command(store_url, config_path, fmt):
    """List the scans in the store: id, start and end (or interrupted, or unfinished), findings, sources.

    Example: pdscan scans --store team.db
    """
    rows = history.scans(existing_store(store_url, config_path))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No scans yet.")
    for r in rows:
        state = "interrupted" if r["interrupted"] else r["finished"] or "unfinished"
        click.echo(f"{r['id']:>5}  {r['started']}  {state:<25}  {r['findings']:>6} findings  {', '.join(r['sources'])}")


@cli.command("diff")
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
    found = history.diff(existing_store(store_url, config_path), old, new, split_list(fail_on))
    result, labels = found.result, found.labels
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "old": found.old,
                    "new": found.new,
                    "containers_compared": result.compared,
                    "containers_deleted": result.deleted,
                    "hidden_false_positives": result.hidden,
                    "added": [_row(f, labels) for f in result.added],
                    "resolved": [_row(f, labels) for f in result.resolved],
                },
                indent=2,
            )
        )
    else:
        head = f"scan {found.old} -> {found.new}: {result.compared} containers compared"
        if result.deleted:
            head += f", {result.deleted} deleted"
        click.echo(head)
        for sign, changed in (("+", result.added), ("-", result.resolved)):
            for f in changed:
                where = f.location.container + (f" [{f.location.field}]" if f.location.field else "")
                mark = "  (accepted)" if labels.of(f) == "accepted" else ""
                click.echo(
                    f"{sign} {f.category:<15} {f.entity:<18} {where}  {f.sample}  {finding_identity(f)[:12]}{mark}"
                )
        tail = f"{len(result.added)} new, {len(result.resolved)} resolved"
        if result.hidden:
            tail += f" ({result.hidden} labelled false positive not shown)"
        click.echo(tail)
    finish(found.exit_code)


def _row(f, labels) -> dict:
    return {**f.to_dict(), "identity": finding_identity(f), "label": labels.of(f)}


@cli.command("label")
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
    from pdscan.core.errors import UsageError

    store = existing_store(store_url, config_path)
    if list_labels:
        _list_labels(store.labels(include_removed=show_all), fmt)
        return
    if remove_id is not None:
        history.remove_label(store, remove_id)
        click.echo(f"label {remove_id} removed")
        return
    if label is None:
        raise UsageError("give --as false_positive|accepted (or --list, or --remove ID)")
    if finding:
        label_id, found = history.label_finding(store, finding, label, note, entity)
        click.echo(f"label {label_id}: {found.entity} in {found.location.container} is {label}")
    elif source or container or field_name or entity:
        label_id, where = history.label_location(store, label, note, source, container, field_name, entity, config_path)
        click.echo(f"label {label_id}: every finding in {where} is {label}")
    else:
        raise UsageError("give a finding's IDENTITY or a location (--source/--container/--field/--entity)")


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


@cli.command("findings")
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
    store = existing_store(store_url, config_path)
    rows, labels = history.findings(store, split_list(entities), split_list(categories), container, label_filter, as_of)
    if fmt == "json":
        click.echo(json.dumps([{**_row(f, labels), "label": label} for f, label in rows], indent=2))
        return
    for f, label in rows:
        where = f.location.container + (f" [{f.location.field}]" if f.location.field else "")
        line = f"{finding_identity(f)[:12]}  {f.category or '-':<15} {f.entity:<18} {where}  {f.sample}"
        click.echo(line + (f"  ({label})" if label else ""))
    click.echo(f"{len(rows)} findings", err=True)
