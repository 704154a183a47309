"""`dsar_find`: search the sources for one person, write the answer package, log the case."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from pdscan.app.cases import dry_case, search_case
from pdscan.app.common import load_key, open_store, store_url, write_file
from pdscan.config import chosen_sources
from pdscan.config import load as load_config
from pdscan.core.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, IdentifierError, UsageError


@dataclass
class FindRequest:
    """What `pdscan dsar find` is asked: whom to find, where, and where the answer goes."""

    sources: tuple[str, ...] = ()
    identifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind (email, ssn ...) -> values
    identifiers_path: str | None = None  # a YAML/JSON file of identifiers, `-` for stdin
    fmt: str = "json"
    output: str | None = None  # `-`: stdout
    to_stdout: bool = False
    evidence_path: str | None = None  # `-`: stdout
    for_deletion: bool = False
    case_id: str | None = None
    dry_run: bool = False
    received: date | None = None  # default today
    policy_path: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    sql_stream: bool = False
    store_url: str | None = None
    config_path: str | None = None
    reading: dict[str, Any] = field(default_factory=dict)  # the connectors' options (query_timeout, region ...)
    ocr: bool = False  # search images and scanned PDF pages by OCR (also `ocr: true` in the config)


@dataclass
class FindOutcome:
    case: Any  # pdscan.dsar.cases.Case (DRY-RUN with --dry-run); None if interrupted before one was opened
    answer: Any = None  # pdscan.dsar.search's answer: matches, sources, complete, seconds
    output: str | None = None
    to_stdout: bool = False
    dry_run: bool = False
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_ERROR if not self.answer.complete else EXIT_FINDINGS if self.answer.matches else EXIT_CLEAN


def dsar_find(
    request: FindRequest, warn: Callable[[str], None] | None = None, stream: TextIO | None = None
) -> FindOutcome:
    """Search, build and write the answer (to files, or `-` to `stream`, default stdout) and log
    it in the case; `warn` gets one line per container that could not be searched."""
    from pdscan.connectors.cli import options_from
    from pdscan.dsar import package as dsar_package
    from pdscan.dsar.cases import CaseLog
    from pdscan.dsar.matcher import Matcher
    from pdscan.dsar.search import Inventory, Searcher
    from pdscan.interrupts import InterruptGuard
    from pdscan.policy import load_policy
    from pdscan.reports.dsar import render

    config = load_config(request.config_path)
    policy = load_policy(request.policy_path or config.policy)
    identifiers = read_identifiers(request.identifiers, request.identifiers_path)
    output, to_stdout, for_deletion, dry_run = request.output, request.to_stdout, request.for_deletion, request.dry_run
    if output == "-":
        output, to_stdout = None, True
    if not output and not to_stdout:
        raise UsageError("give --output FILE (the answer holds the person's data) or -o - for stdout")
    for target in (output, request.evidence_path):
        refuse_non_regular(target)
    received = request.received or date.today()
    if received > date.today():
        raise UsageError("--received: the date is in the future")
    options = options_from(request.reading, include=tuple(request.include) or tuple(config.include),
                           exclude=tuple(request.exclude) or tuple(config.exclude), limits=config.limits.ocr_on(request.ocr))  # fmt: skip
    sources = chosen_sources(request.sources, config, options)
    key = load_key(config)
    store = open_store(store_url(request.store_url, config), create=True)
    log = CaseLog(store)
    fingerprints: dict[str, list[str]] = {}
    for ident in identifiers.items:
        fingerprints.setdefault(ident.kind, []).append(key.fingerprint(ident.entity, ident.value))
    stream = stream or sys.stdout
    entities = {i.entity for i in identifiers.items} | ({"US_EIN", "US_ITIN"} if identifiers.of("ssn") else set())
    guard = InterruptGuard()
    case = None
    with guard:
        try:  # a Ctrl-C while the case is opened takes effect once it is: the message can name it
            with guard.deferred():
                if dry_run:
                    case = dry_case(log, request.case_id, for_deletion, received, policy.response_days)
                else:
                    case = search_case(log, request.case_id, fingerprints, key, for_deletion, received,
                                       policy.response_days)  # fmt: skip
            if request.case_id and not for_deletion:
                for_deletion = case.kind == "delete"  # the case's type decides, unless --for-deletion
            names = config.source_names()
            inventory = Inventory(store, sources, entities, names)
            searcher = Searcher(Matcher(identifiers), options, inventory, warn or (lambda line: None))
            searcher.names = names
            searcher.sql_stream = request.sql_stream
            searcher.join_keys = config.join_keys
            answer = searcher.run(sources)
            package = dsar_package.build(answer, policy, config, inventory, case.to_dict(), identifiers, for_deletion)
            text = render(package, request.fmt)
            written = [(output, text)] if output else []
            if request.evidence_path:
                proof = dsar_package.evidence(answer, policy, config, inventory, case.to_dict(), identifiers)
                proof_text = render(proof, "json")
                if request.evidence_path == "-":
                    stream.write(proof_text)
                    stream.flush()
                else:
                    written.append((request.evidence_path, proof_text))
            for path, body in written:
                write_file(path, body, regular_only=True)  # mode 0600, renamed into place whole
        except KeyboardInterrupt:  # a half search must not read as the whole answer
            if case is not None and not dry_run:
                log.audit("find", case.id, {"interrupted": True, "complete": False, "deletion_plan": for_deletion})
            return FindOutcome(None if dry_run else case, dry_run=dry_run, interrupted=True)
    if not dry_run:
        log.audit(
            "find", case.id, _audit(answer, identifiers, for_deletion, request.fmt, output, request.evidence_path)
        )
    if to_stdout:
        stream.write(text)
        stream.flush()
    return FindOutcome(case, answer, output, to_stdout, dry_run)


def _audit(answer, identifiers, for_deletion: bool, fmt: str, output: str | None, evidence: str | None) -> dict:
    """The case log's row for one search: counts and where the answer went, never a value."""
    per_location: dict[str, int] = {}
    for m in answer.matches:
        where = f"{m.source} {m.container}"
        per_location[where] = per_location.get(where, 0) + 1
    return {
        "sources": [{"source": s["source"], "status": s["status"]} for s in answer.sources],
        "identifiers": identifiers.counts(), "records": len(answer.matches),
        "strong": sum(m.strength == "strong" for m in answer.matches),
        "weak": sum(m.strength == "weak" for m in answer.matches),
        "linked": sum(m.strength == "linked" for m in answer.matches),
        "per_location": per_location, "complete": answer.complete, "deletion_plan": for_deletion,
        "format": fmt, "output": output if output else "stdout", "evidence": evidence,
    }  # fmt: skip


def read_identifiers(values: dict[str, tuple[str, ...]], path: str | None):
    """The identifiers given as options (kind -> values) and in the file `path` (`-`: stdin)."""
    import yaml

    from pdscan.dsar.identifiers import KINDS, OPTION, Identifiers, from_mapping

    found = Identifiers()
    for kind in KINDS:
        for i, value in enumerate(values.get(kind, ()), 1):
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
    if not found:
        raise UsageError("give at least one identifier (--name, --email, --phone, --ssn, --card-last4, --account "
                         "or --identifiers FILE)")  # fmt: skip
    return found


def refuse_non_regular(path: str | None) -> None:
    """A DSAR output that exists and is not a regular file is refused, before the search and any open."""
    import stat

    if not path or path == "-":
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{path}: cannot use ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: not a regular file (a device, pipe or folder); give a file path or -")
