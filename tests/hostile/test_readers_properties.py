"""Properties of the format readers on generated input (Hypothesis, derandomized: the same examples every run).

Whatever the bytes, a reader raises nothing but ItemError, ends with a known status and reason, and
counts a sane number of records; on well-formed input (written by the csv and json modules) the values
read are the values written, cell for cell.
"""

import csv
import io
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pdscan.connectors.formats import jsonfmt, tabular, text
from pdscan.connectors.limits import Limits
from pdscan.core.errors import REASONS, ItemError
from pdscan.core.model import STATUSES, ItemResult

PROPERTY = settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = Limits(json_elements=500, json_depth=20, columns=8, line_bytes=4096)  # caps that examples reach


def _read(reader, data: bytes, *args, **kwargs) -> tuple[ItemResult, list]:
    """Drain a reader over `data`; only ItemError may come out of it."""
    result = ItemResult("s", "item")
    batches = []
    try:
        batches = list(reader(io.BufferedReader(io.BytesIO(data)), result, *args, **kwargs))
    except ItemError as exc:
        result.skip(exc.reason, exc.detail)
    assert result.status in STATUSES
    assert result.reason is None if result.status == "complete" else result.reason in REASONS
    assert 0 <= result.records <= max(1, data.count(b"\n") + 1, len(data))
    for batch in batches:
        assert batch.rows is None or len(batch.rows) == len(batch.values)
        assert batch.lines is None or len(batch.lines) == len(batch.values)
    return result, batches


def _cells(batches) -> list[tuple]:
    return sorted(
        (b.field, v, int(r)) for b in batches for v, r in zip(b.values.to_pylist(), b.rows.tolist())
    )  # fmt: skip


# Bytes that reach the readers' corners: BOMs, NULs, CR/LF mixes, quotes, brackets, invalid UTF-8.
PIECES = st.sampled_from(
    [b"\xef\xbb\xbf", b"\x00", b"\r", b"\n", b"\r\n", b'"', b",", b"\t", b"[", b"]", b"{", b"}", b":",
     b'"a"', b"1", b"-0", b"1e999", b"9" * 5000, b"\xff", b"\xc3", b"\xe2\x82", b"null", b" ", b"x"]
)  # fmt: skip
HOSTILE = st.one_of(st.binary(max_size=300), st.lists(PIECES, max_size=80).map(b"".join))
DEEP = st.integers(1, 3000).map(lambda k: b"[" * k + b"]" * k) | st.integers(1, 3000).map(
    lambda k: b'{"a":' * k + b'"x"' + b"}" * k
)


@PROPERTY
@given(st.one_of(HOSTILE, DEEP))
def test_no_bytes_break_the_json_readers(data):
    _read(jsonfmt.read_json, data, SMALL)
    _read(jsonfmt.read_json, data)
    _read(jsonfmt.read_ndjson, data, SMALL)
    _read(jsonfmt.read_ndjson, data + b"\n" + data)


@PROPERTY
@given(HOSTILE)
def test_no_bytes_break_the_csv_and_text_readers(data):
    _read(tabular.read_csv, data, None, limits=SMALL)
    _read(tabular.read_csv, data, "\t")
    result, _ = _read(text.read_text, data)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    assert result.records == body.count(b"\n") + (not body.endswith(b"\n")) if body else result.records == 0


SCALARS = st.one_of(
    st.text(), st.integers(), st.integers(-(10**40), 10**40), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False),  # NaN and Infinity are not JSON (json.dumps writes them)
)  # fmt: skip
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                         max_leaves=30)  # fmt: skip


def _expected(records: list, lines: list | None = None) -> list[tuple]:
    return sorted((path, value, row) for row, record in enumerate(records) for path, value in jsonfmt.flatten(record))


@PROPERTY
@given(DOCUMENTS, st.sampled_from(["", " \n", "\ufeff"]))
def test_a_json_document_comes_back_value_for_value(document, pad):
    data = (pad + json.dumps(document, indent=pad and 1) + pad.strip("\ufeff")).encode()
    result, batches = _read(jsonfmt.read_json, data)
    records = document if isinstance(document, list) else [document]
    assert (result.status, result.records) == ("complete", len(records))
    assert _cells(batches) == _expected(records)


