"""Archive objects in a bucket listed as their members, each an item of its own, as local files are
(pdscan.connectors.formats.archive_members says why); members are read by ranged GETs of the archive.

Listing fetches the first bytes of every object over SNIFFED bytes (one ranged GET each) to tell an
archive by its content; a zip bigger than that, its central directory too (two more: its end, its directory).
"""

from __future__ import annotations

from collections.abc import Iterator

from botocore.exceptions import BotoCoreError, ClientError

from pdscan.connectors.base import Batch, Item
from pdscan.connectors.files import read_member
from pdscan.connectors.formats import archive, archive_members
from pdscan.connectors.s3io import RangedFile
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

__all__ = ["expanded", "head_of", "read"]

SNIFFED = 64  # objects this small are no archive (an empty tar is 1 KB, a zip with a member over 100 bytes)
HEAD_BYTES = 64 << 10


def head_of(connector, key: str, size: int, etag: str | None) -> bytes:
    """The object's first bytes; b"" when it is too small or cannot be fetched (read() says why)."""
    if size < SNIFFED:
        return b""
    kwargs = {"Bucket": connector.bucket, "Key": key, "Range": f"bytes=0-{min(size, HEAD_BYTES) - 1}"}
    if etag:
        kwargs["IfMatch"] = etag
    try:
        body = connector.client().get_object(**kwargs)["Body"]
        try:
            return body.read()
        finally:
            body.close()
    except (ClientError, BotoCoreError, OSError):
        return b""


def expanded(connector, item: Item, results: list[ItemResult]) -> Iterator[Item]:
    """The object as an item (queued to be fetched ahead), or its members if it is an archive."""
    key, size, etag = item.handle
    head = head_of(connector, key, size, etag)
    raw = RangedFile(connector.client(), connector.bucket, key, size, etag)
    if size > len(head) and head.startswith(archive.ZIP_MAGIC):  # the directory at its end tells its kind too
        head = archive.with_directory(head, raw)
    kind = archive.expandable(head, key)
    if kind is None:
        connector.prefetch([item])
        yield item
        return
    listing = archive_members.listing(key, connector.source, connector.options.limits, results)
    try:
        members = list(archive_members.expand(raw, kind, item.container, listing))
    except (ClientError, BotoCoreError, ItemError):
        members = []  # the archive's own result says why
    for inner, member, member_size in members:
        extra = (*item.extra, ("member", member.inner))
        yield Item(source=connector.source, container=inner, size=member_size, extra=extra, handle=(member, size, etag))


def read(connector, item: Item, result: ItemResult) -> Iterator[Batch]:
    """A member's batches, its archive read by ranges (S3 errors are the caller's to name)."""
    member, size, etag = item.handle
    limits = connector.options.limits
    opened: list[RangedFile] = []

    def open_root() -> RangedFile:
        opened.append(RangedFile(connector.client(), connector.bucket, member.root, size, etag))
        return opened[-1]

    cursor = connector.cursor
    try:
        with archive_members.opened(member, open_root, limits, connector.unpacked, connector.budgets, cursor) as stream:
            yield from read_member(member, stream, result, item.size, limits, connector.unpacked)
    finally:
        result.bytes = result.bytes or sum(raw.fetched for raw in opened)
