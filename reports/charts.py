"""The reports' charts: categories and containers compared by places and by values.

Raw finding counts make a log (one finding per match) outweigh a table column of 40 card
numbers (one finding); places and values are what a reader compares.
"""

from __future__ import annotations

from collections.abc import Callable

from pdscan.reports.base import Bar, Chart
from pdscan.reports.counts import DEFAULT_COLUMN_SAMPLE, NONE, Values, place_of, values_of

CAPTION = (
    "Places: containers' columns or fields (or their text) holding the data. Values: matching cells and "
    "matches found there; a bar marked + is a lower bound (part of a place was not read). "
    "Reviewer-suppressed findings are not counted."
)


def _bars(seen: list, items: dict, key: Callable, column_sample: int) -> list[Bar]:
    places: dict[str, set] = {}
    values: dict[str, Values] = {}
    for s in seen:
        f = s.finding
        label = key(f)
        places.setdefault(label, set()).add(place_of(f))
        item = items.get((f.source, f.location.container))
        values[label] = values.get(label, NONE) + values_of(f, item, column_sample)
    bars = [Bar(label, len(places[label]), values[label].found, values[label].exact) for label in places]
    return sorted(bars, key=lambda b: (-b.places, -b.values, b.label))


def by_category(seen: list, items: dict, label: Callable, column_sample: int = DEFAULT_COLUMN_SAMPLE) -> Chart:
    """One bar pair per policy category; `label(finding)` names its category."""
    return Chart("by_category", "Categories by places and values", _bars(seen, items, label, column_sample), CAPTION)


def by_container(seen: list, items: dict, store: Callable, column_sample: int = DEFAULT_COLUMN_SAMPLE) -> Chart:
    """One bar pair per container, named with its store (`store(source)`: the config's name, else the source)."""

    def key(f) -> str:
        name, container = store(f.source), f.location.container
        return container if container.startswith(name) else f"{container} ({name})"

    return Chart("by_container", "Containers by places and values", _bars(seen, items, key, column_sample), CAPTION)
