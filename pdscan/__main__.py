"""`python -m pdscan` and the `pdscan` console script.

The CLI is imported here, inside the guard: importing it loads the plugins (the entity registry,
the format registries), and a third-party plugin that does not load is one line and exit code 2,
not a traceback.
"""

import sys


def main() -> None:
    from pdscan.core.errors import PdscanError

    try:
        from pdscan.cli import main as cli_main
    except PdscanError as error:
        print(f"pdscan: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    cli_main()


if __name__ == "__main__":
    main()
