"""A scan's settings checked and resolved against the config and policy: what to scan, with
which detector, gate and baseline. Every problem is a usage error, before anything is read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdscan.app.common import load_key
from pdscan.config import Config, chosen_sources
from pdscan.config import load as load_config
from pdscan.connectors.cli import options_from
from pdscan.connectors.registry import ConnectorOptions, redact
from pdscan.core.errors import CustomRuleError, UsageError


@dataclass
class ScanSettings:
    """Everything a scan needs, as the command line or a caller gives it (lists already split)."""

    paths: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fmt: str | None = None  # None: text on a terminal, else ndjson
    output: str | None = None  # None: the given stream (stdout)
    granularity: str | None = None
    min_score: float | None = None
    entities: tuple[str, ...] = ()  # entity names or policy categories
    reveal: bool = False
    config_path: str | None = None
    workers: int | None = None
    engine: str = "local"
    ray_address: str | None = None
    shared_paths: tuple[str, ...] = ()
    store_url: str | None = None
    no_store: bool = False
    rescan: bool = False
    baseline_path: str | None = None
    update_baseline: bool = False
    fail_on: tuple[str, ...] = ()  # policy categories
    policy_path: str | None = None
    reading: dict[str, Any] = field(default_factory=dict)  # the connectors' reading options
    ocr: bool = False  # read images and scanned PDF pages by OCR (also `ocr: true` in the config)


@dataclass
class Plan:
    config: Config
    policy: Any
    paths: tuple[str, ...]
    connector: ConnectorOptions
    fail_categories: set[str] | None  # None: every category fails the gate
    wanted: list[str]  # the entities to look for
    detector: Any
    options: Any  # pdscan.engine.ScanOptions
    key: Any  # pdscan.core.keys.FingerprintKey
    baseline: set[str] | None  # the baseline's fingerprints, when comparing with one
    shared_paths: tuple[str, ...]

    def recorder(self, store, settings: ScanSettings):
        """The scan's record in `store` (None: --no-store), with the settings that decide reuse."""
        from pdscan.engine import root_of
        from pdscan.history import Recorder, settings_hash

        config, detector, options = self.config, self.detector, self.options
        return Recorder(
            store=store,
            sources=[root_of(p, options.names) for p in self.paths],
            policy_id=self.policy.id,
            key_id=self.key.key_id,
            rescan=settings.rescan or settings.reveal,  # the store keeps no values: --reveal must read them again
            keep=settings.update_baseline,
            settings=settings_hash(
                sorted(self.wanted),
                detector.min_score,
                sorted(config.scores.items()),
                sorted(config.disabled_filters),
                config.allow_list,
                config.deny_list,
                config.recognizers,
                options.granularity,
                options.column_sample,
                self.connector,
            ),
        )


def plan_scan(settings: ScanSettings) -> Plan:
    from pdscan.detectors.custom import build as build_custom
    from pdscan.detectors.pipeline import Detector, supported_entities
    from pdscan.engine import ScanOptions
    from pdscan.history import load_baseline
    from pdscan.policy import load_policy

    config = load_config(settings.config_path)
    connector = options_from(
        settings.reading,
        include=tuple(settings.include) or tuple(config.include),
        exclude=tuple(settings.exclude) or tuple(config.exclude),
        limits=config.limits.ocr_on(settings.ocr),
    )
    paths = tuple(chosen_sources(settings.paths, config, connector))
    policy = load_policy(settings.policy_path or config.policy)
    for spec in config.sources:
        unknown = sorted(set(spec.retention) - set(policy.retention_exceptions))
        if unknown:
            raise UsageError(f"{config.path}: source {redact(spec.url)}: unknown retention exceptions {unknown}")
    fail_categories = {c.lower() for c in settings.fail_on} or None  # `PFI` is `pfi`
    unknown = sorted((fail_categories or set()) - set(policy.categories))
    if unknown:
        raise UsageError(f"--fail-on: unknown categories {', '.join(unknown)} (known: {', '.join(policy.categories)})")
    if settings.update_baseline and not settings.baseline_path:
        raise UsageError("--update-baseline needs --baseline FILE")
    if settings.ray_address and settings.engine != "ray":
        raise UsageError("--ray-address needs --engine ray")
    if settings.shared_paths and settings.engine != "ray":
        raise UsageError("--shared-path needs --engine ray")
    try:
        custom = build_custom(config.deny_list, config.recognizers)
    except CustomRuleError as exc:
        raise CustomRuleError(f"{config.path}: {exc}") from None
    supported = supported_entities() + custom.entities
    wanted = expand_entities(list(settings.entities), policy, supported) or config.entities or supported
    unknown = sorted(set(wanted) - set(supported))
    if unknown:
        raise UsageError(
            f"unknown entities: {', '.join(unknown)} (known: {', '.join(supported)}; "
            f"or a category: {', '.join(policy.categories)})"
        )
    wanted = [e for e in wanted if e not in set(config.disable)]
    key = load_key(config)
    detector = Detector(
        entities=wanted,
        min_score=config.min_score if settings.min_score is None else settings.min_score,
        entity_min_scores=config.scores,
        disabled_filters=tuple(config.disabled_filters),
        allow_list=config.allow_list,
        custom=custom,
    )
    options = ScanOptions(
        granularity=settings.granularity or config.granularity,
        column_sample=config.column_sample,
        reveal=settings.reveal,
        connector=connector,
        names=config.source_names(),
    )
    use_baseline = settings.baseline_path and not settings.update_baseline
    baseline = load_baseline(settings.baseline_path, key.key_id) if use_baseline else None
    shared = tuple(settings.shared_paths) + tuple(config.shared_paths)
    return Plan(config, policy, paths, connector, fail_categories, wanted, detector, options, key, baseline, shared)


def expand_entities(names: list[str], policy, supported: list[str]) -> list[str]:
    """`--entities`: entity names, or policy category ids standing for the supported entities in them."""
    wanted: list[str] = []
    for name in names:
        category = policy.categories.get(name.lower())
        if name.upper() in supported or category is None:
            wanted.append(name.upper() if name.upper() in supported else name)
        else:
            wanted += [e for e in supported if policy.category_id(e) == category.id and e not in wanted]
    return list(dict.fromkeys(wanted))
