"""The fingerprint key: HMAC-SHA256 makes the same value recognizable without revealing it."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

from pdscan.core.masking import normalize
from pdscan.core.privatefile import refuse_exposed

KEY_ENV = "PDSCAN_KEY"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "pdscan"


class FingerprintKey:
    """Holds the secret key; only `key_id`, a short hash of it, may be shown."""

    def __init__(self, secret: bytes):
        self._secret = secret
        self.key_id = hashlib.sha256(b"pdscan-key-id:" + secret).hexdigest()[:12]

    def __repr__(self) -> str:
        return f"FingerprintKey(key_id={self.key_id!r})"

    def fingerprint(self, entity: str, value: str) -> str:
        normalized = normalize(entity, value).encode("utf-8")
        return hmac.new(self._secret, normalized, hashlib.sha256).hexdigest()

    @classmethod
    def load(cls, key_file: str | None = None) -> FingerprintKey:
        """From PDSCAN_KEY, else the key file (created on first use, mode 0600).

        An existing key file that group or others may read or write is refused (Exposed): with the
        key, anyone can test guesses (an SSN has a billion) against the stored fingerprints.
        """
        env = os.environ.get(KEY_ENV)
        if env:
            return cls(env.encode("utf-8"))
        path = Path(key_file) if key_file else config_dir() / "key"
        if path.exists():
            refuse_exposed(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
            print(
                f"pdscan: created a fingerprint key at {path} (mode 0600); keep it: "
                "fingerprints from earlier scans only compare under the same key",
                file=sys.stderr,
            )
        return cls(path.read_text().strip().encode("utf-8"))
