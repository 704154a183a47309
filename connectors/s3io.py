"""Reading S3 objects: small ones fetched ahead on a few threads, large Parquet by ranged GETs."""

from __future__ import annotations

import io
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pdscan.core.errors import ItemError

SMALL_OBJECT = 1 << 20  # fetched whole, ahead of the scan; larger objects are streamed when their turn comes
READ_AHEAD = 1 << 20  # the least a ranged GET asks for


@dataclass
class Fetched:
    """What a GET returned: the whole body (small objects) or an open stream."""

    etag: str | None
    last_modified: Any
    version_id: str | None
    data: bytes | None = None
    body: Any = None

    def close(self) -> None:
        if self.body is not None:
            self.body.close()


def get_object(client, bucket: str, key: str, limit: int | None, whole: bool) -> Fetched:
    """GET the object (its first `limit` bytes if given); read the body now when `whole`."""
    kwargs = {"Bucket": bucket, "Key": key}
    if limit is not None:
        kwargs["Range"] = f"bytes=0-{limit - 1}"
    response = client.get_object(**kwargs)
    version = response.get("VersionId")
    fetched = Fetched(
        etag=response.get("ETag"),
        last_modified=response.get("LastModified"),
        version_id=version if version and version != "null" else None,
        body=response["Body"],
    )
    if whole:
        try:
            fetched.data = fetched.body.read()
        finally:
            fetched.body.close()
        fetched.body = None
    return fetched


class Prefetcher:
    """Runs `fetch(job)` for the next few jobs in scan order while the current one is scanned.

    Only jobs for which `ahead(job)` holds (small objects, read whole) run ahead, at most
    `workers` of them, so memory stays bounded and no stream sits open unread; the scan itself
    stays on the engine's thread.
    """

    def __init__(self, fetch, workers: int, ahead=lambda job: True):
        self._fetch = fetch
        self._ahead = ahead
        self._workers = max(1, workers)
        self._order: list = []
        self._index: dict = {}
        self._futures: dict[int, Future] = {}
        self._pool: ThreadPoolExecutor | None = None

    def add(self, job) -> None:
        """Queue a job after those queued (again: nothing changes)."""
        if job not in self._index:
            self._index[job] = len(self._order)
            self._order.append(job)

    def get(self, job) -> Fetched:
        i = self._index.get(job)
        if i is None:
            return self._fetch(job)
        for j in [j for j in self._futures if j < i]:  # passed over (their source failed): drop
            self._discard(self._futures.pop(j))
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="pdscan-s3")
        for j in range(i + 1, min(i + self._workers + 1, len(self._order))):
            if j not in self._futures and self._ahead(self._order[j]):
                self._futures[j] = self._pool.submit(self._fetch, self._order[j])
        if i == len(self._order) - 1:  # none queued ahead: the threads end (a later job starts new ones)
            self._pool.shutdown(wait=False)
            self._pool = None
        future = self._futures.pop(i, None)
        return future.result() if future is not None else self._fetch(self._order[i])

    @staticmethod
    def _discard(future: Future) -> None:
        if not future.cancel() and future.done() and future.exception() is None:
            future.result().close()


class RangedFile(io.RawIOBase):
    """A seekable view of one object read by ranged GETs, pinned to the listed ETag.

    With a `budget`, reading more than that many bytes raises ItemError('byte_limit').
    """

    def __init__(self, client, bucket: str, key: str, size: int, etag: str | None, budget: int | None = None):
        self._client = client
        self._bucket = bucket
        self._key = key
        self._size = size
        self._etag = etag
        self._budget = budget
        self._pos = 0
        self._buf = b""
        self._buf_start = 0
        self.fetched = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self._size - self._pos
        n = max(0, min(n, self._size - self._pos))
        if not n:
            return b""
        end = self._pos + n
        if not (self._buf_start <= self._pos and end <= self._buf_start + len(self._buf)):
            self._fill(n)
        start = self._pos - self._buf_start
        out = self._buf[start : start + n]
        self._pos += len(out)
        return out

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _fill(self, n: int) -> None:
        length = min(max(n, READ_AHEAD), self._size - self._pos)
        if self._budget is not None:
            if self.fetched + n > self._budget:
                raise ItemError("byte_limit", f"stopped after {self.fetched} bytes (--max-bytes-per-object)")
            length = min(length, self._budget - self.fetched)
        kwargs = {"Bucket": self._bucket, "Key": self._key, "Range": f"bytes={self._pos}-{self._pos + length - 1}"}
        if self._etag:
            kwargs["IfMatch"] = self._etag
        body = self._client.get_object(**kwargs)["Body"]
        try:
            self._buf = body.read()
        finally:
            body.close()
        self._buf_start = self._pos
        self.fetched += len(self._buf)
