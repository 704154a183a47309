"""S3 buckets through boto3: list a prefix to the end, sample, stream objects into the file readers.

`s3://bucket/prefix` scans every object whose key starts with the prefix. Credentials come from
boto3's standard chain; `--endpoint-url` (or AWS_ENDPOINT_URL) points at MinIO, Ceph or moto.
"""

from __future__ import annotations

import fnmatch
import io
import os
import random
import re
from collections.abc import Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from pdscan.connectors import s3members
from pdscan.connectors.base import Batch, Connector, Item
from pdscan.connectors.files import read_stream
from pdscan.connectors.formats.archive_members import Cursor, Member
from pdscan.connectors.options import S3Options
from pdscan.connectors.registry import redact
from pdscan.connectors.s3io import SMALL_OBJECT, Fetched, Prefetcher, RangedFile, get_object
from pdscan.connectors.streams import Unpacked
from pdscan.core.errors import ItemError, SourceError
from pdscan.core.model import ItemResult

MAX_ATTEMPTS = 5  # adaptive retry mode: throttling (SlowDown) backs off and rate-limits the client
_BUCKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$")
_REJECTED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired"}


def parse(source: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket/prefix`; the prefix may be empty."""
    rest = source.split("://", 1)[1]
    bucket, _, prefix = rest.partition("/")
    return bucket, prefix


def check(source: str, options) -> str | None:
    bucket, _ = parse(source)
    shown = redact(source)  # `s3://KEY:SECRET@bucket` is no bucket name, and its secret is not shown
    if not bucket:
        return f"no bucket in {shown} (expected s3://BUCKET or s3://BUCKET/PREFIX)"
    if not _BUCKET.match(bucket):
        return f"not a valid bucket name: {parse(shown)[0]!r} in {shown}"
    if not 0 < options.sample_objects <= 1:
        return "--sample-objects must be a share in (0, 1]"
    return None


def connect(source: str, options) -> S3Connector:
    return S3Connector(source, options)


def _code(exc: ClientError) -> str:
    return str(
        exc.response.get("Error", {}).get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    )


def _etag(etag: str | None) -> str | None:
    """The ETag without the quotes S3 wraps it in."""
    return etag.strip('"') if etag else None


def _iso(when) -> str | None:
    return when.isoformat() if when is not None else None


class S3Connector(Connector):
    """The objects under one bucket prefix."""

    schemes = ("s3",)
    Options = S3Options
    portable = True  # an object can be read by another process from its key (same credentials)
    shares_batches = True  # small objects are read in bundles (pdscan.unitscan.Bundle)
    listing_order = True  # objects are fetched ahead in listing order

    def __init__(self, source: str, options=None):
        super().__init__(redact(source), options)
        self.bucket, self.prefix = parse(source)
        options = self.options
        self.endpoint = options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        self.limit = options.max_bytes_per_object
        self.unpacked = Unpacked()  # decompressed bytes of this scan (per process), as for local files
        self.budgets, self.cursor = {}, Cursor()  # archive members: bytes per archive, the tar being read through
        self._client = None
        self._prefetch = Prefetcher(self._fetch, options.fetch_concurrency, ahead=self._small)

    # -- listing ------------------------------------------------------------------------------

    def client(self):
        if self._client is None:
            try:
                session = boto3.session.Session(profile_name=self.options.profile, region_name=self.options.region)
            except ProfileNotFound:
                raise SourceError(f"AWS profile {self.options.profile!r} not found") from None
            config = Config(
                retries={"mode": "adaptive", "max_attempts": MAX_ATTEMPTS},
                max_pool_connections=self.options.fetch_concurrency + 4,
                connect_timeout=10,
                read_timeout=60,
            )
            self._client = session.client("s3", endpoint_url=self.endpoint, config=config)
        return self._client

    def _listing_error(self, exc: Exception) -> SourceError:
        where = f"s3://{self.bucket}"
        if isinstance(exc, ClientError):
            code = _code(exc)
            if code == "NoSuchBucket":
                return SourceError(f"{where}: no such bucket")
            if code in ("AccessDenied", "AllAccessDisabled", "403"):
                return SourceError(f"{where}: access denied when listing objects (the credentials need s3:ListBucket)")
            if code in _REJECTED:
                return SourceError(f"{where}: the credentials were rejected ({code})")
            return SourceError(f"{where}: listing failed ({code})")
        if isinstance(exc, NoCredentialsError):
            return SourceError(f"{where}: no AWS credentials found (environment, --profile or instance role)")
        if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
            return SourceError(f"{where}: cannot reach the S3 endpoint {self.endpoint or '(AWS)'}")
        return SourceError(f"{where}: listing failed ({type(exc).__name__})")

    def _wanted(self, key: str) -> bool:
        """Globs apply to the key relative to the prefix, the full key and the bare name."""
        rel = key[len(self.prefix) :].lstrip("/") or key.rsplit("/", 1)[-1]
        names = (rel, key, key.rsplit("/", 1)[-1])

        def hit(patterns: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(n, p) for p in patterns for n in names)

        return (not self.options.include or hit(self.options.include)) and not hit(self.options.exclude)

    def _item(self, obj: dict) -> Item:
        key = obj["Key"]
        extra = (
            ("bucket", self.bucket),
            ("key", key),
            ("etag", _etag(obj.get("ETag"))),
            ("size", obj["Size"]),
            ("last_modified", _iso(obj.get("LastModified"))),
        )
        return Item(
            source=self.source,
            container=f"s3://{self.bucket}/{key}",
            size=obj["Size"],
            extra=extra,
            handle=(key, obj["Size"], obj.get("ETag")),
        )

    def _list(self) -> Iterator[Item]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:  # to the end: a page holds at most 1,000 keys
            for obj in page.get("Contents", ()):
                if obj["Key"].endswith("/") and obj["Size"] == 0:
                    continue  # a "folder" marker
                if self._wanted(obj["Key"]):
                    yield self._item(obj)

    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        share = self.options.sample_objects
        listed: list[Item] = []
        failure = None
        try:
            for item in self._list():
                if share >= 1:
                    yield from s3members.expanded(self, item, results)
                else:
                    listed.append(item)
        except (ClientError, BotoCoreError) as exc:
            failure = self._listing_error(exc)
        if share < 1:
            # the listing comes sorted by key, so a seed picks the same objects again
            keep = max(1, round(share * len(listed))) if listed else 0
            chosen = set(random.Random(self.options.seed).sample(range(len(listed)), keep))
            for i, item in enumerate(listed):
                if i in chosen:
                    yield from s3members.expanded(self, item, results)
                else:
                    result = ItemResult(self.source, item.container)
                    result.skip("not_sampled", f"not in the {share:g} sample of objects")
                    results.append(result)
        if failure is not None:
            raise failure

    @classmethod
    def check(cls, source: str, options) -> str | None:
        return check(source, options)

    def version(self, item: Item, previous: dict | None) -> tuple[dict | None, bool]:
        """(the object's ETag and size, unchanged since `previous`)."""
        extra = dict(item.extra)
        if not extra.get("etag"):
            return None, False
        version = {"etag": extra["etag"], "size": item.size}
        return version, previous == version

    # -- reading ------------------------------------------------------------------------------

    def prefetch(self, items: list[Item]) -> None:
        """Objects about to be read in this order (a bundle in a worker): fetched ahead as they are
        after a listing here. Those this process listed are queued already; members are read by ranges."""
        for item in (i for i in items if not isinstance(i.handle[0], Member)):
            self._prefetch.add(item.handle)

    def _small(self, handle: tuple) -> bool:
        """Read whole, and ahead of the scan: the object (or the part of it to read) is small."""
        size = handle[1]
        return min(size, self.limit or size) <= SMALL_OBJECT

    def _fetch(self, handle: tuple) -> Fetched:
        """Small objects whole (run ahead on the prefetch threads), others as an open stream."""
        key, size, _ = handle
        limit = self.limit if self.limit is not None and size > self.limit else None
        return get_object(self.client(), self.bucket, key, limit, whole=self._small(handle))

    def _read_error(self, exc: Exception) -> Exception:
        if isinstance(exc, ClientError):
            code = _code(exc)
            message = str(exc.response.get("Error", {}).get("Message", "")).lower()
            if code.startswith("KMS") or "kms" in message or "encrypt" in message:
                return ItemError(
                    "decryption_refused", f"the object cannot be decrypted with these credentials ({code})"
                )
            if code in ("AccessDenied", "403"):
                return ItemError("permission_denied", f"GetObject denied ({code})")
            if code in ("NoSuchKey", "404"):
                return ItemError("unreadable", f"the object went away after listing ({code})")
            if code == "PreconditionFailed":
                return ItemError("unreadable", "the object changed while it was read (ETag mismatch)")
            if code == "InvalidObjectState":
                return ItemError("unreadable", "archived (Glacier): restore it to scan it")
            if code in _REJECTED:
                return SourceError(f"s3://{self.bucket}: the credentials were rejected ({code})")
            return ItemError("unreadable", f"GetObject failed ({code})")
        if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
            return SourceError(f"s3://{self.bucket}: cannot reach the S3 endpoint {self.endpoint or '(AWS)'}")
        if isinstance(exc, ReadTimeoutError):
            return ItemError("timeout", "the object stopped arriving (read timeout)")
        return ItemError("unreadable", f"the transfer broke ({type(exc).__name__})")

    def read(self, item: Item, result: ItemResult) -> Iterator[Batch]:
        if isinstance(item.handle[0], Member):
            try:
                yield from s3members.read(self, item, result)
            except (ClientError, BotoCoreError) as exc:
                raise self._read_error(exc) from None
            return
        key, size, etag = item.handle
        cut = self.limit is not None and size > self.limit
        if cut:
            result.partial("byte_limit", f"only the first {self.limit} of {size} bytes were read")
        try:
            fetched = self._prefetch.get(item.handle)
        except (ClientError, BotoCoreError) as exc:
            raise self._read_error(exc) from None
        # what was read is what the location names (the object may have changed since listing)
        item.extra = _located(item.extra, fetched)
        etag = fetched.etag or etag
        if fetched.data is not None and not cut:
            raw, seekable = io.BytesIO(fetched.data), io.BytesIO(fetched.data)
        else:
            raw = io.BytesIO(fetched.data) if fetched.data is not None else fetched.body
            seekable = RangedFile(self.client(), self.bucket, key, size, etag, budget=self.limit if cut else None)
        try:
            yield from read_stream(
                key, raw, result, seekable=seekable, size=size, limits=self.options.limits, unpacked=self.unpacked
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._read_error(exc) from None
        except OSError as exc:  # a socket error botocore did not wrap
            raise ItemError("unreadable", f"the transfer broke ({type(exc).__name__})") from None
        finally:
            fetched.close()
            if isinstance(seekable, RangedFile) and seekable.fetched:
                result.bytes = seekable.fetched


def _located(extra: tuple, fetched: Fetched) -> tuple:
    """The listed location with the ETag, last-modified and version of the bytes actually read."""
    fields = dict(extra)
    if fetched.etag:
        fields["etag"] = _etag(fetched.etag)
    if fetched.last_modified is not None:
        fields["last_modified"] = _iso(fetched.last_modified)
    if fetched.version_id:
        fields["version_id"] = fetched.version_id
    return tuple(fields.items())
