"""The corpus runner itself: it fails on what it is meant to catch."""

from pathlib import Path

import pytest

from tests.hostile import harness


def test_a_plain_folder_passes_and_a_leak_fails(tmp_path: Path):
    folder = tmp_path / "d"
    folder.mkdir()
    harness.good_file(folder)
    result = harness.scan(folder)
    harness.assert_clean(result)
    assert result.found_in("good.txt")[0]["entity"] == "US_SSN"
    revealed = harness.scan(folder, "--reveal", reports=False)
    with pytest.raises(AssertionError, match="532-71-4409"):
        harness.assert_clean(revealed)
