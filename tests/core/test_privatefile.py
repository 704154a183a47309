"""Files holding findings or a person's data: 0600, replaced whole, never left half-written."""

import os
import stat

import pytest

from pdscan.core.privatefile import NotRegularFile, PrivateFile, write_private


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_an_existing_wider_file_is_replaced_0600(tmp_path):
    path = tmp_path / "found.ndjson"
    path.write_text("old\n")
    path.chmod(0o644)
    write_private(str(path), "new\n")
    assert path.read_text() == "new\n" and _mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["found.ndjson"]


def test_nothing_shows_under_the_name_until_the_end(tmp_path):
    path = tmp_path / "package.json"
    with PrivateFile(str(path)) as fh:
        fh.write("{}")
        fh.flush()
        assert not path.exists()
        (temp,) = tmp_path.iterdir()
        assert _mode(temp) == 0o600
    assert path.read_text() == "{}"


def test_an_error_leaves_the_earlier_file_and_no_temp(tmp_path):
    path = tmp_path / "package.json"
    path.write_text("earlier\n")
    with pytest.raises(KeyboardInterrupt), PrivateFile(str(path)) as fh:
        fh.write("half")
        raise KeyboardInterrupt
    assert path.read_text() == "earlier\n" and [p.name for p in tmp_path.iterdir()] == ["package.json"]


def test_keep_on_error_keeps_what_was_written(tmp_path):
    path = tmp_path / "found.ndjson"
    with pytest.raises(KeyboardInterrupt), PrivateFile(str(path), keep_on_error=True) as fh:
        fh.write('{"entity": "EMAIL_ADDRESS"}\n')
        raise KeyboardInterrupt
    assert path.read_text() == '{"entity": "EMAIL_ADDRESS"}\n' and _mode(path) == 0o600


def test_a_symlink_is_written_through(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_private(str(link), "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_pipe_is_written_in_place(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_private(str(fifo), "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    finally:
        os.close(reader)


def test_regular_only_refuses_a_pipe_before_opening_it(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    before = os.lstat(fifo)
    with pytest.raises(NotRegularFile):  # no reader: an open() for writing would block here
        write_private(str(fifo), "never", regular_only=True)
    assert os.lstat(fifo).st_mode == before.st_mode and [p.name for p in tmp_path.iterdir()] == ["fifo"]


def test_regular_only_refuses_dev_null_and_keeps_its_mode():
    before = os.stat("/dev/null")
    with pytest.raises(NotRegularFile):
        write_private("/dev/null", "never", regular_only=True)
    assert os.stat("/dev/null").st_mode == before.st_mode


def test_regular_only_writes_a_regular_file(tmp_path):
    path = tmp_path / "answer.json"
    write_private(str(path), "{}", regular_only=True)
    assert path.read_text() == "{}" and _mode(path) == 0o600
