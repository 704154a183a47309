"""Shared by the recognizer tests: a Detector for the module's entity, hits checked and scored, the gate check."""

from collections.abc import Iterable, Sequence

import pyarrow as pa
import pytest

from pdscan.detectors import prefilter
from pdscan.detectors.pipeline import Detector, Hit


@pytest.fixture(scope="module")
def detector(request) -> Detector:
    """A Detector for the test module's ENTITY, or its ENTITIES where it needs more than one."""
    module = request.module
    return Detector(entities=getattr(module, "ENTITIES", None) or [module.ENTITY])


def hits_on(detector: Detector, value: str, context: list[str] | None, entity: str, *recognizers: str) -> list[Hit]:
    """The hits on one value, each checked: `entity`, from one of `recognizers`, its text at its offsets."""
    hits = detector.detect(pa.array([value]), context=context)
    assert all(h.entity == entity and h.detector in recognizers for h in hits)
    assert all(value[h.start : h.end] == h.text for h in hits)
    return hits


def scored(hits: Iterable[Hit]) -> list[tuple[str, float]]:
    """(text, score to two places) per hit, as the case tables write them."""
    return [(h.text, round(h.score, 2)) for h in hits]


def found_values(cases: Iterable[Sequence]) -> list[str]:
    """The values of a case table that something is found in (its last column is not empty), each once."""
    return sorted({case[0] for case in cases if case[-1]})


def gate_passes(value: str, gates: Iterable[prefilter.Gate]) -> bool:
    """Whether one of `gates` lets the value through to Presidio."""
    masks = prefilter.candidates(pa.array([value]), list(gates))
    return any(mask[0] for mask in masks.values())
