"""A privacy policy as data: categories of personal data, the entities in each, purposes, CCPA terms.

The default is Fusion Connect's policy of October 2020 (`pdscan/policies/fusion-2020-10.yaml`);
`--policy FILE` loads another in the same format. A mistake in the file is reported with its line.
Every entity a detector can emit must map to exactly one category: an entity the file does not
name goes to its spec's default category (pdscan.core.entities), when the policy has that category.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pdscan.core import entities
from pdscan.core.errors import PolicyError
from pdscan.reports.model import Purpose  # a purpose is the same plain record the reports read

DEFAULT_POLICY = Path(__file__).with_name("policies") / "fusion-2020-10.yaml"
UNCATEGORIZED = "uncategorized"  # custom entities (deny lists, YAML recognizers) the policy does not name


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str
    entities: tuple[str, ...]
    ccpa: str
    sensitive: bool = False


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    path: str
    categories: dict[str, Category]
    purposes: tuple[Purpose, ...]
    retention_exceptions: dict[str, str]
    response_days: int = 45
    lookback_months: int = 12
    minor_age: int | None = 18
    minor_category: str | None = "minors"
    minor_action: str | None = None  # what the policy's minors notice says to do with their data
    _by_entity: dict[str, str] = field(default_factory=dict, repr=False)

    def category_of(self, entity: str) -> Category | None:
        cid = self._by_entity.get(entity)
        return self.categories[cid] if cid else None

    def category_id(self, entity: str) -> str:
        return self._by_entity.get(entity, UNCATEGORIZED)

    def ccpa_of(self, entity: str) -> str | None:
        category = self.category_of(entity)
        return category.ccpa if category else None

    def purposes_for(self, category_id: str) -> list[Purpose]:
        return [p for p in self.purposes if category_id in p.categories]

    def unmapped(self, entities: list[str]) -> list[str]:
        return [e for e in entities if e not in self._by_entity]

    def is_minor(self, birth: date, on: date) -> bool:
        """Born less than `minor_age` years before `on`."""
        if self.minor_age is None:
            return False
        years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        return 0 <= years < self.minor_age


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at `path`, or the default one."""
    return _load(str(path or DEFAULT_POLICY))


