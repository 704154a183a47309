"""`pdscan report KIND`: compliance reports from the findings store (never from the sources)."""

from __future__ import annotations

import click

from pdscan.cli_history import config_option, open_store, store_option
from pdscan.config import load as load_config
from pdscan.core.errors import ConfigError
from pdscan.reports.formats import report_formats

KINDS = ("inventory", "pfi", "right-to-know")  # pdscan.reportdata.build_report
REPORT_FORMATS = tuple(report_formats())  # json, csv, md, html: pdscan.reports.formats


@click.command("report")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="md", show_default=True,
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
    from pdscan.cli import Fatal, UsageProblem
    from pdscan.core.errors import PolicyError, ReportError
    from pdscan.core.privatefile import write_private
    from pdscan.policy import load_policy
    from pdscan.reportdata import build_report
    from pdscan.reports.render import render

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    try:
        policy = load_policy(policy_path or config.policy)
    except PolicyError as exc:
        raise UsageProblem(str(exc)) from None
    store = open_store(store_url, config_path)
    try:
        if scan_id is not None and as_of is not None:
            raise ReportError("give --scan or --as-of, not both")
        report = build_report(store, kind, policy, config, scan_id, as_of)
    except ReportError as exc:
        raise UsageProblem(str(exc)) from None
    text = render(report, fmt)
    if output:
        try:  # locations of personal data: 0600 whatever an earlier file's mode (pdscan.core.privatefile)
            write_private(output, text)
        except OSError as exc:
            raise Fatal(f"cannot write {output}: {exc.strerror}") from None
        click.echo(f"pdscan: {kind} report written to {output}", err=True)
    elif fmt == "md" and click.get_text_stream("stdout").isatty():
        from pdscan.reports.terminal import show

        show(text)
    else:  # a file or a pipe: the markdown itself
        click.echo(text, nl=False)
