"""Command-line options generated from the registered connectors' `Options` dataclasses.

Each field made with `pdscan.connectors.options.option(help=...)` becomes a click option in the
commands it names (`scan`, `find`), with its help text, type and default (a command may override
help or default). A field declared by several connectors (`seed`) is one option: the first
declaration that names the command wins. A plugin's connector brings its options with it.

    @connector_options("scan")
    def scan(..., **reading):
        options = options_from(reading, include=..., exclude=..., limits=...)
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields

import click

from pdscan.connectors.options import ConnectorOptions, Flag
from pdscan.connectors.registry import connectors


def declared(command: str) -> list[tuple[Field, Flag]]:
    """(field, flag) of every registered connector's option shown in `command`, in declaration order."""
    seen: dict[str, tuple[Field, Flag]] = {}
    for entry in connectors():
        for f in fields(entry.Options):
            flag = f.metadata.get("cli")
            if flag is not None and command in flag.commands and f.name not in seen:
                seen[f.name] = (f, flag)
    return list(seen.values())


def connector_options(command: str):
    """A decorator adding the connectors' options for `command` to a click command, in order."""

    def decorate(func):
        for f, flag in reversed(declared(command)):
            default = None if f.default is MISSING else f.default
            name = "--" + f.name.replace("_", "-")
            func = click.option(name, f.name, **flag.params(command, default))(func)
        return func

    return decorate


def options_from(params: dict, **shared) -> ConnectorOptions:
    """The `ConnectorOptions` bag from a command's connector parameters (those `connector_options`
    added; others are ignored) and the shared part given by name (include, exclude, limits).
    An option no built-in field holds (a plugin connector's) goes to `extra`."""
    names = {f.name for entry in connectors() for f in fields(entry.Options)}
    bag = {f.name for f in fields(ConnectorOptions)}
    chosen = {k: v for k, v in params.items() if k in names}
    known = {k: v for k, v in chosen.items() if k in bag}
    extra = tuple(sorted((k, v) for k, v in chosen.items() if k not in bag))
    return ConnectorOptions(**known, **shared, extra=extra)
