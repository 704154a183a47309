"""Every table of the findings store, in one MetaData: scans, items, findings, labels, gone, the DSAR
case log and audit trail, and the schema version (pdscan.store.migrations).

Raw values have no column: a finding keeps masked samples and a keyed fingerprint only, a DSAR case
its identifiers' keyed fingerprints only.
"""

from __future__ import annotations

import sqlalchemy as sa

meta = sa.MetaData()

scans = sa.Table(
    "scans",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started", sa.String(32), nullable=False),
    sa.Column("finished", sa.String(32)),
    sa.Column("sources", sa.Text, nullable=False),  # JSON list, passwords redacted
    sa.Column("policy", sa.String(200)),
    sa.Column("key_id", sa.String(64)),
    sa.Column("settings", sa.String(64)),  # hash of what decides findings: findings carry forward only between equals
    sa.Column("summary", sa.Text),  # JSON
    # ended by Ctrl-C: what it recorded is real, but items it did not reach are missing, so it is
    # never the baseline a later scan or a diff compares with (NULL: a store from before the flag)
    sa.Column("interrupted", sa.Boolean),
)
items = sa.Table(
    "items",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(40)),
    sa.Column("detail", sa.Text),
    sa.Column("bytes", sa.BigInteger, default=0),
    sa.Column("records", sa.BigInteger, default=0),
    sa.Column("version", sa.Text),  # JSON: size, mtime, sha256 / etag
    sa.Column("carried_from", sa.Integer),  # unchanged since this scan: its findings were carried forward
    # a sample was read, not the whole: how much of what ("10,000 rows of about 1,000,000")
    sa.Column("sampled", sa.Text),
)
findings = sa.Table(
    "findings",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("identity", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("category", sa.String(64)),
    sa.Column("ccpa_category", sa.String(200)),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("location", sa.Text, nullable=False),  # JSON
    sa.Column("score", sa.Float),
    sa.Column("detector", sa.String(80)),
    sa.Column("sample", sa.Text),
    sa.Column("samples", sa.Text),  # JSON
    sa.Column("fingerprint", sa.String(80)),
    sa.Column("matches", sa.Integer),
    sa.Column("sampled", sa.Integer),
    sa.Column("ratio", sa.Float),
    sa.Column("minors", sa.Integer),
    sa.Column("test_data", sa.Boolean, default=False),
    sa.Column("carried_from", sa.Integer),
)
labels = sa.Table(
    "labels",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("identity", sa.String(64)),  # one finding ...
    sa.Column("source", sa.Text),  # ... or a whole location (source, container prefix, field)
    sa.Column("container", sa.Text),
    sa.Column("field", sa.Text),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("version", sa.String(64)),  # the labelled finding's samples: the label lapses when they change
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("entity", sa.String(64)),  # only this entity (an IP false positive inside user agents, not the UA)
    sa.Column("removed", sa.String(32)),  # withdrawn then (`pdscan label --remove`): no longer applies
)
# containers a scan found gone: listed before by a scan of the same source and settings, not now
gone = sa.Table(
    "gone",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("last_scan", sa.Integer, nullable=False),  # the scan that last listed it
)
# the DSAR case log (pdscan.dsar.cases): identifiers as keyed fingerprints only
dsar_cases = sa.Table(
    "dsar_cases",
    meta,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),  # know | delete | opt-out | limit-cpni
    sa.Column("requester", sa.String(200)),  # a reference (ticket id); never matched against anything
    sa.Column("fingerprints", sa.Text, nullable=False),  # JSON {kind: [HMAC, ...]}
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("received", sa.String(10), nullable=False),
    sa.Column("due", sa.String(10), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("extended_to", sa.String(10)),
    sa.Column("extension_reason", sa.Text),
    sa.Column("closed", sa.String(32)),
    sa.Column("created", sa.String(32), nullable=False),
)
# the DSAR audit trail: who, when, which case, counts per location; never a value
dsar_audit = sa.Table(
    "dsar_audit",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("case_id", sa.String(40)),
    sa.Column("action", sa.String(20), nullable=False),  # find | close | extend
    sa.Column("detail", sa.Text),  # JSON: counts per location, sources, outcome; never a value
)
# one row per migration step applied (pdscan.store.migrations): the store's version is the highest
schema_version = sa.Table(
    "schema_version",
    meta,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied", sa.String(32), nullable=False),
    sa.Column("step", sa.String(200), nullable=False),
)
