"""What the user said about reading sources: a shared part, and each connector's own `Options`.

A connector declares its options as a frozen dataclass deriving from `SharedOptions`; each field
made with `option(...)` carries its command-line flag, help text and the commands it appears in
(pdscan.connectors.cli generates the click options from them). `ConnectorOptions` is the flat bag
the engine, DSAR and the settings hash of incremental scans pass around: the built-in connectors'
fields, in their historical order (its repr is hashed), plus `extra` for a plugin's own fields.
A connector takes its part with `Options.of(bag)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import click

from pdscan.connectors.limits import Limits


@dataclass(frozen=True)
class Flag:
    """How an option appears on the command line: per command, `overrides` change help or default."""

    help: str
    commands: tuple[str, ...] = ("scan",)
    type: Any = None
    is_flag: bool = False
    metavar: str | None = None
    show_default: bool = False
    overrides: dict = field(default_factory=dict)  # command -> {"help": ..., "default": ...}

    def params(self, command: str, default) -> dict:
        """The keyword arguments of `click.option` for this option in `command`."""
        kwargs: dict = {"help": self.help}
        if self.is_flag:
            kwargs["is_flag"] = True
        else:
            if self.type is not None:
                kwargs["type"] = self.type
            if default is not None:
                kwargs["default"] = default
            if self.metavar:
                kwargs["metavar"] = self.metavar
            if self.show_default:
                kwargs["show_default"] = True
        kwargs.update(self.overrides.get(command, {}))
        return kwargs


def option(default=None, *, help: str | None = None, repr: bool = True, **cli):  # noqa: A002 - click's name
    """A field of an `Options` dataclass; with `help`, also a command-line option (see `Flag`)."""
    metadata = {"cli": Flag(help=help, **cli)} if help else {}
    return field(default=default, repr=repr, metadata=metadata)


@dataclass(frozen=True)
class SharedOptions:
    """What every connector takes: which containers (globs) and the caps per item and per scan."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)  # caps per item and per scan (pdscan.connectors.limits)

    @classmethod
    def of(cls, options=None):
        """This connector's options taken from `options` (its own, a `ConnectorOptions` bag, or None)."""
        if isinstance(options, cls):
            return options
        if options is None:
            return cls()
        extra = dict(getattr(options, "extra", ()) or ())
        values = {}
        for f in fields(cls):
            if hasattr(options, f.name):
                values[f.name] = getattr(options, f.name)
            elif f.name in extra:
                values[f.name] = extra[f.name]
        return cls(**values)


@dataclass(frozen=True)
class SqlOptions(SharedOptions):
    """Databases (and SQLite files met in a folder)."""

    sample_size: int = option(10_000, help="Databases: rows read per table (random where the database allows it cheaply).",
                              type=click.IntRange(1), show_default=True)  # fmt: skip
    full: bool = option(False, help="Databases: read every row (streamed), not a sample.", is_flag=True)
    seed: int | None = option(None, help="Databases: seed for repeatable random samples.", type=int)
    query_timeout: float = option(
        60.0, help="Databases: seconds a query may run before its table is skipped.", type=click.FloatRange(min=0.1),
        show_default=True, commands=("scan", "find"),
        overrides={"find": {"default": 300.0, "help": "Databases: seconds one table's search may run."}},
    )  # fmt: skip
    views: bool = option(False, help="Databases: scan views as well as tables.", is_flag=True)
    # from the environment or config: never shown, not even in a repr (settings_hash hashes the repr)
    password: str | None = option(None, repr=False)


@dataclass(frozen=True)
class FileOptions(SqlOptions):
    """Files and folders: a SQLite database among them is read with the database options."""


@dataclass(frozen=True)
class S3Options(SharedOptions):
    """S3 buckets."""

    region: str | None = option(
        None, help="S3: the bucket's region (default: from the AWS configuration).", commands=("scan", "find"),
        overrides={"find": {"help": "S3: the bucket's region."}},
    )  # fmt: skip
    profile: str | None = option(None, help="S3: the AWS profile for credentials.", commands=("scan", "find"))
    endpoint_url: str | None = option(
        None, help="S3: an S3-compatible endpoint (MinIO, Ceph); also AWS_ENDPOINT_URL.", metavar="URL",
        commands=("scan", "find"), overrides={"find": {"help": "S3: an S3-compatible endpoint; also AWS_ENDPOINT_URL."}},
    )  # fmt: skip
    sample_objects: float = option(1.0, help="S3: share of objects to scan, picked at random (repeatable with --seed).",
                                   type=click.FloatRange(0, 1, min_open=True), show_default=True)  # fmt: skip
    max_bytes_per_object: int | None = option(
        None, help="S3: read at most this many bytes of each object (the object is then marked partial).",
        type=click.IntRange(1), metavar="BYTES",
    )  # fmt: skip
    fetch_concurrency: int = 8
    seed: int | None = None  # --seed (declared by the databases' options) picks the sample of objects


@dataclass(frozen=True, repr=False)
class ConnectorOptions:
    """Every connector's options in one bag; each connector takes its part (`Options.of`).

    The fields are the built-in connectors' (tests/connectors/test_contract.py checks they match),
    in the order a repr has always shown them: settings_hash hashes the repr, so a default scan's
    hash is what it was. A plugin connector's own options travel in `extra` ((name, value) pairs),
    shown in the repr only when there are any.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # databases
    sample_size: int = 10_000  # rows per table; 0 with full=True
    full: bool = False
    seed: int | None = None
    query_timeout: float = 60.0  # seconds per statement
    views: bool = False
    # from the environment or config: never shown, not even in a repr (settings_hash hashes the repr)
    password: str | None = field(default=None, repr=False)
    # S3
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    sample_objects: float = 1.0  # share of objects scanned
    max_bytes_per_object: int | None = None
    fetch_concurrency: int = 8
    limits: Limits = field(default_factory=Limits)  # caps per item and per scan (pdscan.connectors.limits)
    extra: tuple[tuple[str, Any], ...] = field(default=(), repr=False)  # plugin connectors' options

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        more = f", extra={self.extra!r}" if self.extra else ""
        return f"{type(self).__qualname__}({shown}{more})"
