"""Archive members as items of their own: listed with the archive, each read through the same readers.

Why at listing, not inside one read: the engine plans, records and reports per item, so a member
that is an item (`outer.zip!/inner.tar.gz!/a.csv`) gets all of it as a file does: its own status and
reason, findings in it as their container, column classification of a CSV member, small members in
bundles, workers (a `Member` pickles), incremental scans and DSAR. The cost: listing reads each
archive's directory (zip) or its whole stream (tar: headers are spread through it, the data skipped)
and the first bytes of each member, to find archives inside by their content; a member is found
again when it is read (in a compressed tar by inflating up to it). Nothing is extracted: members are
streams (zipfile.open, tarfile.extractfile); only a zip inside another archive is copied to a
private temp file (at most limits.temp_bytes), as a zip needs to seek.
"""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from pdscan.connectors.formats import archive, archive_7z
from pdscan.connectors.formats.archive_streams import DAMAGE, Damaged, Prefixed, Unpacking, spooled
from pdscan.connectors.limits import Limits
from pdscan.connectors.streams import Bomb, Inflating, Unpacked
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

__all__ = ["Cursor", "Damaged", "Member", "expand", "opened"]

MB = 1 << 20
HEAD = 8 << 10  # bytes of a member sniffed for an archive inside
TAR_STEP = 64 << 10


@dataclass(frozen=True)
class Member:
    """Where a member is: (index, name) in each archive from the outermost in, and each one's kind."""

    root: str  # the outermost archive as opened (a path, an S3 key)
    chain: tuple[tuple[int, str], ...]
    kinds: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.chain[-1][1]

    @property
    def inner(self) -> str:
        return "!/".join(name for _, name in self.chain)


@dataclass
class _Listing:
    root: str
    source: str
    limits: Limits
    results: list[ItemResult]
    total: Unpacked = field(default_factory=Unpacked)  # listing inflates outside the scan's own total


def _inflated(stream, kind: str, limits: Limits, total: Unpacked, stack: ExitStack):
    """The archive's own bytes: a compressed one (tar.gz, zip.xz, 7z.bz2 ...) inflated by us within the caps."""
    codec = kind.partition(".")[2]
    if not codec:
        return stream
    return stack.enter_context(Inflating(stream, limits, total, codec, what="the archive"))


def _tar(stream, kind: str, limits: Limits, total: Unpacked, stack: ExitStack) -> tarfile.TarFile:
    """A tar read as a stream (mode r|)."""
    return stack.enter_context(tarfile.open(fileobj=_inflated(stream, kind, limits, total, stack), mode="r|"))


def _zip(stream, kind: str, nested: bool, limits: Limits, total: Unpacked, stack: ExitStack) -> zipfile.ZipFile:
    """A zip seeks to its directory: one inside an archive or a compressed stream goes to a private temp
    file (unless the listing copied it there already, to read its directory)."""
    if (nested or kind != "zip") and not isinstance(stream, tempfile.SpooledTemporaryFile):
        stream = stack.enter_context(spooled(_inflated(stream, kind, limits, total, stack), limits))
    return stack.enter_context(zipfile.ZipFile(stream))


def _seven(stream, kind: str, nested: bool, limits: Limits, total: Unpacked, stack: ExitStack):
    stream = _inflated(stream, kind, limits, total, stack)
    return stack.enter_context(archive_7z.Members(stream, limits, nested or kind != "7z"))


def _declared_bomb(info: zipfile.ZipInfo, limits: Limits, budget: int) -> str | None:
    """Why a zip member's declared sizes make it a bomb, else None (they are checked again as it inflates)."""
    if info.file_size > MB and info.file_size > limits.compression_ratio * max(1, info.compress_size):
        return f"declares more than {limits.compression_ratio} times its size (limits.compression_ratio)"
    if budget + info.file_size > limits.decompressed_bytes:
        return f"the archive unpacks to more than {limits.decompressed_bytes >> 20} MB (limits.decompressed_bytes)"
    return None


def _entries(stream, kind: str, nested: bool, ctx: _Listing, stack: ExitStack):
    """(index, name, size, problem or None, opener of its stream) for each regular member."""
    if kind.startswith("zip"):
        zf = _zip(stream, kind, nested, ctx.limits, ctx.total, stack)
        declared = 0
        for index, info in enumerate(zf.infolist()):
            if info.is_dir():
                continue
            problem = ("encrypted", "a password-protected member: never decrypted") if info.flag_bits & 1 else None
            bomb = None if problem else _declared_bomb(info, ctx.limits, declared)
            problem = problem or (("bomb", bomb) if bomb else None)
            declared += info.file_size
            yield index, info.filename, info.file_size, problem, lambda info=info: zf.open(info)
        return
    if kind.startswith("7z"):
        yield from archive_7z.entries(_seven(stream, kind, nested, ctx.limits, ctx.total, stack), ctx.limits)
        return
    tf = _tar(stream, kind, ctx.limits, ctx.total, stack)
    for index, info in enumerate(tf):
        if info.isfile():
            yield index, info.name, info.size, None, lambda info=info: tf.extractfile(info)


