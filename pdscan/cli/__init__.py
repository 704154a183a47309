"""The command line: `pdscan scan PATH...` and the commands over the findings store.

Each command module (scan, history, report, dsar) registers its commands on the group in
pdscan.cli.base; importing them here makes `cli` whole.
"""

from pdscan.app.scan import MIN_PARALLEL_BYTES
from pdscan.cli import dsar, history, report, scan  # noqa: F401  (they register their commands)
from pdscan.cli.base import cli, main
from pdscan.cli.scansummary import human_size

__all__ = ["MIN_PARALLEL_BYTES", "cli", "human_size", "main"]
