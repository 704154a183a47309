"""The command line: `pdscan scan PATH...`."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack

import click

from pdscan import __version__
from pdscan.config import chosen_sources
from pdscan.config import load as load_config
from pdscan.connectors.registry import redact
from pdscan.core.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, ConfigError
from pdscan.history import STORE_ENV
from pdscan.reports.formats import output_formats

FORMATS = tuple(output_formats())  # the one table of output formats: pdscan.reports.formats

MIN_PARALLEL_BYTES = 1 << 20  # without --workers, smaller scans run in this process


class UsageProblem(click.UsageError):
    """A usage error: one line, exit code 2."""

    exit_code = EXIT_ERROR


class Fatal(click.ClickException):
    exit_code = EXIT_ERROR


class _Progress:
    """Items, bytes, rate and time left on stderr while a terminal watches; nothing otherwise."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("scanning"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[items]} items"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = None
        self._done = 0
        self._total = 0

    def start(self, items: int, total_bytes: int) -> None:
        self._total = items
        self._progress.start()
        self._task = self._progress.add_task("scan", total=total_bytes or None, items=f"0/{items}")

    def advance(self, size: int) -> None:
        """Bytes of an item or of one part of a split file."""
        self._progress.update(self._task, advance=size)

    def item_done(self) -> None:
        self._done += 1
        self._progress.update(self._task, items=f"{self._done}/{self._total}")

    def stop(self) -> None:
        self._progress.stop()


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


