"""The fingerprint key file: created once, mode 0600, announced, never printed."""

import os
import stat

from click.testing import CliRunner

from pdscan.cli import cli
from pdscan.core.keys import FingerprintKey
from tests.conftest import DATA


def test_key_file_created_with_mode_0600_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("PDSCAN_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = FingerprintKey.load()
    path = tmp_path / "pdscan" / "key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    second = FingerprintKey.load()
    assert first.key_id == second.key_id
    assert first.fingerprint("US_SSN", "536-90-4399") == second.fingerprint("US_SSN", "536-90-4399")


def test_env_key_overrides_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("PDSCAN_KEY", "from-the-environment")
    assert FingerprintKey.load().key_id == FingerprintKey(b"from-the-environment").key_id
    assert not (tmp_path / "pdscan" / "key").exists()


def test_first_scan_announces_the_key_and_never_prints_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PDSCAN_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["scan", str(DATA / "files" / "notes.txt"), "--format", "json"])
    assert result.exit_code == 1
    assert "created a fingerprint key" in result.stderr
    secret = (tmp_path / "pdscan" / "key").read_text().strip()
    assert secret not in result.stdout and secret not in result.stderr
    assert FingerprintKey(secret.encode()).key_id in result.stdout
