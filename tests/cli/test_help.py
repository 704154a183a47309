"""Every command and option explains itself."""

import click
from click.testing import CliRunner

from pdscan import __version__
from pdscan.cli import cli


def _commands(group: click.Group):
    yield group
    for command in group.commands.values():
        yield from _commands(command) if isinstance(command, click.Group) else [command]


def test_every_command_and_option_has_help():
    for command in _commands(cli):
        assert command.help and "Example:" in command.help, command.name
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                assert param.help, f"{command.name} {param.opts}"
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"pdscan {__version__}"


def test_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "pdscan", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"pdscan {__version__}"
