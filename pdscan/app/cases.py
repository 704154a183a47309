"""DSAR cases: open, list, close, extend, and the case a search adds to."""

from __future__ import annotations

from datetime import date, timedelta

from pdscan.app.common import existing_store, load_key, open_store, store_url
from pdscan.config import load as load_config
from pdscan.core.errors import CaseError, UsageError
from pdscan.dsar.cases import Case, CaseLog


def dry_case(log: CaseLog, case_id: str | None, for_deletion: bool, received: date, days: int) -> Case:
    """--dry-run: the case the output names, opened nowhere (or the existing --case, unchanged)."""
    if case_id:
        return log.get(case_id)
    return Case("DRY-RUN", "delete" if for_deletion else "know", received, received + timedelta(days=days), "open")


def search_case(log: CaseLog, case_id, fingerprints, key, for_deletion: bool, received: date, days: int) -> Case:
    """The open case this search adds to (`--case`), or a new one."""
    if not case_id:
        return log.open("delete" if for_deletion else "know", fingerprints, key.key_id, received, days)
    case = log.get(case_id)
    if case.status != "open":
        raise CaseError(f"DSAR case {case_id} is closed")
    if log.fingerprints(case_id)[1] != key.key_id:
        raise CaseError(f"DSAR case {case_id} was opened with another fingerprint key (set PDSCAN_KEY)")
    log.add_fingerprints(case_id, fingerprints)
    return case


def list_cases(given_store: str | None, config_path: str | None, include_closed: bool = False) -> list[Case]:
    return CaseLog(existing_store(given_store, config_path)).list(include_closed)


def open_case(
    requester: str, kind: str, received: date | None, policy_path: str | None, given_store: str | None,
    config_path: str | None,
) -> Case:  # fmt: skip
    """A new case, due in the policy's response days; the store is made if it is not there."""
    from pdscan.policy import load_policy

    config = load_config(config_path)
    policy = load_policy(policy_path or config.policy)
    received = received or date.today()
    if received > date.today():
        raise UsageError("--received: the date is in the future")
    if not requester.strip():
        raise UsageError("--requester: give a reference such as a ticket id")
    key = load_key(config)
    log = CaseLog(open_store(store_url(given_store, config), create=True))
    case = log.open(kind, {}, key.key_id, received, policy.response_days, requester.strip())
    log.audit("open", case.id, {"kind": kind})
    return case


def close_case(case_id: str, given_store: str | None, config_path: str | None) -> Case:
    log = CaseLog(existing_store(given_store, config_path))
    case = log.close(case_id)
    log.audit("close", case.id, {"status": "closed"})
    return case


def extend_case(case_id: str, reason: str, days: int, given_store: str | None, config_path: str | None) -> Case:
    log = CaseLog(existing_store(given_store, config_path))
    case = log.extend(case_id, reason, days)
    log.audit("extend", case.id, {"extended_to": case.extended_to.isoformat(), "days": days})
    return case
