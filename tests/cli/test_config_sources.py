"""`sources:` in the config: `pdscan scan` without arguments scans them all."""

import pytest

from pdscan.config import SourceSpec
from pdscan.config import load as load_config
from pdscan.core.errors import ConfigError


def _config(tmp_path, text):
    path = tmp_path / "pdscan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_scan_without_arguments_scans_the_configured_sources(scan, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.txt").write_text("mail ann@example.com\n", encoding="utf-8")
    (tmp_path / "b" / "two.txt").write_text("card 4539 1488 0343 6467\n", encoding="utf-8")
    config = _config(
        tmp_path,
        f"""sources:
  - url: {tmp_path / "a"}
    name: support mailbox export
    source_category: directly from the customer
    third_parties: [email service provider]
    retention: [legal]
  - {tmp_path / "b"}
""",
    )
    run = scan("--config", str(config))
    assert run.code == 1
    assert {f["entity"] for f in run.findings} == {"EMAIL_ADDRESS", "CREDIT_CARD"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("sources:\n  - name: x\n", "a mapping with a 'url'"),
        ("sources:\n  - url: x\n    colour: red\n", "unknown keys colour"),
        ("sources:\n  - url: x\n    third_parties: 3\n", "'third_parties' must be a list"),
    ],
)
def test_bad_sources_name_the_entry(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_config(str(_config(tmp_path, text)))
    assert "sources[0]" in str(caught.value) and message in str(caught.value)


def test_a_source_keeps_what_right_to_know_needs(tmp_path):
    config = load_config(str(_config(tmp_path, "sources:\n  - url: s3://b/p\n    owner: data\n    purposes: x\n")))
    assert config.sources == [SourceSpec(url="s3://b/p", owner="data", purposes=("x",))]


def test_unknown_retention_exception_is_a_usage_error(scan, tmp_path):
    (tmp_path / "d").mkdir()
    config = _config(tmp_path, f"sources:\n  - url: {tmp_path / 'd'}\n    retention: [forever]\n")
    run = scan("--config", str(config))
    assert run.code == 2 and "unknown retention exceptions ['forever']" in run.stderr


def test_no_source_at_all_is_a_usage_error(scan, tmp_path):
    run = scan("--config", str(_config(tmp_path, "min_score: 0.5\n")))
    assert run.code == 2 and "name a SOURCE" in run.stderr