@PROPERTY
@given(st.lists(st.dictionaries(st.text(), DOCUMENTS, max_size=4), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_ndjson_lines_come_back_value_for_value_with_their_lines(records, newline):
    data = "".join(json.dumps(r, ensure_ascii=False) + newline for r in records).encode()
    result, batches = _read(jsonfmt.read_ndjson, data)
    assert (result.status, result.records) == ("complete", len(records))
    assert _cells(batches) == _expected(records)
    lines = sorted((int(r), int(n)) for b in batches for r, n in zip(b.rows.tolist(), b.lines.tolist()))
    assert all(n == r + 1 for r, n in lines)


@PROPERTY
@given(st.lists(DOCUMENTS, min_size=1, max_size=5), st.integers(101, 1500), st.integers(0, 4))
def test_a_too_deep_ndjson_line_leaves_the_other_lines_whole(records, depth, at):
    good = [{"k": r} for r in records]
    lines = [json.dumps(r) for r in good]
    at = min(at, len(lines))
    lines.insert(at, '{"a":' * depth + '"x"' + "}" * depth)
    result, batches = _read(jsonfmt.read_ndjson, "\n".join(lines).encode(), Limits(json_depth=100))
    assert (result.status, result.reason) == ("partial", "too_deep")
    assert result.records == len(good) + 1
    rows = [r if r < at else r + 1 for r in range(len(good))]  # the deep line keeps its row
    expected = sorted((p, v, rows[i]) for i, r in enumerate(good) for p, v in jsonfmt.flatten(r))
    cells = [c for c in _cells(batches) if c[2] != at]
    assert cells == expected


NAMES = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), min_size=1, max_size=6, unique=True)
CELL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12
)  # csv writes a bare CR unquoted


@PROPERTY
@given(NAMES.flatmap(lambda names: st.tuples(st.just(names), st.lists(st.lists(CELL, min_size=len(names),
       max_size=len(names)), max_size=10))), st.sampled_from([",", "\t"]), st.booleans())  # fmt: skip
def test_csv_written_by_the_csv_module_comes_back_cell_for_cell(table, delimiter, crlf):
    names, rows = table
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(names)
    writer.writerows(rows)
    result, batches = _read(tabular.read_csv, out.getvalue().encode(), delimiter)
    assert (result.status, result.records) == ("complete", len(rows))
    cells = sorted((b.field, v, int(r)) for b in batches for v, r in zip(b.values.to_pylist(), b.rows.tolist()))
    assert cells == sorted((names[c], value, r) for r, row in enumerate(rows) for c, value in enumerate(row))


@PROPERTY
@given(st.integers(1, 30), st.integers(0, 3))
def test_a_csv_wider_than_the_cap_reads_its_first_columns(width, rows):
    names = [f"c{i}" for i in range(width)]
    data = "\n".join([",".join(names), *(",".join(f"v{r}_{i}" for i in range(width)) for r in range(rows))]) + "\n"
    result, batches = _read(tabular.read_csv, data.encode(), None, limits=SMALL)
    wide = width > SMALL.columns and rows  # a header alone loses nothing: complete
    assert (result.status, result.reason) == (("partial", "too_many_columns") if wide else ("complete", None))
    assert result.records == rows
    assert [b.field for b in batches] == (names[: SMALL.columns] if rows else [])


@PROPERTY
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")), max_size=20))
def test_text_lines_come_back_line_for_line(lines):
    data = "\n".join(lines).encode()
    result, batches = _read(text.read_text, data, False)
    got = [(int(n), v) for b in batches for n, v in zip(b.lines.tolist(), b.values.to_pylist())]
    written = "\n".join(lines).split("\n")[:-1] if data.endswith(b"\n") else "\n".join(lines).split("\n")
    expected = list(enumerate(written, 1)) if data else []
    assert got == expected and result.records == len(expected)


def _finite(value):
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


PLAIN_TEXT = st.text(st.characters(blacklist_characters="NI"))  # a string never spells a token here
NON_FINITE = st.recursive(
    st.one_of(PLAIN_TEXT, st.integers(), st.sampled_from([float("nan"), float("inf"), float("-inf")]), st.none()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(PLAIN_TEXT, inner, max_size=4), max_leaves=30,
)  # fmt: skip


class _Trickle(io.RawIOBase):
    """A stream that hands out at most `n` bytes a read: tokens cut anywhere."""

    def __init__(self, data: bytes, n: int) -> None:
        self._data, self._n = io.BytesIO(data), n

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(min(self._n, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@PROPERTY
@given(NON_FINITE, st.integers(1, 70))
def test_nan_and_infinity_as_python_writes_them_read_as_null(document, n):
    """json.dumps writes NaN, Infinity and -Infinity (json.loads reads them); yajl alone would call it corrupt."""
    data = json.dumps(document).encode()
    assume(isinstance(document, (list, dict)) and (b"NaN" in data or b"Infinity" in data))
    result = ItemResult("s", "item")
    batches = list(jsonfmt.read_json(io.BufferedReader(_Trickle(data, n), n), result))
    records = _finite(document if isinstance(document, list) else [document])
    assert (result.status, result.records) == ("complete", len(records))
    assert _cells(batches) == _expected(records)
