"""The command group, the options several commands share, and the one place where an outcome's
exit code and a `PdscanError` become what the user sees."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import NoReturn

import click

from pdscan import __version__
from pdscan.core.errors import EXIT_ERROR, EXIT_INTERRUPTED, Exposed, OutputError, PdscanError


class UsageProblem(click.UsageError):
    """A usage error: the command's usage, then one line; exit code 2."""

    exit_code = EXIT_ERROR


class Fatal(click.ClickException):
    """The command cannot go on: one line; exit code 2."""

    exit_code = EXIT_ERROR


def fail(error: PdscanError, ctx: click.Context) -> NoReturn:
    """A `PdscanError` as the user sees it, with its exit code: a usage error with the command's
    usage; a store or key file open to others in one `pdscan: error:` line from every command;
    a reader that went away (`| head`) quietly; anything else in one `Error:` line."""
    if isinstance(error, Exposed):
        click.echo(f"pdscan: error: {error}", err=True)
        ctx.exit(error.exit_code)
    if isinstance(error, OutputError) and isinstance(error.__cause__, BrokenPipeError):
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    problem = UsageProblem(str(error), ctx) if error.usage else Fatal(str(error))
    problem.exit_code = error.exit_code
    raise problem from None


def finish(exit_code: int) -> NoReturn:
    """End the command with the exit code its outcome implies."""
    sys.exit(exit_code)


class RegistryChoice(click.Choice):
    """A choice among a registry's names (output formats, report formats), read when first needed
    rather than when the CLI is imported: loading the plugins then is what may fail, and a failure
    is one line from `main`, not a traceback at import."""

    def __init__(self, names: Callable[[], Iterable[str]], case_sensitive: bool = True):
        self._names = names
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())


class Command(click.Command):
    """A command whose `PdscanError`s go through `fail`."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PdscanError as error:
            fail(error, ctx)


class Commands(click.Group):
    """The command group; Ctrl-C anywhere in a command ends it with one line and exit code 130,
    not click's "Aborted!" and 1 (which would read as "findings")."""

    command_class = Command
    group_class = type  # `pdscan dsar`'s commands are `Command`s too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("pdscan: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pdscan", message="%(prog)s %(version)s")
def cli() -> None:
    """pdscan finds personal data (names, contacts, card and bank numbers, SSNs, IPs ...)
    in files and reports where it is, without revealing the values.

    Example: pdscan scan examples/
    """


store_option = click.option(
    "--store", "store_url", metavar="URL|FILE",
    help="Findings store: a SQLite file or SQLAlchemy URL (default: $PDSCAN_STORE, the config's store, ./pdscan.db).",
)  # fmt: skip
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default ./pdscan.yaml)."
)


def split_list(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeatable, comma-separated option values as one list: `-x a,b -x c` is a, b, c."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def plural(n: int, noun: str) -> str:
    """`1 new finding`, `2 new findings`, `0 new findings`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def main() -> None:
    try:
        cli(prog_name="pdscan")
    except PdscanError as error:  # before a command runs: a plugin that does not load, in --help or parsing
        click.echo(f"pdscan: error: {error}", err=True)
        sys.exit(error.exit_code)
