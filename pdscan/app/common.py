"""What every command shares: the store's URL and opening it, the fingerprint key, writing a file."""

from __future__ import annotations

import os

from pdscan.config import Config
from pdscan.config import load as load_config
from pdscan.connectors.registry import redact
from pdscan.core.errors import FatalError, StoreError, UsageError
from pdscan.core.keys import FingerprintKey
from pdscan.core.privatefile import NotRegularFile, write_private
from pdscan.history import STORE_ENV
from pdscan.store import DEFAULT_STORE, Store


def store_url(given: str | None, config: Config) -> str | None:
    """The store to use: --store, else $PDSCAN_STORE, else the config's store; None: ./pdscan.db."""
    return given or os.environ.get(STORE_ENV) or config.store or None


def open_store(url: str | None, *, create: bool) -> Store:
    """The store at `url` (None: ./pdscan.db). `create`: make it if it is not there (a scan, a
    DSAR case); else a missing SQLite file is a usage error (the history commands, reports)."""
    if not create and url and "://" not in url and not os.path.exists(url):
        raise UsageError(f"no findings store at {url}: run `pdscan scan` first")
    if not create and not url and not os.path.exists(DEFAULT_STORE):
        raise UsageError(f"no findings store here (./{DEFAULT_STORE}): run `pdscan scan` first, or give --store")
    try:
        return Store(url)
    except StoreError as exc:
        raise StoreError(f"{redact(url or DEFAULT_STORE)}: {exc}") from None


def existing_store(given: str | None, config_path: str | None) -> Store:
    """The store a history command reads: never created by reading it."""
    return open_store(store_url(given, load_config(config_path)), create=False)


def load_key(config: Config) -> FingerprintKey:
    try:
        return FingerprintKey.load(config.key_file)
    except OSError as exc:
        raise FatalError(f"cannot read or create the fingerprint key: {exc.strerror}") from None


def write_file(path: str, text: str, regular_only: bool = False) -> None:
    """`text` to `path`, mode 0600, renamed into place whole; `regular_only` refuses a device or pipe."""
    try:
        write_private(path, text, regular_only=regular_only)
    except NotRegularFile:
        raise UsageError(f"{path}: not a regular file (a device, pipe or folder); give a file path or -") from None
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror}") from None
