"""Commands over the findings store: `pdscan scans`, `pdscan diff`, `pdscan label`."""

from __future__ import annotations

import json
import os
import sys

import click

from pdscan.config import ConfigError
from pdscan.config import load as load_config
from pdscan.history import STORE_ENV, gated
from pdscan.store import LABELS, Store, StoreError, finding_identity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

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
    failing = gated(result.added, categories)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "old": old,
                    "new": new,
                    "containers_compared": result.compared,
                    "added": [{**f.to_dict(), "identity": finding_identity(f)} for f in result.added],
                    "resolved": [{**f.to_dict(), "identity": finding_identity(f)} for f in result.resolved],
                },
                indent=2,
            )
        )
    else:
        click.echo(f"scan {old} -> {new}: {result.compared} containers compared")
        for sign, found in (("+", result.added), ("-", result.resolved)):
            for f in found:
                where = f.location.container + (f" [{f.location.field}]" if f.location.field else "")
                click.echo(f"{sign} {f.category:<15} {f.entity:<18} {where}  {f.sample}  {finding_identity(f)[:12]}")
        click.echo(f"{len(result.added)} new, {len(result.resolved)} resolved")
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


@click.command("label")
@click.argument("finding", required=False, metavar="[IDENTITY]")
@click.option("--as", "label", type=click.Choice(LABELS), required=True, help="The reviewer's verdict.")
@click.option("--source", help="Label a whole location: every finding of this source ...")
@click.option("--container", help="... in containers starting with this (a file, folder, table, object key) ...")
@click.option("--field", "field_name", help="... and this field or column.")
@click.option("--note", help="Why (kept with the label).")
@store_option
@config_option
def label_command(finding, label, source, container, field_name, note, store_url, config_path):
    """Mark a finding (by the identity `pdscan diff` shows) or a whole location as a false
    positive or accepted. Labelled findings are left out of diffs, gates and reports until
    they change.

    Example: pdscan label 3f2a9c1d07b4 --as false_positive --note "test fixture"
    """
    from pdscan.cli import UsageProblem

    store = open_store(store_url, config_path)
    if finding:
        found = store.find_by_identity(finding)
        if found is None:
            raise UsageProblem(f"no finding with identity {finding} in the store")
        store.label(label, note, finding=found)
        click.echo(f"labelled {found.entity} in {found.location.container} as {label}")
    elif source or container:
        store.label(label, note, source=source, container=container, field=field_name)
        click.echo(f"labelled every finding in {source or ''} {container or ''} {field_name or ''} as {label}")
    else:
        raise UsageProblem("give a finding's IDENTITY or a location (--source/--container/--field)")
