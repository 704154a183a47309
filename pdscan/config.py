"""The config file (YAML): scan settings that outlive one command line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import yaml

from pdscan.connectors.limits import Limits
from pdscan.core.errors import ConfigError

DEFAULT_FILE = "pdscan.yaml"


@dataclass(frozen=True)
class SourceSpec:
    """One source of a periodic scan, with what a right-to-know answer needs to say about it."""

    url: str  # a path, a database URL or s3://bucket/prefix
    name: str | None = None
    owner: str | None = None
    source_category: str | None = None  # the policy's "categories of sources": "directly from the customer" ...
    # categories of third parties the data is shared with; None: the config does not say, (): shared with none
    third_parties: tuple[str, ...] | None = None
    purposes: tuple[str, ...] = ()  # business or marketing purposes this store serves
    retention: tuple[str, ...] = ()  # the policy's retention exception ids that apply (billing records ...)


SOURCE_KEYS = {"url", "name", "owner", "source_category", "third_parties", "purposes", "retention"}


@dataclass
class Config:
    min_score: float = 0.5
    entities: list[str] | None = None  # None: every supported entity
    scores: dict[str, float] = field(default_factory=dict)  # per-entity minimum score
    disabled_filters: list[str] = field(default_factory=list)
    granularity: str = "column"
    column_sample: int = 1000  # decide a plainly personal column on this many values; 0 = every value
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    key_file: str | None = None
    disable: list[str] = field(default_factory=list)  # entities switched off
    allow_list: list[str] = field(default_factory=list)  # values never reported
    deny_list: dict[str, list[str]] = field(default_factory=dict)  # entity -> terms always reported
    recognizers: list[dict] = field(default_factory=list)  # custom pattern recognizers
    policy: str | None = None  # a policy file; None: the default (Fusion, October 2020)
    store: str | None = None  # the findings store: a SQLite file or SQLAlchemy URL
    sources: list[SourceSpec] = field(default_factory=list)  # scanned when `pdscan scan` names none
    shared_paths: list[str] = field(default_factory=list)  # --engine ray: storage every node mounts here
    # dsar: field names holding one key, followed to linked records ("customer_id", [cust_no, customer_id])
    join_keys: list[tuple[str, ...]] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)  # caps per item and per scan (pdscan.connectors.limits)
    ocr: bool = False  # read images and scanned PDF pages by OCR (Tesseract): held in limits.ocr
    path: str | None = None

    def source_names(self) -> dict[str, str]:
        """The configured names of sources, by url as given and without credentials (pdscan.engine.root_of)."""
        from pdscan.connectors.registry import redact

        return {url: s.name for s in self.sources if s.name for url in (s.url, redact(s.url))}


KEYS = {
    "min_score": (float, int),
    "entities": list,
    "scores": dict,
    "disabled_filters": list,
    "granularity": str,
    "column_sample": int,
    "include": list,
    "exclude": list,
    "key_file": str,
    "disable": list,
    "allow_list": list,
    "deny_list": dict,
    "recognizers": list,
    "policy": str,
    "store": str,
    "sources": list,
    "shared_paths": list,
    "join_keys": list,
    "limits": dict,
    "ocr": bool,
}


def _score(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigError(f"{where}: a score must be a number from 0 to 1")
    return float(value)


def load(path: str | None) -> Config:
    """`path`, else ./pdscan.yaml if present, else defaults."""
    if path is None:
        if not os.path.exists(DEFAULT_FILE):
            return Config()
        path = DEFAULT_FILE
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or 'syntax error'})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    config = Config(path=path)
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(KEYS))})")
        if not isinstance(value, KEYS[key]):
            raise ConfigError(f"{path}: '{key}' has the wrong type")
        setattr(config, key, value)
    config.min_score = _score(config.min_score, f"{path}: min_score")
    config.scores = {str(k): _score(v, f"{path}: scores.{k}") for k, v in config.scores.items()}
    if config.granularity not in ("column", "row"):
        raise ConfigError(f"{path}: granularity must be 'column' or 'row'")
    if not all(isinstance(p, str) and p for p in config.shared_paths):
        raise ConfigError(f"{path}: 'shared_paths' must be a list of paths")
    config.sources = [_source(item, f"{path}: sources[{i}]") for i, item in enumerate(config.sources)]
    config.join_keys = [_join_key(item, f"{path}: join_keys[{i}]") for i, item in enumerate(config.join_keys)]
    if isinstance(config.limits, dict):
        try:
            config.limits = Limits.from_config(config.limits, path)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    config.limits = config.limits.ocr_on(config.ocr)
    return config


def _join_key(item, where: str) -> tuple[str, ...]:
    """A field name, or a list of the names one key has in different stores."""
    names = [item] if isinstance(item, str) else item
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(f"{where}: a join key is a field name or a list of field names")
    return tuple(n.strip().lower() for n in names)


def _source(item, where: str) -> SourceSpec:
    if isinstance(item, str):
        return SourceSpec(url=item)
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise ConfigError(f"{where}: a source is a path or URL, or a mapping with a 'url'")
    unknown = sorted(set(item) - SOURCE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(SOURCE_KEYS))})")
    lists: dict[str, tuple[str, ...] | None] = {}
    for key in ("third_parties", "purposes", "retention"):
        if key == "third_parties" and item.get(key) is None:
            lists[key] = None  # not said, which is not "none": `third_parties: []` declares none
            continue
        value = item.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")
        lists[key] = tuple(value)
    singles = {k: item.get(k) for k in ("name", "owner", "source_category")}
    for key, value in singles.items():
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}: '{key}' must be a string")
    return SourceSpec(url=item["url"], **singles, **lists)


def chosen_sources(given, config: Config, options) -> list[str]:
    """The sources named on the command line, else the config's; ConfigError with the first usage problem."""
    from pdscan.connectors.registry import check

    sources = list(given) or [s.url for s in config.sources]
    if not sources:
        raise ConfigError("name a SOURCE (a path, a database URL or s3://...) or list 'sources' in the config")
    for source in sources:
        problem = check(source, options)
        if problem:
            raise ConfigError(problem)
    return sources
