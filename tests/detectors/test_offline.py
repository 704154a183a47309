"""A scan never touches the network: run it where there is none and look for complaints."""

import os
import shutil
import subprocess

import pytest

from tests.conftest import DATA, run_pdscan


def _can_unshare_net() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-n", "true"]).returncode == 0


@pytest.mark.skipif(not _can_unshare_net(), reason="needs unshare -n (root) for a network-less namespace")
def test_scan_without_network_is_quiet_and_complete(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop("TLDEXTRACT_CACHE", None)
    os.environ.pop("TLDEXTRACT_CACHE", None)
    result = run_pdscan("scan", DATA / "files" / "notes.txt", "--format", "ndjson", env=env, prefix=("unshare", "-n"))
    assert result.returncode == 1
    assert "EMAIL_ADDRESS" in result.stdout
    for noise in ("Traceback", "tldextract", "Exception", "publicsuffix", "Max retries"):
        assert noise not in result.stderr, result.stderr
    assert not (tmp_path / "cache" / "python-tldextract").exists()