class _Commands(click.Group):
    """The command group; Ctrl-C anywhere in a command ends it with one line and exit code 130,
    not click's "Aborted!" and 1 (which would read as "findings"); a store or key file open to
    others ends it with one line and exit code 2."""

    def invoke(self, ctx: click.Context):
        from pdscan.core.errors import Exposed

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("pdscan: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exposed as exc:  # a store or key file others may read: refused by any command that opens it
            click.echo(f"pdscan: error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pdscan", message="%(prog)s %(version)s")
def cli() -> None:
    """pdscan finds personal data (names, contacts, card and bank numbers, SSNs, IPs ...)
    in files and reports where it is, without revealing the values.

    Example: pdscan scan examples/
    """


@cli.command()
@click.argument("paths", nargs=-1, metavar="[SOURCE]...")
@click.option("--include", multiple=True, metavar="GLOB", help="Scan only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files matching GLOB (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
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
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default ./pdscan.yaml).")
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
@click.option(
    "--store", "store_url", metavar="URL|FILE",
    help="Findings store: a SQLite file or SQLAlchemy URL (default: $PDSCAN_STORE, the config's store, ./pdscan.db).",
)  # fmt: skip
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
    "--sample-size", type=click.IntRange(1), default=10_000, show_default=True,
    help="Databases: rows read per table (random where the database allows it cheaply).",
)  # fmt: skip
@click.option("--full", is_flag=True, help="Databases: read every row (streamed), not a sample.")
@click.option("--seed", type=int, help="Databases: seed for repeatable random samples.")
@click.option(
    "--query-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
    help="Databases: seconds a query may run before its table is skipped.",
)  # fmt: skip
@click.option("--views", is_flag=True, help="Databases: scan views as well as tables.")
@click.option("--region", help="S3: the bucket's region (default: from the AWS configuration).")
@click.option("--profile", help="S3: the AWS profile for credentials.")
@click.option(
    "--endpoint-url", metavar="URL", help="S3: an S3-compatible endpoint (MinIO, Ceph); also AWS_ENDPOINT_URL."
)
@click.option(
    "--sample-objects", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
    help="S3: share of objects to scan, picked at random (repeatable with --seed).",
)  # fmt: skip
@click.option(
    "--max-bytes-per-object", type=click.IntRange(1), metavar="BYTES",
    help="S3: read at most this many bytes of each object (the object is then marked partial).",
)  # fmt: skip
def scan(
    paths,
    include,
    exclude,
    fmt,
    output,
    granularity,
    min_score,
    entities,
    reveal,
    config_path,
    quiet,
    no_progress,
    workers,
    engine,
    ray_address,
    shared_paths,
    store_url,
    no_store,
    rescan,
    baseline_path,
    update_baseline,
    fail_on,
    policy_path,
    **reading,
):
    """Scan files and folders for personal data.

    Reads text and logs, CSV/TSV, JSON/NDJSON and Parquet, gzipped or not; folders are
    walked recursively. Databases (sqlite:///, postgresql://, mysql://) and s3:// buckets too.
    Without SOURCE, scans the config's `sources`. Exit code 0: nothing found; 1: findings; 2: usage or fatal error;
    130: interrupted (Ctrl-C: the findings so far are written, the store marks the scan interrupted).

    Example: pdscan scan examples/ --format ndjson --exclude '*.log'
    """
    from pdscan.connectors.registry import ConnectorOptions
    from pdscan.core.errors import BaselineError, CustomRuleError, PolicyError, WorkerFailed
    from pdscan.core.keys import FingerprintKey
    from pdscan.detectors.custom import build as build_custom
    from pdscan.detectors.pipeline import Detector, supported_entities
    from pdscan.engine import OutputError, Scanner, ScanOptions, root_of
    from pdscan.history import Recorder, load_baseline, settings_hash, write_baseline
    from pdscan.interrupts import InterruptGuard
    from pdscan.policy import load_policy
    from pdscan.reports.outputs import summary_dict

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    connector_options = ConnectorOptions(
        include=tuple(include) or tuple(config.include),
        exclude=tuple(exclude) or tuple(config.exclude),
        limits=config.limits,
        **reading,
    )
    try:
        paths = tuple(chosen_sources(paths, config, connector_options))
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    try:
        policy = load_policy(policy_path or config.policy)
    except PolicyError as exc:
        raise UsageProblem(str(exc)) from None
    for spec in config.sources:
        unknown = sorted(set(spec.retention) - set(policy.retention_exceptions))
        if unknown:
            raise UsageProblem(f"{config.path}: source {redact(spec.url)}: unknown retention exceptions {unknown}")
    fail_categories = {c.lower() for c in _split_list(fail_on)} or None  # `PFI` is `pfi`
    unknown = sorted((fail_categories or set()) - set(policy.categories))
    if unknown:
        raise UsageProblem(
            f"--fail-on: unknown categories {', '.join(unknown)} (known: {', '.join(policy.categories)})"
        )
    if update_baseline and not baseline_path:
        raise UsageProblem("--update-baseline needs --baseline FILE")
    if ray_address and engine != "ray":
        raise UsageProblem("--ray-address needs --engine ray")
    if shared_paths and engine != "ray":
        raise UsageProblem("--shared-path needs --engine ray")
    try:
        custom = build_custom(config.deny_list, config.recognizers)
    except CustomRuleError as exc:
        raise UsageProblem(f"{config.path}: {exc}") from None
    supported = supported_entities() + custom.entities
    wanted = _expand_entities(_split_list(entities), policy, supported) or config.entities or supported
    unknown = sorted(set(wanted) - set(supported))
    if unknown:
        raise UsageProblem(
            f"unknown entities: {', '.join(unknown)} (known: {', '.join(supported)}; "
            f"or a category: {', '.join(policy.categories)})"
        )
    wanted = [e for e in wanted if e not in set(config.disable)]
    try:
        key = FingerprintKey.load(config.key_file)
    except OSError as exc:
        raise Fatal(f"cannot read or create the fingerprint key: {exc.strerror}") from None
    detector = Detector(
        entities=wanted,
        min_score=config.min_score if min_score is None else min_score,
        entity_min_scores=config.scores,
        disabled_filters=tuple(config.disabled_filters),
        allow_list=config.allow_list,
        custom=custom,
    )
    options = ScanOptions(
        granularity=granularity or config.granularity,
        column_sample=config.column_sample,
        reveal=reveal,
        connector=connector_options,
        names=config.source_names(),
    )
    try:
        baseline = load_baseline(baseline_path, key.key_id) if baseline_path and not update_baseline else None
    except BaselineError as exc:
        raise UsageProblem(str(exc)) from None
    recorder = Recorder(
        store=None if no_store else _open_store(store_url or os.environ.get(STORE_ENV) or config.store),
        sources=[root_of(p, options.names) for p in paths],
        policy_id=policy.id,
        key_id=key.key_id,
        rescan=rescan or reveal,  # the store keeps no values: --reveal must read them again
        keep=update_baseline,
        settings=settings_hash(
            sorted(wanted),
            detector.min_score,
            sorted(config.scores.items()),
            sorted(config.disabled_filters),
            config.allow_list,
            config.deny_list,
            config.recognizers,
            options.granularity,
            options.column_sample,
            connector_options,
        ),
    )
    recorder.start()
    with ExitStack() as stack:
        out = _open_output(stack, output) if output else sys.stdout
        fmt = fmt or ("text" if out.isatty() else "ndjson")
        writer = output_formats()[fmt].writer(out)
        shared = tuple(shared_paths) + tuple(config.shared_paths)
        executor = _executor(engine, workers, ray_address, shared, detector, key, options, policy)
        if executor is not None:
            stack.push(lambda kind, exc, tb: _stop_executor(executor, kind))
        progress = None
        if not quiet and not no_progress and sys.stderr.isatty():
            progress = _Progress()
            stack.callback(progress.stop)
        guard = InterruptGuard()

        def emit(finding) -> None:
            with guard.deferred():  # a Ctrl-C waits for the line and the store's batch to be whole
                if recorder.add(finding):  # False: labelled a false positive (recorded, counted, not shown)
                    writer.write(finding)

        scanner = Scanner(
            detector, key, options, emit=emit, progress=progress, policy=policy, tracker=recorder.tracker,
            executor=executor,
        )  # fmt: skip
        try:
            with guard:
                summary = scanner.scan(paths)
        except WorkerFailed as exc:
            raise Fatal(str(exc)) from None
        except OutputError as exc:
            if isinstance(exc.__cause__, BrokenPipeError):
                sys.stderr.close()  # the reader went away (| head): stop quietly
                sys.exit(EXIT_ERROR)
            raise Fatal(str(exc)) from None
        if progress:
            progress.stop()
        writer.close(summary, key.key_id)
    recorder.finish(summary, summary_dict(summary, key.key_id))
    if summary.interrupted:  # no baseline, no gate: the items not reached would read as resolved
        _say_interrupted(summary)
        sys.exit(EXIT_INTERRUPTED)
    if update_baseline:
        try:
            write_baseline(baseline_path, recorder.found, key.key_id, policy.id)
        except OSError as exc:
            raise Fatal(f"cannot write {baseline_path}: {exc.strerror}") from None
        if not quiet:
            click.echo(f"pdscan: baseline {baseline_path} written: {_plural(len(recorder.found), 'finding')}", err=True)
    if not quiet:
        _print_summary(summary)
        if engine == "ray":
            click.echo(f"pdscan: {executor.placement.describe()}", err=True)
        if recorder.hidden:
            click.echo(
                f"pdscan: {_plural(recorder.hidden, 'finding')} labelled false positive not shown "
                "(pdscan label --list)", err=True,
            )  # fmt: skip
        if recorder.gone:
            click.echo(
                f"pdscan: {_plural(recorder.gone, 'item')} gone since the last scan: their findings are resolved "
                "(pdscan diff)", err=True,
            )  # fmt: skip
    if summary.source_errors:
        sys.exit(EXIT_ERROR)
    # well-known test values (4111 1111 1111 1111) are reported but do not fail a run
    if baseline is not None:
        new = recorder.new_against(baseline, fail_categories)
        _say_new([category for _, category, _ in new], f"not in {baseline_path}", quiet)
        sys.exit(EXIT_FINDINGS if new else EXIT_CLEAN)
    if fail_categories is not None and recorder.store:
        previous = recorder.previous_scan()
        if previous is not None:
            diff = recorder.store.diff(previous, recorder.scan_id)
            new = recorder.gated(diff.added, fail_categories)
            _say_new([f.category for f in new], f"since scan {previous}", quiet)
            sys.exit(EXIT_FINDINGS if new else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if recorder.any_gated(fail_categories) else EXIT_CLEAN)


