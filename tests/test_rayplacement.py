"""Where a Ray unit may run, decided in the driver: paths resolved, local files pinned unless shared."""

from __future__ import annotations

import os

import pytest

from pdscan.columnstate import ColumnState
from pdscan.connectors.base import Item
from pdscan.connectors.files import FileConnector
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult
from pdscan.rayplacement import (
    NODE_ERROR,
    Placement,
    back_on_driver,
    each,
    is_shared,
    on_this_node,
    resolve,
    resolve_work,
)
from pdscan.unitscan import Bundle, Unit, UnitResult
from tests.conftest import DATA

DATA_FILES = DATA / "files"


def _unit(origin: str, handle, container: str) -> Unit:
    item = Item(source=origin, container=container, size=10, extra=(("path", container),), handle=handle)
    return Unit(item, origin, origin=origin)


def test_a_relative_file_leaves_the_driver_absolute_and_is_shown_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    unit = _unit("examples", "examples/a.csv", "examples/a.csv")
    sent, path = resolve(unit)
    assert path == sent.item.handle == str(tmp_path / "examples" / "a.csv")
    assert sent.origin == str(tmp_path / "examples")
    # what findings show stays as given, and the driver's own unit is untouched
    assert (sent.item.container, sent.item.extra, sent.source) == (
        "examples/a.csv",
        (("path", "examples/a.csv"),),
        "examples",
    )
    assert unit.item.handle == "examples/a.csv" and unit.origin == "examples"


def test_a_relative_sqlite_database_leaves_the_driver_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sent, path = resolve(_unit("sqlite:///data/people.db?timeout=5", object(), "main.people"))
    assert path == str(tmp_path / "data" / "people.db")
    assert sent.origin == f"sqlite+pysqlite:///{tmp_path}/data/people.db?timeout=5"


def test_objects_and_database_servers_run_anywhere():
    for origin, handle in (("s3://bucket/prefix", ("key", 10, "etag")), ("postgresql://u:pw@db/x", object())):
        unit = _unit(origin, handle, "c")
        assert resolve(unit) == (unit, None)
    assert not Placement("n").pinned(None)


def test_shared_prefixes_match_whole_path_components_and_symlinks(tmp_path):
    (tmp_path / "nfs").mkdir()
    os.symlink(tmp_path / "nfs", tmp_path / "data")
    placement = Placement("n", (str(tmp_path / "nfs"),))
    assert not placement.pinned(str(tmp_path / "nfs" / "a.csv"))
    assert not placement.pinned(str(tmp_path / "data" / "a.csv"))  # the same folder through a symlink
    assert placement.pinned(str(tmp_path / "nfs2" / "a.csv"))  # a prefix is a folder, not a string prefix
    assert placement.pinned(str(tmp_path / "other.csv"))
    assert is_shared(str(tmp_path / "nfs"), (str(tmp_path / "nfs") + "/",))


def _failed(error) -> UnitResult:
    done = UnitResult(ItemResult("s", "c"), ColumnState(10))
    done.error = error
    return done


def test_errors_name_the_node_and_a_file_missing_there_fails_the_run(tmp_path):
    here = tmp_path / "a.csv"
    here.write_text("x\n")
    gone = str(tmp_path / "gone.csv")
    missing = on_this_node(_failed(("item", "unsupported_format", "not a regular file")), gone, "ab" * 28, "127.0.0.1")
    assert missing.error == (NODE_ERROR, "unreadable", f"no such file on node 127.0.0.1 (id {'ab' * 28})")
    denied = on_this_node(
        _failed(("item", "unreadable", "cannot open (Permission denied)")), str(here), "cd", "10.0.0.2"
    )
    assert denied.error == ("item", "unreadable", "cannot open (Permission denied) on node 10.0.0.2 (id cd)")
    odd = on_this_node(_failed(("item", "malformed_rows", "2 rows")), str(here), "cd", "10.0.0.2")
    assert odd.error == ("item", "malformed_rows", "2 rows")
    # back on the driver: there but not on the node is the node's fault; gone here too, it went away
    assert back_on_driver(_failed((NODE_ERROR, "unreadable", "d")), str(here)).error[0] == NODE_ERROR
    assert back_on_driver(_failed((NODE_ERROR, "unreadable", "d")), gone).error == ("item", "unreadable", "d")


def test_units_per_node_put_the_driver_first():
    placement = Placement("b" * 56)
    for node in ("a" * 56, "b" * 56, "b" * 56):
        placement.ran(node, "127.0.0.1")
    placement.ran("a" * 56, "127.0.0.1", units=40)  # a bundle of 40 small files: one task
    assert placement.describe() == (
        f"ray: 43 units in 4 tasks on 2 nodes: node 127.0.0.1 (id {'b' * 56}) (the driver) 2, "
        f"node 127.0.0.1 (id {'a' * 56}) 41"
    )


def test_a_bundle_leaves_the_driver_with_each_file_resolved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    units = [_unit("logs", f"logs/{name}", f"logs/{name}") for name in ("a.log", "b.ndjson")]
    sent, paths = resolve_work(Bundle(units, origin="logs"))
    assert paths == [str(tmp_path / "logs" / "a.log"), str(tmp_path / "logs" / "b.ndjson")]
    assert [u.item.handle for u in sent.units] == paths
    assert sent.origin == str(tmp_path / "logs") and [u.item.container for u in sent.units] == [
        "logs/a.log",
        "logs/b.ndjson",
    ]
    # each result of the bundle is checked against its own file on the node that read it
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.log").write_text("x\n")
    failed = [_failed(("item", "unreadable", "no such file")) for _ in paths]
    checked = each(failed, paths, on_this_node, "cd" * 28, "127.0.0.1")
    assert checked[0].error == ("item", "unreadable", f"no such file on node 127.0.0.1 (id {'cd' * 28})")
    assert checked[1].error == (NODE_ERROR, "unreadable", f"no such file on node 127.0.0.1 (id {'cd' * 28})")
    s3 = [_unit("s3://bucket/p", ("key", 10, "etag"), "c")]
    assert resolve_work(Bundle(s3, origin="s3://bucket/p"))[1] == [None]


def test_shared_path_needs_the_ray_engine(scan):
    run = scan(DATA_FILES, "--shared-path", "/mnt/nfs", "--no-store")
    assert run.code == 2 and "--shared-path needs --engine ray" in run.stderr


def test_shared_paths_in_the_config_must_be_paths(scan, tmp_path):
    config = tmp_path / "pdscan.yaml"
    config.write_text("shared_paths: [1]\n")
    run = scan(DATA_FILES, "--config", config, "--no-store")
    assert run.code == 2 and f"{config}: 'shared_paths' must be a list of paths" in run.stderr


def test_a_file_gone_since_it_was_listed_is_vanished_not_an_unsupported_format(tmp_path):
    (tmp_path / "a.txt").write_text("hello\n")
    connector = FileConnector(str(tmp_path))
    (item,) = connector.items([])
    os.remove(item.handle)
    with pytest.raises(ItemError) as exc:
        list(connector.read(item, ItemResult(str(tmp_path), item.container)))
    assert (exc.value.reason, exc.value.detail) == ("vanished", "listed, and gone since (deleted or moved)")
