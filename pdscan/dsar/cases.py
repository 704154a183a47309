"""The DSAR case log and audit trail, in the findings store (its tables in pdscan.store.schema).

A case keeps the person's identifiers only as keyed fingerprints. Due date: received + the
policy's response days (45); one extension with a written reason (CCPA 1798.130(a)(2): once, by
up to 45 more days, notice within the first period). The audit trail holds who, when, which case,
and counts per location, never a value.
"""

from __future__ import annotations

import getpass
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from pdscan.core.errors import CaseError
from pdscan.store import Store, now
from pdscan.store.schema import dsar_audit as audit
from pdscan.store.schema import dsar_cases as cases

KINDS = ("know", "delete", "opt-out", "limit-cpni")  # the policy's rights: access, deletion, marketing, CPNI
EXTENSION_DAYS = 45  # the statute's limit; the policy says only "the reason and extension period"
STATUSES = ("open", "closed")


@dataclass
class Case:
    id: str
    kind: str
    received: date
    due: date
    status: str
    extended_to: date | None = None
    extension_reason: str | None = None
    closed: str | None = None
    requester: str | None = None

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or date.today())).days

    def to_dict(self, today: date | None = None) -> dict:
        return {
            "case": self.id,
            "kind": self.kind,
            "requester": self.requester,
            "received": self.received.isoformat(),
            "due": self.due.isoformat(),
            "extended_to": self.extended_to.isoformat() if self.extended_to else None,
            "extension_reason": self.extension_reason,
            "deadline": self.deadline.isoformat(),
            "status": self.status,
            "days_left": self.days_left(today) if self.status == "open" else None,
            "overdue": self.status == "open" and self.days_left(today) < 0,
            "closed": self.closed,
        }


def _case(row) -> Case:
    return Case(
        id=row["id"],
        kind=row["kind"],
        received=date.fromisoformat(row["received"]),
        due=date.fromisoformat(row["due"]),
        status=row["status"],
        extended_to=date.fromisoformat(row["extended_to"]) if row["extended_to"] else None,
        extension_reason=row["extension_reason"],
        closed=row["closed"],
        requester=row.get("requester"),
    )


class CaseLog:
    def __init__(self, store: Store):
        self.engine = store.engine  # its tables made and migrated with the store's (pdscan.store.migrations)

    def open(self, kind: str, fingerprints: dict[str, list[str]], key_id: str, received: date, days: int,
             requester: str | None = None) -> Case:  # fmt: skip
        if kind not in KINDS:
            raise CaseError(f"a case's type is one of {', '.join(KINDS)}")
        case_id = f"DSAR-{received:%Y%m%d}-{secrets.token_hex(3)}"
        row = {
            "id": case_id,
            "kind": kind,
            "requester": requester,
            "fingerprints": json.dumps(fingerprints, sort_keys=True),
            "key_id": key_id,
            "received": received.isoformat(),
            "due": (received + timedelta(days=days)).isoformat(),
            "status": "open",
            "created": now(),
        }
        with self.engine.begin() as db:
            db.execute(cases.insert().values(**row))
        return self.get(case_id)

    def get(self, case_id: str) -> Case:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise CaseError(f"no DSAR case {case_id} in the store (see `pdscan dsar list --all`)")
        return _case(row)

    def fingerprints(self, case_id: str) -> tuple[dict[str, list[str]], str]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cases.c.fingerprints, cases.c.key_id).where(cases.c.id == case_id)).first()
        return json.loads(row[0]), row[1]

    def add_fingerprints(self, case_id: str, more: dict[str, list[str]]) -> None:
        known, _ = self.fingerprints(case_id)
        for kind, values in more.items():
            known[kind] = sorted(set(known.get(kind, [])) | set(values))
        with self.engine.begin() as db:
            db.execute(
                cases.update().where(cases.c.id == case_id).values(fingerprints=json.dumps(known, sort_keys=True))
            )

    def list(self, include_closed: bool = False, today: date | None = None) -> list[Case]:
        q = sa.select(cases) if include_closed else sa.select(cases).where(cases.c.status == "open")
        with self.engine.connect() as db:
            found = [_case(r) for r in db.execute(q).mappings()]
        # open cases first, the most overdue (fewest days left) first; then closed ones
        return sorted(found, key=lambda c: (c.status != "open", c.deadline, c.id))

    def close(self, case_id: str) -> Case:
        case = self.get(case_id)
        if case.status == "closed":
            raise CaseError(f"DSAR case {case_id} is already closed")
        with self.engine.begin() as db:
            db.execute(cases.update().where(cases.c.id == case_id).values(status="closed", closed=now()))
        return self.get(case_id)

    def extend(self, case_id: str, reason: str, days: int, today: date | None = None) -> Case:
        case = self.get(case_id)
        today = today or date.today()
        if case.status != "open":
            raise CaseError(f"DSAR case {case_id} is closed")
        if case.extended_to:
            raise CaseError(
                f"DSAR case {case_id} was already extended once (to {case.extended_to}); one extension only"
            )
        if today > case.due:
            raise CaseError(
                f"DSAR case {case_id} is past its due date {case.due}: an extension must be given before it"
            )
        if not 1 <= days <= EXTENSION_DAYS:
            raise CaseError(f"an extension is 1 to {EXTENSION_DAYS} days")
        if not reason.strip():
            raise CaseError("an extension needs a written reason (--reason)")
        extended = case.due + timedelta(days=days)
        with self.engine.begin() as db:
            db.execute(
                cases.update()
                .where(cases.c.id == case_id)
                .values(extended_to=extended.isoformat(), extension_reason=reason.strip())
            )
        return self.get(case_id)

    # -- audit ---------------------------------------------------------------------------------
    def audit(self, action: str, case_id: str | None, detail: dict) -> None:
        with self.engine.begin() as db:
            db.execute(
                audit.insert().values(
                    at=now(), who=getpass.getuser(), case_id=case_id, action=action, detail=json.dumps(detail)
                )
            )

    def audit_trail(self, case_id: str | None = None) -> list[dict]:
        q = sa.select(audit).order_by(audit.c.id)
        if case_id:
            q = q.where(audit.c.case_id == case_id)
        with self.engine.connect() as db:
            return [{**r, "detail": json.loads(r["detail"] or "null")} for r in db.execute(q).mappings()]
