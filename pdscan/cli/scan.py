"""`pdscan scan`: options in, `run_scan`, findings out, the summary on stderr, the exit code."""

from __future__ import annotations

import sys

import click

from pdscan.app.scan import ScanSettings, run_scan
from pdscan.cli.base import RegistryChoice, cli, config_option, finish, split_list, store_option
from pdscan.cli.scansummary import Progress, say_outcome
from pdscan.connectors.cli import connector_options
from pdscan.reports.formats import output_formats

# fmt: on


@cli.command()
@click.argument("paths", nargs=-1, metavar="[SOURCE]...")
@click.option("--include", multiple=True, metavar="GLOB", help="Scan only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files matching GLOB (repeatable).")
@click.option(
    "--format", "fmt", type=RegistryChoice(output_formats),
    help="Output format. Default: text on a terminal, else ndjson. sarif: SARIF 2.1.0 for code scanning "
    "(GitHub, GitLab), with masked samples only, even with --reveal.",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write findings to FILE.")
@click.option(
    "--granularity", type=click.Choice(["column", "row"]),
    help="Tabular data: one finding per column and entity (default), or one per cell.",
)  # fmt: skip
@click.option("--min-score", type=click.FloatRange(0, 1), help="Report findings at or above this score (default 0.5).")
@click.option(
    "--entities",
    multiple=True,
    metavar="LIST",
    help="Only these entities or policy categories (comma-separated, repeatable; e.g. US_SSN,pfi).",
)
@click.option("--reveal", is_flag=True, help="Include the raw found values in the output (handle with care).")
@config_option
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary on stderr.")
@click.option("--no-progress", is_flag=True, help="No progress display (it shows only when stderr is a terminal).")
@click.option(
    "--workers", type=click.IntRange(1), metavar="N",
    help="Worker processes (default: the number of cores, for scans over 1 MB); 1 scans in this process. "
    "Large files are split into parts.",
)  # fmt: skip
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="Where work units run: local worker processes, or Ray tasks (pip install 'pdscan[ray]').",
)  # fmt: skip
@click.option("--ray-address", metavar="ADDR", help="Ray cluster to join (default: start Ray on this machine).")
@click.option(
    "--shared-path", "shared_paths", multiple=True, metavar="PREFIX",
    help="Ray: files under PREFIX are at the same place on every node (NFS ...), so their units may run on "
    "any node; other local files are read on this machine's node (repeatable; also `shared_paths` in the config).",
)  # fmt: skip
@store_option
@click.option("--no-store", is_flag=True, help="Do not record this scan in the store.")
@click.option("--rescan", is_flag=True, help="Scan items again even if the store knows them unchanged.")
@click.option(
    "--baseline", "baseline_path", type=click.Path(dir_okay=False),
    help="Compare with this JSON baseline: only findings not in it count as new (for CI without a store).",
)  # fmt: skip
@click.option("--update-baseline", is_flag=True, help="Rewrite the --baseline file with this scan's findings.")
@click.option(
    "--fail-on", multiple=True, metavar="CATEGORIES",
    help="Exit 1 only for new findings in these policy categories (e.g. pfi,ssn_ein; default: all), "
    "new against --baseline or the store's previous scan of the same sources.",
)  # fmt: skip
@click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False),
    help="Privacy policy file mapping entities to data categories (default: the bundled Fusion 2020-10 policy).",
)  # fmt: skip
@click.option(
    "--ocr", is_flag=True,
    help="Read the text of images (PNG, JPEG, TIFF) and scanned PDF pages by OCR: needs Tesseract "
    "(apt-get install tesseract-ocr; pip install 'pdscan[ocr]'); also `ocr: true` in the config.",
)  # fmt: skip
@connector_options("scan")
def scan(paths, include, exclude, fmt, output, granularity, min_score, entities, reveal, config_path, quiet,
         no_progress, workers, engine, ray_address, shared_paths, store_url, no_store, rescan, baseline_path,
         update_baseline, fail_on, policy_path, ocr, **reading):  # fmt: skip
    """Scan files and folders for personal data.

    Reads text and logs, CSV/TSV, JSON/NDJSON and Parquet, gzipped or not; folders are
    walked recursively. Databases (sqlite:///, postgresql://, mysql://) and s3:// buckets too.
    Without SOURCE, scans the config's `sources`. Exit code 0: nothing found; 1: findings; 2: usage or fatal error;
    130: interrupted (Ctrl-C: the findings so far are written, the store marks the scan interrupted).

    Example: pdscan scan examples/ --format ndjson --exclude '*.log'
    """
    settings = ScanSettings(
        paths=tuple(paths), include=tuple(include), exclude=tuple(exclude), fmt=fmt, output=output,
        granularity=granularity, min_score=min_score, entities=split_list(entities), reveal=reveal,
        config_path=config_path, workers=workers, engine=engine, ray_address=ray_address,
        shared_paths=tuple(shared_paths), store_url=store_url, no_store=no_store, rescan=rescan,
        baseline_path=baseline_path, update_baseline=update_baseline, fail_on=split_list(fail_on),
        policy_path=policy_path, reading=reading, ocr=ocr,
    )  # fmt: skip
    progress = Progress() if not quiet and not no_progress and sys.stderr.isatty() else None
    outcome = run_scan(settings, sys.stdout, progress)
    say_outcome(outcome, settings, quiet)
    finish(outcome.exit_code)
