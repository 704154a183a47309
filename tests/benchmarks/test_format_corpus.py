"""The format benchmark's files (benchmarks/formatcorpus.py) hold the same lines in every format, as
pdscan's own readers see them: the benchmark compares like with like. No timings."""

import re

import pytest

from benchmarks.formatcorpus import PII_EVERY, WRITERS, text_lines
from pdscan.connectors.registry import ConnectorOptions, connector_for
from pdscan.core.model import ItemResult

TITLES = re.compile(r"log( page \d+)?")  # an HTML title, an e-mail subject: read too, and no line of the text


@pytest.fixture(scope="module")
def lines():
    return text_lines(120)


def test_the_lines_are_real_text_with_planted_data(lines):
    assert len(lines) == 120 and len(set(lines)) > 100
    planted = lines[PII_EVERY - 1 :: PII_EVERY]
    assert len(planted) == 6 and all(
        re.search(r"@example\.com|\d{3}-\d{2}-\d{4}|\d{4} \d{4} \d{4}", x) for x in planted
    )


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_format_reads_back_as_the_same_lines(name, lines, tmp_path):
    filename, writer, _ = WRITERS[name]
    path = tmp_path / filename
    assert writer(path, lines) >= 1
    connector = connector_for(str(path), ConnectorOptions())
    read = []
    for item in connector.items([]):
        for batch in connector.read(item, ItemResult(str(path), item.container)):
            read += [x.strip() for v in batch.values.to_pylist() if isinstance(v, str) for x in v.split("\n")]
    if name == "html":  # visible text: runs of spaces collapse, as a browser shows them
        lines = [" ".join(x.split()) for x in lines]
    assert [x for x in read if x and not TITLES.fullmatch(x)] == lines