def _executor(engine, workers, ray_address, shared, detector, key, options, policy):
    """None (scan in this process), local worker processes, or Ray."""
    from datetime import date

    from pdscan.core.errors import EngineUnavailable
    from pdscan.parallel import LocalExecutor, default_workers
    from pdscan.unitscan import ScanContext

    context = ScanContext(detector, key, options, policy, date.today())
    if engine == "ray":
        from pdscan.rayengine import RayExecutor

        try:
            return RayExecutor(context, ray_address, workers, shared)
        except EngineUnavailable as exc:
            raise Fatal(str(exc)) from None
    if workers is None:  # the default: all cores, for scans big enough to repay starting workers
        cores = default_workers()
        return LocalExecutor(context, cores, min_bytes=MIN_PARALLEL_BYTES) if cores > 1 else None
    return LocalExecutor(context, workers) if workers > 1 else None


def _open_output(stack: ExitStack, path: str):
    """The -o file: written 0600 beside it and renamed when the scan ends (with the findings so far
    when something stopped it)."""
    from pdscan.core.privatefile import PrivateFile

    try:
        return stack.enter_context(PrivateFile(path, keep_on_error=True))
    except OSError as exc:
        raise Fatal(f"cannot write {path}: {exc.strerror}") from None


def _say_interrupted(summary) -> None:
    """One line: how far the scan got."""
    found = sum(summary.findings.values())
    if summary.planned is None:
        click.echo(f"pdscan: scan interrupted while listing the sources, {found} findings written", err=True)
        return
    done = sum(r.reason != "interrupted" for r in summary.items)
    click.echo(f"pdscan: scan interrupted: {done} of {summary.planned} items done, {found} findings written", err=True)


