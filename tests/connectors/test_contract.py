"""The connector and format contracts: every registered connector declares every capability, a
connector registered through the plugin hook is reached by its scheme end to end, the format
registry sniffs content before names, and the command-line options come from the connectors."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, fields

import click
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pdscan.cli import cli
from pdscan.connectors import registry
from pdscan.connectors.base import Batch, Connector, ConnectorRef, Item, missing_capabilities
from pdscan.connectors.cli import connector_options, options_from
from pdscan.connectors.formats.base import Format, best
from pdscan.connectors.formats.sniff import detect
from pdscan.connectors.options import ConnectorOptions, FileOptions, S3Options, SharedOptions, SqlOptions, option
from pdscan.core.errors import ItemError
from pdscan.core.hookspecs import hookimpl
from pdscan.core.plugins import manager


def test_every_registered_connector_declares_every_capability():
    entries = registry.connectors()
    assert len(entries) >= 3
    for entry in entries:
        cls = entry.load()
        assert missing_capabilities(cls) == [], cls
        assert entry.schemes == cls.schemes and entry.Options is cls.Options and entry.paths == cls.paths


def test_a_connector_lacking_a_capability_fails_the_check():
    class NoRead(Connector):  # items but no read: still abstract
        schemes = ("x",)

        def items(self, results):
            return iter(())

    class NoScheme(Connector):
        def items(self, results):
            return iter(())

        def read(self, item, result):
            return iter(())

    assert "read" in missing_capabilities(NoRead)
    assert missing_capabilities(NoScheme) == ["schemes (or paths)"]
    assert missing_capabilities(object) == ["Connector base class"]


def test_the_built_ins_are_routed_by_scheme():
    assert registry.connector_class("folder/").__name__ == "FileConnector"
    assert registry.connector_class("sqlite:///x.db").__name__ == "SqlConnector"
    assert registry.connector_class("postgres://h/db").__name__ == "SqlConnector"
    assert registry.connector_class("s3://bucket/prefix").__name__ == "S3Connector"
    assert registry.connector_class("nosuch://x") is None
    assert "known: sqlite://, postgresql://, postgres://, mysql://, mariadb://, s3://, or a path" in registry.check(
        "nosuch://x"
    )


def test_the_options_bag_holds_the_built_in_connectors_fields():
    """ConnectorOptions is hashed by repr (settings_hash): its fields are the built-ins', no more."""
    own = {f.name for cls in (FileOptions, SqlOptions, S3Options) for f in fields(cls)}
    bag = {f.name for f in fields(ConnectorOptions)} - {"extra"}
    assert own == bag
    assert "extra" not in repr(ConnectorOptions()) and "secret" not in repr(ConnectorOptions(password="secret"))
    opts = ConnectorOptions(sample_size=5, region="eu-west-1", seed=7)
    assert SqlOptions.of(opts).sample_size == 5 and S3Options.of(opts).region == "eu-west-1"
    assert S3Options.of(opts).seed == 7


# -- a third-party connector for kv:// registered through the hook ---------------------------------------------


@dataclass(frozen=True)
class KvOptions(SharedOptions):
    kv_prefix: str = option("", help="KV: only keys starting with this.", commands=("scan",))


STORES = {"demo": {"contact": "write to jane.doe@example.com", "note": "hello"}, "two": {"a": "1", "nob": "2"}}


class KvConnector(Connector):
    """kv://NAME: the keys of an in-memory store, one container each, read as a line of text."""

    schemes = ("kv",)
    Options = KvOptions

    def items(self, results):
        for key, value in STORES[self.source.split("://", 1)[1]].items():
            if key.startswith(self.options.kv_prefix):
                yield Item(self.source, key, len(value), handle=value)

    def read(self, item, result):
        result.records += 1
        yield Batch(pa.array([item.handle]), lines=np.array([1]))


class KvPlugin:
    @hookimpl
    def pdscan_connectors(self):
        return [KvConnector]


@pytest.fixture
def kv_plugin():
    plugin = KvPlugin()
    manager().register(plugin, "test-kv")
    yield plugin
    manager().unregister(plugin)


