"""`pdscan report KIND`: compliance reports from the findings store (never from the sources)."""

from __future__ import annotations

import click

from pdscan.app.common import existing_store, write_file
from pdscan.app.report import KINDS, report
from pdscan.cli.base import RegistryChoice, cli, config_option, store_option
from pdscan.config import load as load_config
from pdscan.reports.formats import report_formats


@cli.command("report")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--format", "fmt", type=RegistryChoice(report_formats), default="md", show_default=True,
    help="json (machine), csv (one flat table), md, or html (one self-contained page with a chart).",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@store_option
@config_option
@click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False),
    help="Privacy policy file (default: the config's, else the bundled Fusion 2020-10 policy).",
)  # fmt: skip
@click.option("--scan", "scan_id", type=int, help="Report on this scan only (default: each item's latest scan).")
@click.option(
    "--as-of", "as_of", type=int, metavar="SCAN",
    help="Report the state after scan SCAN (history; default: now: deleted containers left out).",
)  # fmt: skip
def report_command(kind, fmt, output, store_url, config_path, policy_path, scan_id, as_of):
    """Compliance reports from the findings store: `inventory` (categories by location, with
    coverage), `pfi` (where Protected Financial Information is) and `right-to-know` (the CCPA
    inventory: categories, sources, purposes, third parties). Findings labelled false positives
    are left out and counted as suppressed; accepted ones are kept (accepted data is still collected). No raw value is ever shown: masked samples only.

    Example: pdscan report pfi --format html --output pfi.html
    """
    from pdscan.policy import load_policy
    from pdscan.reports.render import render

    config = load_config(config_path)
    policy = load_policy(policy_path or config.policy)
    text = render(report(existing_store(store_url, config_path), kind, policy, config, scan_id, as_of), fmt)
    if output:
        write_file(output, text)  # locations of personal data: 0600 whatever an earlier file's mode
        click.echo(f"pdscan: {kind} report written to {output}", err=True)
    elif fmt == "md" and click.get_text_stream("stdout").isatty():
        from pdscan.reports.terminal import show

        show(text)
    else:  # a file or a pipe: the markdown itself
        click.echo(text, nl=False)