@lru_cache(maxsize=8)
def _load(path: str) -> Policy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy ({exc.strerror})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise PolicyError(f"{path}, {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return _Builder(path).policy(node)


class _Builder:
    """Walks the YAML node tree, so every error can name its line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node, message: str):
        line = node.start_mark.line + 1 if node is not None else 1
        raise PolicyError(f"{self.path}, line {line}: {message}")

    def mapping(self, node, what: str) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping")
        return {k.value: v for k, v in node.value}

    def sequence(self, node, what: str) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list")
        return node.value

    def scalar(self, node, what: str, kind=str, required=True, default=None):
        if node is None:
            if required:
                raise PolicyError(f"{self.path}: {what} is missing")
            return default
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be a single value")
        value = yaml.safe_load(yaml.serialize(node))
        if kind is str:
            return str(value)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            self.fail(node, f"{what} must be {'a number' if kind is int else 'true or false'}")
        return value

    def words(self, node, what: str) -> tuple[str, ...]:
        return tuple(self.scalar(n, f"an item of {what}") for n in self.sequence(node, what))

    def policy(self, root) -> Policy:
        top = self.mapping(root, "the policy file")
        for key in top:
            if key not in ("policy", "categories", "purposes", "retention_exceptions"):
                node = next(k for k, _ in root.value if k.value == key)
                self.fail(node, f"unknown section '{key}' (known: policy, categories, purposes, retention_exceptions)")
        head = self.mapping(top.get("policy") or self.fail(root, "the 'policy' section is missing"), "policy")
        ccpa = self.mapping(head["ccpa"], "policy.ccpa") if "ccpa" in head else {}
        minors = self.mapping(head["minors"], "policy.minors") if "minors" in head else {}
        categories = self.categories(top.get("categories") or self.fail(root, "the 'categories' section is missing"))
        by_entity: dict[str, str] = {}
        for node in self.sequence(top["categories"], "categories"):
            cat = self.mapping(node, "a category")
            cid = self.scalar(cat.get("id"), "a category's id")
            for entity_node in self.sequence(cat.get("entities") or _EMPTY, "entities"):
                entity = entity_node.value
                if entity in by_entity:
                    self.fail(entity_node, f"entity {entity} is already in category '{by_entity[entity]}'")
                by_entity[entity] = cid
        for entity, cid in entities.default_categories().items():  # what the file leaves out: the spec's default
            if entity not in by_entity and cid in categories:
                by_entity[entity] = cid
                categories[cid] = replace(categories[cid], entities=(*categories[cid].entities, entity))
        purposes = tuple(self.purpose(n, categories) for n in self.sequence(top.get("purposes") or _EMPTY, "purposes"))
        exceptions = {}
        for node in self.sequence(top.get("retention_exceptions") or _EMPTY, "retention_exceptions"):
            item = self.mapping(node, "a retention exception")
            exceptions[self.scalar(item.get("id"), "a retention exception's id")] = self.scalar(
                item.get("text"), "a retention exception's text"
            )
        minor_category = self.scalar(minors.get("category"), "policy.minors.category", required=False)
        if minor_category and minor_category not in categories:
            self.fail(minors["category"], f"policy.minors.category '{minor_category}' is not a category id")
        return Policy(
            id=self.scalar(head.get("id"), "policy.id"),
            name=self.scalar(head.get("name"), "policy.name"),
            path=self.path,
            categories=categories,
            purposes=purposes,
            retention_exceptions=exceptions,
            response_days=self.scalar(ccpa.get("response_days"), "ccpa.response_days", int, False, 45),
            lookback_months=self.scalar(ccpa.get("lookback_months"), "ccpa.lookback_months", int, False, 12),
            minor_age=self.scalar(minors.get("age"), "policy.minors.age", int, False, None),
            minor_category=minor_category,
            minor_action=self.scalar(minors.get("action"), "policy.minors.action", required=False),
            _by_entity=by_entity,
        )

    def categories(self, node) -> dict[str, Category]:
        out: dict[str, Category] = {}
        for item_node in self.sequence(node, "categories"):
            item = self.mapping(item_node, "a category")
            cid = self.scalar(item.get("id"), "a category's id")
            if cid in out:
                self.fail(item["id"], f"category id '{cid}' appears twice")
            out[cid] = Category(
                id=cid,
                label=self.scalar(item.get("label"), f"category '{cid}': label"),
                description=self.scalar(item.get("description"), f"category '{cid}': description", required=False)
                or "",
                entities=self.words(item.get("entities") or _EMPTY, f"category '{cid}': entities"),
                ccpa=self.scalar(item.get("ccpa"), f"category '{cid}': ccpa"),
                sensitive=self.scalar(item.get("sensitive"), "sensitive", bool, False, False),
            )
        return out

    def purpose(self, node, categories: dict[str, Category]) -> Purpose:
        item = self.mapping(node, "a purpose")
        cats = self.words(item.get("categories") or _EMPTY, "a purpose's categories")
        for cat_node, cid in zip(item["categories"].value if "categories" in item else [], cats):
            if cid not in categories:
                self.fail(cat_node, f"'{cid}' is not a category id")
        return Purpose(
            group=self.scalar(item.get("group"), "a purpose's group"),
            purpose=self.scalar(item.get("purpose"), "a purpose's text"),
            categories=cats,
            basis=self.scalar(item.get("basis"), "a purpose's lawful basis"),
            marketing=self.scalar(item.get("marketing"), "marketing", bool, False, False),
        )


_EMPTY = yaml.SequenceNode(tag="tag:yaml.org,2002:seq", value=[])