def expand(stream, kind: str, container: str, ctx: _Listing, chain=(), kinds=()) -> Iterator[tuple[str, Member, int]]:
    """(container, member, size) of each member of the archive `stream` (of `kind`), archives inside
    expanded in turn; the archive's own result and those of members that cannot be read go to ctx.results."""
    result = ItemResult(ctx.source, container)
    kinds = (*kinds, kind)
    listed = 0
    try:
        with ExitStack() as stack:
            for index, name, size, problem, opener in _entries(stream, kind, bool(chain), ctx, stack):
                if listed >= ctx.limits.archive_members:
                    result.partial(
                        "too_many_members",
                        f"more than {ctx.limits.archive_members} members: the first were read (limits.archive_members)",
                    )
                    break
                listed += 1
                inner = f"{container}!/{name}"
                if problem is not None:
                    _skipped(ctx, inner, *problem)
                    continue
                member = Member(ctx.root, (*chain, (index, name)), kinds)
                yield from _member(opener, name, size, inner, member, ctx)
    except ItemError as exc:
        (result.partial if listed else result.skip)(exc.reason, exc.detail)
    except Bomb as exc:
        (result.partial if listed else result.skip)("bomb", str(exc))
    except EOFError:
        (result.partial if listed else result.skip)("truncated", "the archive ends early")
    except DAMAGE:
        (result.partial if listed else result.skip)("corrupt", "the archive's structure is damaged")
    except Exception as exc:  # a library's bug must not end the listing, nor quote the data
        (result.partial if listed else result.skip)("read_error", f"{type(exc).__name__} while listing the archive")
    result.records = listed
    ctx.results.append(result)


def _member(opener, name: str, size: int, inner: str, member: Member, ctx: _Listing):
    """The member as an item, or the archive it is expanded (past the depth limit: `too_deep`)."""
    try:
        raw = opener()
        head = raw.read(HEAD)
    except (Bomb, EOFError, NotImplementedError, *DAMAGE):
        yield inner, member, size  # read as an item, its reader tells what is wrong
        return
    with ExitStack() as stack:
        stack.enter_context(raw)
        stream = Prefixed(head, raw)
        if head.startswith(archive.ZIP_MAGIC) and size > len(head):  # its directory tells a zip from a document
            try:
                stream = stack.enter_context(spooled(raw, ctx.limits, head))
            except (ItemError, Bomb, EOFError, *DAMAGE):
                yield inner, member, size
                return
            head = archive.with_directory(head, stream)
        kind = archive.expandable(head, name)
        if kind is None:
            yield inner, member, size
        elif len(member.kinds) >= ctx.limits.archive_depth:
            limit = ctx.limits.archive_depth
            _skipped(ctx, inner, "too_deep", f"an archive nested more than {limit} deep (limits.archive_depth)")
        else:
            yield from expand(stream, kind, inner, ctx, member.chain, member.kinds)


def _skipped(ctx: _Listing, container: str, reason: str, detail: str) -> None:
    result = ItemResult(ctx.source, container)
    result.skip(reason, detail)
    ctx.results.append(result)


def listing(root: str, source: str, limits: Limits, results: list[ItemResult]) -> _Listing:
    return _Listing(root, source, limits, results)


class Cursor:
    """The last tar whose members were read, left open after the member read last: members read in
    listing order cost one pass through a compressed tar, not one pass each (a tar is read as a stream)."""

    def __init__(self):
        self.key = None
        self.stack: ExitStack | None = None
        self.tar = None
        self.members = None
        self.at = -1

    def close(self) -> None:
        if self.stack is not None:
            stack, self.stack, self.key, self.tar, self.members, self.at = self.stack, None, None, None, None, -1
            stack.close()