def test_a_plugin_connector_is_reached_by_its_scheme(kv_plugin, tmp_path):
    assert registry.connector_class("kv://demo") is KvConnector
    assert registry.check("kv://demo") is None
    source = "kv://demo"
    result = CliRunner().invoke(cli, ["scan", source, "--no-store", "-q", "--format", "ndjson", "--workers", "1"])
    assert result.exit_code == 1, result.output
    findings = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [(f["location"]["container"], f["entity"]) for f in findings if f.get("entity") == "EMAIL_ADDRESS"] == [
        ("contact", "EMAIL_ADDRESS")
    ]
    # its options come with it: generated, and carried in the bag's `extra`
    assert [p.name for p in _command("scan").params if p.name == "kv_prefix"] == ["kv_prefix"]
    bag = options_from({"kv_prefix": "no", "sample_size": 3, "quiet": True})
    assert bag.sample_size == 3 and KvOptions.of(bag).kv_prefix == "no" and "kv_prefix" in repr(bag)
    assert [i.container for i in registry.connector_for("kv://two", bag).items([])] == ["nob"]


def test_the_plugin_is_gone_once_unregistered():
    assert registry.connector_class("kv://demo") is None


def test_a_lazy_connector_is_imported_on_first_use():
    ref = next(e for e in registry.connectors() if isinstance(e, ConnectorRef))
    assert ref.schemes == ("s3",) and ref.Options is S3Options and ref.load().__name__ == "S3Connector"


# -- formats -------------------------------------------------------------------------------------------------------


def _parquet_bytes() -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table({"email": ["a@example.com"]}), sink)
    return sink.getvalue()


def test_sniffing_picks_the_format_from_content_not_the_name():
    assert detect("data.csv", _parquet_bytes()[:4096]) == "parquet"
    assert detect("rows.json", b'{"a": 1}\n{"a": 2}\n') == "ndjson"
    assert detect("doc.json", b'[{"a": 1},\n {"a": 2}]\n') == "json"
    assert detect("notes.csv", b"a,b\n1,2\n") == "csv"
    assert detect("README", b"hello\n") == "text"
    assert detect("archive.csv", b"PK\x03\x04rest") == "archive"  # its members are items (formats.archive_members)
    assert detect("picture.csv", b"\x89PNG\r\n\x1a\nrest") == "image"  # read by OCR (formats.images)
    assert detect("scan.txt", b"II*\x00rest") == "image"  # a TIFF
    with pytest.raises(ItemError) as exc:
        detect("picture.csv", b"GIF89arest")
    assert exc.value.reason == "unsupported_format"


class Tagged(Format):
    """A plugin format: lines starting with `@@tagged`, whatever the file is called."""

    name = "tagged"

    def sniff(self, head, name):
        return 1.0 if head.startswith(b"@@tagged") else 0.0

    def read(self, source, result, limits):
        yield Batch(pa.array([line.decode() for line in source.read().splitlines()[1:]]))


class TaggedPlugin:
    @hookimpl
    def pdscan_formats(self):
        return [Tagged]


def test_a_plugin_format_is_picked_by_its_sniff(tmp_path):
    plugin = TaggedPlugin()
    manager().register(plugin, "test-tagged")
    try:
        assert best(b"@@tagged\nx", "a.csv")[0].name == "tagged"
        (tmp_path / "a.csv").write_bytes(b"@@tagged\ncall jane.doe@example.com\n")
        result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--no-store", "-q", "--format", "ndjson",
                                          "--workers", "1"])  # fmt: skip
        assert result.exit_code == 1, result.output
        assert any(json.loads(line).get("entity") == "EMAIL_ADDRESS" for line in result.output.splitlines())
    finally:
        manager().unregister(plugin)
    assert detect("a.csv", b"@@tagged\nx") == "csv"


# -- generated click options ---------------------------------------------------------------------------------------


def _command(name: str) -> click.Command:
    @click.command()
    @connector_options(name)
    def command(**params):
        pass

    return command


def _shape(param: click.Parameter) -> tuple:
    return (param.name, tuple(param.opts), repr(param.type), param.default, param.help, param.is_flag,
            param.metavar, param.show_default)  # fmt: skip


@pytest.mark.parametrize("name, command", [("scan", ("scan",)), ("find", ("dsar", "find"))])
def test_generated_options_are_the_commands_own(name, command):
    """The generated options are exactly those the commands declare by hand today (or, once wired, the same)."""
    target = cli
    for part in command:
        target = target.commands[part]
    generated = [_shape(p) for p in _command(name).params]
    names = {g[0] for g in generated}
    assert generated == [_shape(p) for p in target.params if p.name in names]
    assert len(generated) == {"scan": 10, "find": 4}[name]
