"""`pdscan dsar find|list|open|close|extend`: data subject requests (issue 7)."""

from __future__ import annotations

import sys

import click

from pdscan.app import cases
from pdscan.app.dsar import FindRequest, dsar_find
from pdscan.cli.base import RegistryChoice, cli, config_option, finish, store_option
from pdscan.connectors.cli import connector_options
from pdscan.connectors.registry import redact
from pdscan.dsar.identifiers import KINDS
from pdscan.reports.formats import answer_formats

# fmt: on


@cli.group("dsar")
def dsar_group() -> None:
    """Data subject requests under the policy's CCPA section: find what the sources hold about
    one person, answer within the policy's 45 days, keep the case log.

    Example: pdscan dsar find --identifiers person.yaml --format html --output case.html
    """


@dsar_group.command("find")
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--name", multiple=True, help="Full name, 'First Last' or 'Last, First' (repeatable).")
@click.option("--email", multiple=True, help="Email address (repeatable).")
@click.option("--phone", multiple=True, help="Phone number; US unless it starts with + (repeatable).")
@click.option("--ssn", multiple=True, help="SSN or EIN, with or without dashes (repeatable).")
@click.option("--card-last4", "card_last4", multiple=True, help="Last 4 digits of a card (repeatable).")
@click.option("--account", multiple=True, help="Account number (repeatable).")
@click.option("--identifiers", "identifiers_path", metavar="FILE|-",
              help="Read identifiers from a YAML/JSON file or stdin (-): {email: [...], ssn: ...}.")  # fmt: skip
@click.option("--format", "fmt", type=RegistryChoice(answer_formats), default="json", show_default=True,
              help="json for systems, md or html for people.")  # fmt: skip
@click.option("-o", "--output", metavar="FILE|-", help="Write the answer to FILE (mode 0600); - for stdout.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the answer to stdout (as -o -).")
@click.option("--evidence", "evidence_path", metavar="FILE|-",
              help="Also write the internal evidence (json: locations, methods, coverage, links) to FILE.")  # fmt: skip