def _stop_executor(executor, kind) -> None:
    """Workers end when the scan does; a second Ctrl-C during the first one's cleanup does not wait for them."""
    if kind is not None and issubclass(kind, KeyboardInterrupt):
        executor.abort()
    executor.close()


def _open_store(url: str | None):
    from pdscan.core.errors import StoreError
    from pdscan.store import Store

    try:
        return Store(url)
    except StoreError as exc:
        raise Fatal(f"{redact(url or 'pdscan.db')}: {exc}") from None


def _say_new(new: list, against: str, quiet: bool) -> None:
    """`new`: the categories of the new findings."""
    if not quiet:
        by_category = {}
        for category in new:
            by_category[category] = by_category.get(category, 0) + 1
        detail = ", ".join(f"{k} {v}" for k, v in sorted(by_category.items()))
        click.echo(f"pdscan: {_plural(len(new), 'new finding')} {against}" + (f": {detail}" if new else ""), err=True)


def _expand_entities(names: list[str], policy, supported: list[str]) -> list[str]:
    """`--entities`: entity names, or policy category ids standing for the supported entities in them."""
    wanted: list[str] = []
    for name in names:
        category = policy.categories.get(name.lower())
        if name.upper() in supported or category is None:
            wanted.append(name.upper() if name.upper() in supported else name)
        else:
            wanted += [e for e in supported if policy.category_id(e) == category.id and e not in wanted]
    return list(dict.fromkeys(wanted))


def _plural(n: int, noun: str) -> str:
    """`1 new finding`, `2 new findings`, `0 new findings`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _counts(counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))


def human_size(nbytes: int) -> str:
    """`36 KB`, `7.4 KB`, `25.3 MB`: a small scan is not `0.0 MB`."""
    if nbytes >= 999_500:
        return f"{nbytes / 1e6:.1f} MB"
    if not nbytes:
        return "0 KB"
    kb = nbytes / 1e3
    return f"{kb:.1f} KB" if kb < 10 else f"{kb:.0f} KB"


def _scans(ids: list[int]) -> str:
    """`scan 3`, `scans 1 and 3`, `scans 1 to 7`: where carried findings come from."""
    if len(ids) == 1:
        return f"scan {ids[0]}"
    return f"scans {ids[0]} and {ids[1]}" if len(ids) == 2 else f"scans {ids[0]} to {ids[-1]}"


def _read_line(summary) -> str:
    """What was read, apart from the items carried unchanged from the store (which were not)."""
    items = summary.items
    carried = [r for r in items if r.carried_from]
    read = [r for r in items if not r.carried_from]
    scanned = sum(r.status != "skipped" for r in read)
    records = sum(r.records for r in read)
    took = f"in {summary.seconds:.1f} s"
    size = human_size(sum(r.bytes for r in read))
    line = f"pdscan: scanned {scanned} of {len(items)} items ({size}, {_plural(records, 'record')}) {took}"
    if not carried:
        return line
    unchanged = f"since {_scans(sorted({r.carried_from for r in carried}))}, not read again (--rescan to read them)"
    if not scanned:
        return f"pdscan: {_plural(len(carried), 'item')} unchanged {unchanged}; 0 read {took}"
    return f"{line}; {len(carried)} unchanged {unchanged}"


def _print_summary(summary) -> None:
    line = _read_line(summary)
    partial, skipped = summary.count("partial"), summary.count("skipped")
    if partial:
        line += f"; partial {sum(partial.values())} ({_counts(partial)})"
    if skipped:
        line += f"; skipped {sum(skipped.values())} ({_counts(skipped)})"
    click.echo(line, err=True)
    total = sum(summary.findings.values())
    line = f"pdscan: {total} findings" + (f": {_counts(summary.findings)}" if total else "")
    if summary.test_data:
        line += f" ({summary.test_data} of them well-known test values)"
    click.echo(line, err=True)


def _add_history_commands() -> None:
    from pdscan.cli_dsar import dsar_group
    from pdscan.cli_history import diff_command, findings_command, label_command, scans_command
    from pdscan.cli_report import report_command

    for command in (scans_command, diff_command, findings_command, label_command, report_command, dsar_group):
        cli.add_command(command)


_add_history_commands()


def main() -> None:
    cli(prog_name="pdscan")