@contextmanager
def opened(member: Member, open_root, limits: Limits, total: Unpacked, budgets: dict, cursor: Cursor) -> Iterator:
    """The member's bytes as a stream, within the caps (`budgets`: unpacked bytes per archive, kept by
    the connector across its members' reads). `open_root()` opens the outermost archive."""
    (index, name), kind = member.chain[-1], member.kinds[-1]
    budget = budgets.setdefault("!/".join((member.root, *(n for _, n in member.chain[:-1]))), Unpacked())
    if kind.startswith("zip"):
        cursor.close()
        with ExitStack() as stack:
            parent = _parent(member, open_root, limits, total, budgets, stack)
            yield _open_member(parent, kind, index, name, len(member.chain) > 1, limits, total, budget, stack)
        return
    key = (member.root, member.chain[:-1])
    if kind.startswith("7z"):
        yield _seven_zip_member(member, key, open_root, limits, total, budgets, budget, cursor)
        return
    if cursor.key != key or cursor.at >= index:
        cursor.close()
        stack = ExitStack()
        try:
            parent = _parent(member, open_root, limits, total, budgets, stack)
            cursor.tar = _guarded(lambda: _tar(parent, kind, limits, total, stack))
        except BaseException:
            stack.close()
            raise
        cursor.key, cursor.stack, cursor.members, cursor.at = key, stack, enumerate(cursor.tar), -1
    try:
        info = _guarded(lambda: _advance(cursor, index))
        if info is None or info.name != name or not info.isfile():
            raise ItemError("vanished", "the member is no longer in the archive")
        yield Unpacking(cursor.tar.extractfile(info), None, limits, total, budget, TAR_STEP)
    except BaseException:
        cursor.close()  # where the tar stands after a break is not known: the next member opens it again
        raise


def _seven_zip_member(member: Member, key, open_root, limits, total, budgets, budget, cursor: Cursor):
    """A 7z member from the cursor's pass over its archive (one pass serves members read in order)."""
    (index, name) = member.chain[-1]
    if cursor.key != key:
        cursor.close()
        stack = ExitStack()
        try:
            parent = _parent(member, open_root, limits, total, budgets, stack)
            nested, kind = len(member.chain) > 1, member.kinds[-1]
            cursor.tar = _guarded(lambda: _seven(parent, kind, nested, limits, total, stack))
        except BaseException:
            stack.close()
            raise
        cursor.key, cursor.stack = key, stack
    try:
        return Unpacking(_guarded(lambda: cursor.tar.open(index, name)), None, limits, total, budget)
    except BaseException:
        cursor.close()
        raise


def _advance(cursor: Cursor, index: int):
    for at, info in cursor.members:
        cursor.at = at
        if at == index:
            return info
    return None


def _parent(member: Member, open_root, limits, total, budgets, stack: ExitStack):
    """The stream of the archive holding the member (the outermost archive, or a member of it)."""
    stream, prefix = stack.enter_context(open_root()), member.root
    for depth, ((index, name), kind) in enumerate(zip(member.chain[:-1], member.kinds[:-1], strict=True)):
        budget = budgets.setdefault(prefix, Unpacked())
        stream = _open_member(stream, kind, index, name, depth > 0, limits, total, budget, stack)
        prefix = f"{prefix}!/{name}"
    return stream


def _guarded(step):
    """`step()` with an archive's errors as the member's reasons."""
    try:
        return step()
    except ItemError:
        raise
    except Bomb as exc:
        raise ItemError("bomb", str(exc)) from None
    except EOFError:
        raise ItemError("truncated", "the archive ends before the member") from None
    except DAMAGE:
        raise ItemError("corrupt", "the archive's structure is damaged") from None


def _open_member(stream, kind, index, name, nested, limits, total, budget, stack):
    return _guarded(lambda: _member_stream(stream, kind, index, name, nested, limits, total, budget, stack))


def _member_stream(stream, kind, index, name, nested, limits, total, budget, stack):
    """The member's unpacking stream; the archive's own errors are named by `_guarded`."""
    if kind.startswith("zip"):
        zf = _zip(stream, kind, nested, limits, total, stack)
        infos = zf.infolist()
        if index >= len(infos) or infos[index].filename != name:
            raise ItemError("vanished", "the member is no longer in the archive")
        info = infos[index]
        if info.flag_bits & 1:
            raise ItemError("encrypted", "a password-protected member: never decrypted")
        try:
            raw = stack.enter_context(zf.open(info))
        except NotImplementedError:
            raise ItemError("unsupported_format", "a zip compression method pdscan does not read") from None
        return Unpacking(raw, lambda: info.compress_size, limits, total, budget)
    if kind.startswith("7z"):
        members = _seven(stream, kind, nested, limits, total, stack)
        return Unpacking(members.open(index, name), None, limits, total, budget)
    tf = _tar(stream, kind, limits, total, stack)
    for at, info in enumerate(tf):
        if at == index and info.name == name and info.isfile():
            return Unpacking(tf.extractfile(info), None, limits, total, budget, TAR_STEP)
    raise ItemError("vanished", "the member is no longer in the archive")