@click.option("--for-deletion", is_flag=True, help="Write a deletion plan instead (internal, not executed).")
@click.option("--case", "case_id", help="Add this search to an open case (its type decides deletion plan or answer).")
@click.option("--dry-run", is_flag=True, help="Search and write the output without opening a case or an audit row.")
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), help="When the request arrived (default today).")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Privacy policy file.")
@click.option("--include", multiple=True, metavar="GLOB", help="Search only matching files, objects or tables.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files, objects or tables.")
@connector_options("find")
@click.option(
    "--stream",
    "sql_stream",
    is_flag=True,
    help="Databases: read every row and match in pdscan instead of filtering with WHERE clauses.",
)
@click.option(
    "--ocr",
    is_flag=True,
    help="Search images and scanned PDF pages by OCR (Tesseract); also `ocr: true` in the config.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@store_option
@config_option
def find_command(sources, identifiers_path, fmt, output, to_stdout, evidence_path, for_deletion, case_id, dry_run,
                 received, policy_path, include, exclude, sql_stream, ocr, quiet, store_url, config_path,
                 **given):  # fmt: skip
    """Find everything the sources hold about one person and write the answer package.

    Sources as in `pdscan scan` (paths, database URLs, s3://...), else the config's sources.
    A record matches on an email, phone, SSN/EIN or account number; a name or card's last four
    alone is a weaker, separately marked match. Exit 1: matches found; 0: none; 2: a source
    could not be searched (the answer is marked incomplete) or a usage error; 130: interrupted
    (Ctrl-C: no package written, the case stays open).

    Example: pdscan dsar find crm.db exports/ --email jane@example.com --phone 415-555-0187 -o jane.json
    """
    reading = {name: given.pop(name) for name in list(given) if name not in KINDS}  # the connectors' options
    request = FindRequest(
        sources=tuple(sources), identifiers={kind: given[kind] for kind in KINDS}, identifiers_path=identifiers_path,
        fmt=fmt, output=output, to_stdout=to_stdout, evidence_path=evidence_path, for_deletion=for_deletion,
        case_id=case_id, dry_run=dry_run, received=received.date() if received else None, policy_path=policy_path,
        include=tuple(include), exclude=tuple(exclude), sql_stream=sql_stream, store_url=store_url,
        config_path=config_path,
        reading=reading, ocr=ocr,
    )  # fmt: skip

    def warn(line: str) -> None:
        if not quiet:
            click.echo(f"pdscan: {line}", err=True)

    found = dsar_find(request, warn, sys.stdout)
    if found.interrupted:
        if found.case is None:
            click.echo("pdscan: dsar find interrupted: no case opened, no package written", err=True)
        else:
            click.echo(f"pdscan: dsar find interrupted: no package written; case {found.case.id} stays open "
                       f"(--case {found.case.id} to search again)", err=True)  # fmt: skip
        finish(found.exit_code)
    if found.dry_run:
        click.echo("pdscan: --dry-run: no case opened, no audit row written", err=True)
    if not quiet:
        _say_found(found)
    finish(found.exit_code)


def _say_found(found) -> None:
    answer, case = found.answer, found.case
    strong = sum(m.strength == "strong" for m in answer.matches)
    weak = sum(m.strength == "weak" for m in answer.matches)
    containers = len({(m.source, m.container) for m in answer.matches})
    where = f"written to {found.output} (mode 0600)" if found.output else "printed to stdout"
    click.echo(f"pdscan: case {case.id} (due {case.deadline}): {len(answer.matches)} matching records "
               f"({strong} strong, {weak} weak) in {containers} containers of "
               f"{len(answer.sources)} sources in {answer.seconds:.1f} s; package {where}", err=True)  # fmt: skip
    if not answer.complete:
        failed = [redact(x["source"]) for x in answer.sources if x["status"] == "failed"]
        click.echo("pdscan: INCOMPLETE answer: " + (f"sources failed: {', '.join(failed)}" if failed
                   else "some containers could not be read (see coverage)"), err=True)  # fmt: skip


@dsar_group.command("list")
@click.option("--all", "include_closed", is_flag=True, help="Closed cases too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@store_option
@config_option
def list_command(include_closed, fmt, store_url, config_path):
    """Open DSAR cases with their due dates, overdue first.

    Example: pdscan dsar list --format json
    """
    import json

    found = cases.list_cases(store_url, config_path, include_closed)
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in found], indent=2))
        return
    if not found:
        click.echo("No open DSAR cases.")
    for c in found:
        d = c.to_dict()
        state = (
            "closed"
            if c.status == "closed"
            else f"OVERDUE by {-d['days_left']} day{'' if d['days_left'] == -1 else 's'}"
            if d["overdue"]
            else f"{d['days_left']} days left"
        )
        extended = f"  extended: {c.extension_reason}" if c.extended_to else ""
        click.echo(f"{c.id}  {c.kind:<10}  {c.requester or '-'}  received {d['received']}  due {d['deadline']}  "
                   f"{state}{extended}")  # fmt: skip


@dsar_group.command("open")
@click.option("--requester", required=True, metavar="REF", help="The request's reference (a ticket id); stored as is.")
@click.option(
    "--type",
    "kind",
    required=True,
    type=click.Choice(["know", "delete", "opt-out", "limit-cpni"]),
    help="The right asked for: know (access), delete, opt-out (of marketing sharing), limit-cpni.",
)
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), help="When the request arrived (default today).")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Privacy policy file.")
@store_option
@config_option
def open_command(requester, kind, received, policy_path, store_url, config_path):
    """Open a DSAR case and print its id; due in the policy's response days (45), one extension.

    Example: pdscan dsar open --requester TICKET-4711 --type opt-out --received 2026-11-30
    """
    case = cases.open_case(requester, kind, received.date() if received else None, policy_path, store_url, config_path)
    click.echo(case.id)


@dsar_group.command("close")
@click.argument("case_id", metavar="CASE")
@store_option
@config_option
def close_command(case_id, store_url, config_path):
    """Close a DSAR case (answered).

    Example: pdscan dsar close DSAR-20261129-1a2b3c
    """
    case = cases.close_case(case_id, store_url, config_path)
    click.echo(f"closed {case.id}")


@dsar_group.command("extend")
@click.argument("case_id", metavar="CASE")
@click.option("--reason", required=True, help="The written reason the person is told (required).")
@click.option("--days", type=int, default=45, show_default=True, help="Extension period (at most 45 days, once).")
@store_option
@config_option
def extend_command(case_id, reason, days, store_url, config_path):
    """Extend a DSAR case's due date once, with a written reason (the policy's Response Timing).

    Example: pdscan dsar extend DSAR-20261129-1a2b3c --reason "records in an archive being restored"
    """
    case = cases.extend_case(case_id, reason, days, store_url, config_path)
    click.echo(f"extended {case.id} to {case.extended_to}: tell the person the reason and the new date in writing")
