"""Archive bombs of each container kind, end to end (`pdscan scan`, the store on, every report): the
bomb is `bomb`, the good file beside it and an honest archive are read, peak RSS stays under the
harness's bound, nothing planted leaks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.connectors import archives as build
from tests.hostile import harness

MB = 1 << 20


def _scan(folder: Path, *args: str) -> harness.Scan:
    started = time.monotonic()
    result = harness.scan(folder, *args)
    print(f"\n{folder.name}: {time.monotonic() - started:.1f} s, peak RSS {result.peak_mb:.0f} MB")
    return result


def _case(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    harness.good_file(folder)
    (folder / "honest.zip").write_bytes(build.zip_bytes({"people.csv": build.CSV.encode()}))
    return folder


def test_a_zip_bomb_is_a_bomb_by_its_declared_sizes_and_never_inflated(tmp_path):
    folder = _case(tmp_path)
    build.zip_bomb(folder / "bomb.zip")  # 1 GB of zeros in one member, about 1 MB packed
    (folder / "nested.zip").write_bytes(build.zip_bytes({"inner.zip": (folder / "bomb.zip").read_bytes()}))
    result = _scan(folder)
    harness.assert_clean(result, planted=list(build.PLANTED))
    assert result.item("bomb.zip!/zeros.txt")["status"] == "skipped"
    assert result.reason("bomb.zip!/zeros.txt") == "bomb"
    assert result.reason("nested.zip!/inner.zip!/zeros.txt") == "bomb"
    assert result.found_in("honest.zip!/people.csv")


@pytest.mark.parametrize(("codec", "unpacked"), [("gz", 1 << 30), ("bz2", 256 * MB), ("xz", 256 * MB)])
def test_a_compressed_tar_bomb_stops_at_the_ratio(tmp_path, codec, unpacked):
    folder = _case(tmp_path)
    build.tar_bomb(folder / f"bomb.tar.{codec}", codec, unpacked)
    result = _scan(folder)
    harness.assert_clean(result, planted=list(build.PLANTED))
    for name in (f"bomb.tar.{codec}", f"bomb.tar.{codec}!/zeros.txt"):  # listing stopped, reading stopped
        record = result.item(name)
        assert record is not None and record["reason"] == "bomb", result.output["coverage"]
        assert "compression_ratio" in record["detail"]
    assert result.found_in("honest.zip!/people.csv")


def test_the_archive_cap_from_the_config_stops_an_honest_archive(tmp_path):
    folder = _case(tmp_path)
    lines = "".join(f"row {i} of the export\n" for i in range(200_000)).encode()  # 4.6 MB, packs about 10:1
    (folder / "big.tar.gz").write_bytes(build.tar_bytes({"a.txt": lines, "b.txt": lines}, "gz"))
    config = tmp_path / "pdscan.yaml"
    config.write_text(f"limits:\n  decompressed_bytes: {6 * MB}\n")
    result = _scan(folder, "--config", str(config))
    harness.assert_clean(result, planted=list(build.PLANTED))
    assert result.reason("big.tar.gz!/b.txt") == "bomb" or result.reason("big.tar.gz") == "bomb"


def test_a_7z_bomb_is_a_bomb_by_its_declared_size_and_never_inflated(tmp_path):
    folder = _case(tmp_path)
    build.seven_zip_bomb(folder / "bomb.7z", 1 << 30)  # 1 GB of zeros in one member, some 150 KB packed
    (folder / "nested.zip").write_bytes(build.zip_bytes({"inner.7z": (folder / "bomb.7z").read_bytes()}))
    (folder / "honest.7z").write_bytes(build.seven_zip_bytes({"people.csv": build.CSV.encode()}))
    result = _scan(folder)
    harness.assert_clean(result, planted=list(build.PLANTED))
    for name in ("bomb.7z!/zeros.txt", "nested.zip!/inner.7z!/zeros.txt"):
        assert (result.item(name)["status"], result.reason(name)) == ("skipped", "bomb"), result.output["coverage"]
    assert result.found_in("honest.7z!/people.csv") and result.found_in("honest.zip!/people.csv")
