"""`pdscan dsar find|list|close|extend`: data subject requests (issue 7)."""

from __future__ import annotations

import os
import sys
from datetime import date

import click
import yaml

from pdscan.cli_history import config_option, open_store, store_option
from pdscan.config import chosen_sources
from pdscan.config import load as load_config
from pdscan.core.errors import EXIT_CLEAN, EXIT_ERROR, ConfigError
from pdscan.core.errors import EXIT_FINDINGS as EXIT_FOUND
from pdscan.reports.formats import answer_formats

PACKAGE_FORMATS = tuple(answer_formats())  # json, md, html: pdscan.reports.formats


@click.group("dsar")
def dsar_group() -> None:
    """Data subject requests under the policy's CCPA section: find what the sources hold about
    one person, answer within the policy's 45 days, keep the case log.

    Example: pdscan dsar find --identifiers person.yaml --format html --output case.html
    """


def _usage(message: str):
    from pdscan.cli import UsageProblem

    return UsageProblem(message)


def _identifiers(values: dict[str, tuple[str, ...]], path: str | None):
    from pdscan.core.errors import IdentifierError
    from pdscan.dsar.identifiers import KINDS, OPTION, Identifiers, from_mapping

    found = Identifiers()
    try:
        for kind in KINDS:
            for i, value in enumerate(values[kind], 1):
                found.add(kind, value, f"{OPTION[kind]} #{i}")
        if path:
            where = "--identifiers (stdin)" if path == "-" else path
            try:
                text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            except OSError as exc:
                raise IdentifierError(f"{where}: cannot read ({exc.strerror})") from None
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise IdentifierError(f"{where}{f':{mark.line + 1}' if mark else ''}: not valid YAML or JSON") from None
            from_mapping(data, where, found)
    except IdentifierError as exc:
        raise _usage(str(exc)) from None
    if not found:
        raise _usage("give at least one identifier (--name, --email, --phone, --ssn, --card-last4, --account "
                     "or --identifiers FILE)")  # fmt: skip
    return found


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
@click.option("--format", "fmt", type=click.Choice(PACKAGE_FORMATS), default="json", show_default=True,
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
@click.option("--query-timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Databases: seconds one table's search may run.")  # fmt: skip
@click.option("--stream", "sql_stream", is_flag=True,
              help="Databases: read every row and match in pdscan instead of filtering with WHERE clauses.")  # fmt: skip
@click.option("--region", help="S3: the bucket's region.")
@click.option("--profile", help="S3: the AWS profile for credentials.")
@click.option("--endpoint-url", metavar="URL", help="S3: an S3-compatible endpoint; also AWS_ENDPOINT_URL.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@store_option
@config_option
def find_command(sources, identifiers_path, fmt, output, to_stdout, evidence_path, for_deletion, case_id, dry_run,
                 received, policy_path,
                 include, exclude, query_timeout, sql_stream, region, profile, endpoint_url, quiet, store_url, config_path,
                 **given):  # fmt: skip
    """Find everything the sources hold about one person and write the answer package.

    Sources as in `pdscan scan` (paths, database URLs, s3://...), else the config's sources.
    A record matches on an email, phone, SSN/EIN or account number; a name or card's last four
    alone is a weaker, separately marked match. Exit 1: matches found; 0: none; 2: a source
    could not be searched (the answer is marked incomplete) or a usage error; 130: interrupted
    (Ctrl-C: no package written, the case stays open).

    Example: pdscan dsar find crm.db exports/ --email jane@example.com --phone 415-555-0187 -o jane.json
    """
    from pdscan.cli import Fatal, _open_store
    from pdscan.connectors.registry import ConnectorOptions, redact
    from pdscan.core.errors import EXIT_INTERRUPTED, PolicyError
    from pdscan.core.keys import FingerprintKey
    from pdscan.core.privatefile import NotRegularFile, write_private
    from pdscan.dsar import package as dsar_package
    from pdscan.dsar.cases import CaseLog
    from pdscan.dsar.matcher import Matcher
    from pdscan.dsar.search import Inventory, Searcher
    from pdscan.history import STORE_ENV
    from pdscan.interrupts import InterruptGuard
    from pdscan.policy import load_policy
    from pdscan.reports.dsar import render

    try:
        config = load_config(config_path)
        policy = load_policy(policy_path or config.policy)
    except (ConfigError, PolicyError) as exc:
        raise _usage(str(exc)) from None
    identifiers = _identifiers(given, identifiers_path)
    if output == "-":
        output, to_stdout = None, True
    if not output and not to_stdout:
        raise _usage("give --output FILE (the answer holds the person's data) or -o - for stdout")
    for target in (output, evidence_path):
        _refuse_non_regular(target)
    received = received.date() if received else date.today()
    if received > date.today():
        raise _usage("--received: the date is in the future")
    options = ConnectorOptions(include=tuple(include) or tuple(config.include),
                               exclude=tuple(exclude) or tuple(config.exclude), query_timeout=query_timeout,
                               region=region, profile=profile, endpoint_url=endpoint_url, limits=config.limits)  # fmt: skip
    try:
        sources = chosen_sources(sources, config, options)
    except ConfigError as exc:
        raise _usage(str(exc)) from None
    try:
        key = FingerprintKey.load(config.key_file)
    except OSError as exc:
        raise Fatal(f"cannot read or create the fingerprint key: {exc.strerror}") from None
    store = _open_store(store_url or os.environ.get(STORE_ENV) or config.store)
    log = CaseLog(store)
    fingerprints: dict[str, list[str]] = {}
    for ident in identifiers.items:
        fingerprints.setdefault(ident.kind, []).append(key.fingerprint(ident.entity, ident.value))

    def warn(line: str) -> None:
        if not quiet:
            click.echo(f"pdscan: {line}", err=True)

    entities = {i.entity for i in identifiers.items} | ({"US_EIN", "US_ITIN"} if identifiers.of("ssn") else set())
    guard = InterruptGuard()
    case = None
    with guard:
        try:  # a Ctrl-C while the case is opened takes effect once it is: the message can name it
            with guard.deferred():
                if dry_run:
                    case = _dry_case(log, case_id, for_deletion, received, policy.response_days)
                else:
                    case = _case(log, case_id, fingerprints, key, for_deletion, received, policy.response_days)
            if case_id and not for_deletion:
                for_deletion = case.kind == "delete"  # the case's type decides, unless --for-deletion
            names = config.source_names()
            inventory = Inventory(store, sources, entities, names)
            searcher = Searcher(Matcher(identifiers), options, inventory, warn)
            searcher.names = names
            searcher.sql_stream = sql_stream
            searcher.join_keys = config.join_keys
            answer = searcher.run(sources)
            package = dsar_package.build(answer, policy, config, inventory, case.to_dict(), identifiers, for_deletion)
            text = render(package, fmt)
            written = [(output, text)] if output else []
            if evidence_path:
                proof = dsar_package.evidence(answer, policy, config, inventory, case.to_dict(), identifiers)
                proof_text = render(proof, "json")
                if evidence_path == "-":
                    click.echo(proof_text, nl=False)
                else:
                    written.append((evidence_path, proof_text))
            for path, body in written:
                try:
                    write_private(path, body, regular_only=True)  # mode 0600, renamed into place whole
                except NotRegularFile:
                    raise _usage(
                        f"{path}: not a regular file (a device, pipe or folder); give a file path or -"
                    ) from None
                except OSError as exc:
                    raise Fatal(f"cannot write {path}: {exc.strerror}") from None
        except KeyboardInterrupt:  # a half search must not read as the whole answer
            if case is None or dry_run:
                click.echo("pdscan: dsar find interrupted: no case opened, no package written", err=True)
                sys.exit(EXIT_INTERRUPTED)
            log.audit("find", case.id, {"interrupted": True, "complete": False, "deletion_plan": for_deletion})
            click.echo(f"pdscan: dsar find interrupted: no package written; case {case.id} stays open "
                       f"(--case {case.id} to search again)", err=True)  # fmt: skip
            sys.exit(EXIT_INTERRUPTED)
    if dry_run:
        click.echo("pdscan: --dry-run: no case opened, no audit row written", err=True)
    per_location: dict[str, int] = {}
    for m in answer.matches:
        where = f"{m.source} {m.container}"
        per_location[where] = per_location.get(where, 0) + 1
    if not dry_run:
        log.audit("find", case.id, {
            "sources": [{"source": s["source"], "status": s["status"]} for s in answer.sources],
            "identifiers": identifiers.counts(), "records": len(answer.matches),
            "strong": sum(m.strength == "strong" for m in answer.matches),
            "weak": sum(m.strength == "weak" for m in answer.matches),
            "linked": sum(m.strength == "linked" for m in answer.matches),
            "per_location": per_location, "complete": answer.complete, "deletion_plan": for_deletion,
            "format": fmt, "output": output if output else "stdout", "evidence": evidence_path,
        })  # fmt: skip
    if to_stdout:
        click.echo(text, nl=False)
    if not quiet:
        strong = sum(m.strength == "strong" for m in answer.matches)
        weak = sum(m.strength == "weak" for m in answer.matches)
        containers = len({(m.source, m.container) for m in answer.matches})
        where = f"written to {output} (mode 0600)" if output else "printed to stdout"
        click.echo(f"pdscan: case {case.id} (due {case.deadline}): {len(answer.matches)} matching records "
                   f"({strong} strong, {weak} weak) in {containers} containers of "
                   f"{len(answer.sources)} sources in {answer.seconds:.1f} s; package {where}", err=True)  # fmt: skip
        if not answer.complete:
            failed = [redact(x["source"]) for x in answer.sources if x["status"] == "failed"]
            click.echo("pdscan: INCOMPLETE answer: " + (f"sources failed: {', '.join(failed)}" if failed
                       else "some containers could not be read (see coverage)"), err=True)  # fmt: skip
    sys.exit(EXIT_ERROR if not answer.complete else EXIT_FOUND if answer.matches else EXIT_CLEAN)


def _refuse_non_regular(path: str | None) -> None:
    """A DSAR output that exists and is not a regular file is refused, before the search and any open."""
    import stat

    if not path or path == "-":
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _usage(f"{path}: cannot use ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise _usage(f"{path}: not a regular file (a device, pipe or folder); give a file path or -")


def _dry_case(log, case_id, for_deletion, received, days):
    """--dry-run: the case the output names, opened nowhere (or the existing --case, unchanged)."""
    from pdscan.core.errors import CaseError
    from pdscan.dsar.cases import Case

    if case_id:
        try:
            return log.get(case_id)
        except CaseError as exc:
            raise _usage(str(exc)) from None
    from datetime import timedelta

    return Case("DRY-RUN", "delete" if for_deletion else "know", received, received + timedelta(days=days), "open")


def _case(log, case_id, fingerprints, key, for_deletion, received, days):
    """The open case this search adds to (`--case`), or a new one."""
    from pdscan.core.errors import CaseError

    try:
        if not case_id:
            return log.open("delete" if for_deletion else "know", fingerprints, key.key_id, received, days)
        case = log.get(case_id)
        if case.status != "open":
            raise CaseError(f"DSAR case {case_id} is closed")
        if log.fingerprints(case_id)[1] != key.key_id:
            raise CaseError(f"DSAR case {case_id} was opened with another fingerprint key (set PDSCAN_KEY)")
        log.add_fingerprints(case_id, fingerprints)
        return case
    except CaseError as exc:
        raise _usage(str(exc)) from None


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

    from pdscan.dsar.cases import CaseLog

    found = CaseLog(open_store(store_url, config_path)).list(include_closed)
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
    from pdscan.core.errors import CaseError, PolicyError
    from pdscan.core.keys import FingerprintKey
    from pdscan.dsar.cases import CaseLog
    from pdscan.policy import load_policy

    try:
        config = load_config(config_path)
        policy = load_policy(policy_path or config.policy)
    except (ConfigError, PolicyError) as exc:
        raise _usage(str(exc)) from None
    received = received.date() if received else date.today()
    if received > date.today():
        raise _usage("--received: the date is in the future")
    if not requester.strip():
        raise _usage("--requester: give a reference such as a ticket id")
    from pdscan.cli import Fatal, _open_store
    from pdscan.history import STORE_ENV

    try:
        key = FingerprintKey.load(config.key_file)
    except OSError as exc:
        raise Fatal(f"cannot read or create the fingerprint key: {exc.strerror}") from None
    log = CaseLog(_open_store(store_url or os.environ.get(STORE_ENV) or config.store))
    try:
        case = log.open(kind, {}, key.key_id, received, policy.response_days, requester.strip())
    except CaseError as exc:
        raise _usage(str(exc)) from None
    log.audit("open", case.id, {"kind": kind})
    click.echo(case.id)


@dsar_group.command("close")
@click.argument("case_id", metavar="CASE")
@store_option
@config_option
def close_command(case_id, store_url, config_path):
    """Close a DSAR case (answered).

    Example: pdscan dsar close DSAR-20261129-1a2b3c
    """
    from pdscan.core.errors import CaseError
    from pdscan.dsar.cases import CaseLog

    log = CaseLog(open_store(store_url, config_path))
    try:
        case = log.close(case_id)
    except CaseError as exc:
        raise _usage(str(exc)) from None
    log.audit("close", case.id, {"status": "closed"})
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
    from pdscan.core.errors import CaseError
    from pdscan.dsar.cases import CaseLog

    log = CaseLog(open_store(store_url, config_path))
    try:
        case = log.extend(case_id, reason, days)
    except CaseError as exc:
        raise _usage(str(exc)) from None
    log.audit("extend", case.id, {"extended_to": case.extended_to.isoformat(), "days": days})
    click.echo(f"extended {case.id} to {case.extended_to}: tell the person the reason and the new date in writing")
