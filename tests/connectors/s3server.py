"""moto's standalone S3 server on loopback, for the S3 tests and benchmark: a real HTTP endpoint."""

from __future__ import annotations

import ctypes
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import boto3

# moto accepts any key pair until authentication is switched on; these are not secrets.
DUMMY_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the test process dies, even if teardown never runs."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    def __init__(self, log_path=None):
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        log = open(log_path, "wb") if log_path else subprocess.DEVNULL
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.05)

    def client(self, service: str = "s3", **credentials):
        creds = {
            "aws_access_key_id": credentials.get("key", DUMMY_ENV["AWS_ACCESS_KEY_ID"]),
            "aws_secret_access_key": credentials.get("secret", DUMMY_ENV["AWS_SECRET_ACCESS_KEY"]),
        }
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1", **creds)

    def require_auth(self) -> None:
        """From now on every request must be signed by an IAM user's key and pass its policies."""
        request = urllib.request.Request(
            f"{self.endpoint}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
