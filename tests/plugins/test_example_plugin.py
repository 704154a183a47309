"""A third-party plugin, installed with pip into a fresh virtualenv, extends pdscan without an edit to
its tree: a new entity found by a Presidio pattern recognizer, and a `kv://` connector.

The venv sees the pdscan under test through --system-site-packages; the plugin package in
tests/plugins/example/ is pip-installed into it (its `pdscan` entry point is what pdscan finds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY

EXAMPLE = Path(__file__).parent / "example"
TEXT = (
    "2026-11-02 hr-sync INFO badge issued to employee EMP-204817 at the front desk\n"
    "2026-11-02 hr-sync INFO nightly export finished, 412 records\n"
    "ticket EMP-20481 is not an employee number (five digits), nor is XEMP-2048170\n"
)
KV = "employee_id=EMP-731904\nname=Dolores Abernathy\nemail=d.abernathy@example.net\nteam=platform\n"


def _venv(root: Path, with_pip: bool) -> tuple[Path, Path]:
    """(python, site-packages) of a new venv over this interpreter's packages."""
    venv.EnvBuilder(system_site_packages=True, with_pip=with_pip).create(root / "venv")
    site_dir = next(Path(root / "venv" / "lib").glob("python*/site-packages"))
    if sys.prefix != sys.base_prefix:  # running in a venv: the new one must see this one's pdscan, not the base's
        here = [p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)]
        (site_dir / "00-parent.pth").write_text("".join(f"import site; site.addsitedir({p!r})\n" for p in here))
    return root / "venv" / "bin" / "python", site_dir


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory) -> Path:
    """A venv over this interpreter's packages, with the example plugin pip-installed into it."""
    root = tmp_path_factory.mktemp("plugin-venv")
    python, _site = _venv(root, with_pip=True)
    package = shutil.copytree(EXAMPLE, root / "example")  # pip builds in the folder: not in the checkout
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", str(package)],
        check=True,
        cwd=root,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def _scan(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PDSCAN_KEY": TEST_KEY, "NO_COLOR": "1"}
    cmd = [str(python), "-m", "pdscan", "scan", *args, "--format", "json", "--no-store", "-q", "--workers", "1"]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _findings(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["findings"]


def test_the_plugin_entity_is_found_in_text_by_its_pattern(plugin_python, tmp_path):
    (tmp_path / "hr.log").write_text(TEXT)
    found = [f for f in _findings(_scan(plugin_python, tmp_path, "hr.log")) if f["entity"] == "EMPLOYEE_ID"]
    assert [f["location"]["line"] for f in found] == [1]
    assert found[0]["category"] == "identifiers"  # the spec's default: the policy does not list it
    assert "204817" not in json.dumps(found)  # masked like every finding
    only = _scan(plugin_python, tmp_path, "hr.log", "--entities", "EMPLOYEE_ID", "--fail-on", "identifiers")
    assert {f["entity"] for f in _findings(only)} == {"EMPLOYEE_ID"}
    assert only.returncode == 1  # new findings in the category --fail-on names


def test_without_the_plugin_there_is_no_such_entity(tmp_path):
    (tmp_path / "hr.log").write_text(TEXT)
    assert not [f for f in _findings(_scan(Path(sys.executable), tmp_path, "hr.log")) if f["entity"] == "EMPLOYEE_ID"]


def test_the_plugin_connector_reads_its_scheme(plugin_python, tmp_path):
    (tmp_path / "staff.kv").write_text(KV)
    found = _findings(_scan(plugin_python, tmp_path, f"kv://{tmp_path / 'staff.kv'}"))
    by_entity = {f["entity"]: f for f in found}
    assert {"EMPLOYEE_ID", "EMAIL_ADDRESS"} <= set(by_entity)
    assert by_entity["EMAIL_ADDRESS"]["location"]["field"] == "email"
    assert "abernathy" not in json.dumps(found).lower()


def test_without_the_plugin_the_scheme_is_a_usage_error(tmp_path):
    (tmp_path / "staff.kv").write_text(KV)
    done = _scan(Path(sys.executable), tmp_path, f"kv://{tmp_path / 'staff.kv'}")
    assert done.returncode == 2
    assert "kv" in done.stderr and "Traceback" not in done.stderr


def test_a_plugin_that_does_not_load_is_one_usage_error_line(tmp_path):
    """An installed distribution whose `pdscan` entry point names a module that is not there."""
    python, site_dir = _venv(tmp_path, with_pip=False)
    dist = site_dir / "pdscan_broken_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pdscan-broken-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[pdscan]\nbroken = pdscan_no_such_plugin_module\n")
    (tmp_path / "hr.log").write_text(TEXT)
    done = _scan(python, tmp_path, "hr.log")
    assert done.returncode == 2
    assert "broken = pdscan_no_such_plugin_module" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 3
