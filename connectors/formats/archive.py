"""Archives as a format: ZIP, 7z and TAR (plain, gzip, bzip2, xz), told by their content, never their name.

A zip by its local header or (empty) central directory, a 7z by its signature, a tar by the `ustar` magic of its first
header, a compressed tar by that magic in the first bytes its stream inflates to. An archive is not
read as one item: the file and S3 connectors list its members as items of their own
(pdscan.connectors.formats.archive_members), so `sniff` is what decides it is one. A zip holding
`[Content_Types].xml` (OOXML) or an ODF `mimetype` first is a document: its confidence stays below
CERTAIN, so a registered document format (DOCX, XLSX, ODT) takes it; without one it is read as a zip.
"""

from __future__ import annotations

import bz2
import lzma
import zipfile
import zlib

from pdscan.connectors.formats.base import CERTAIN, Format, best
from pdscan.core.errors import ItemError

__all__ = ["DOCUMENT_ZIP", "Archive", "codec_of", "content_of", "expandable", "is_tar", "kind_of", "with_directory"]

SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty zip's end of central directory
DOCUMENT_ZIP = 0.9  # an OOXML or ODF zip: any format registered for it (CERTAIN) wins
PEEK = 64 << 10  # bytes a compressed head is inflated to, to look for an archive (and a document zip) in it
COMPRESSED = ((b"\x1f\x8b", "gz"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
DIRECTORY = 256 << 10  # bytes of a zip's central directory shown to the sniffers (some 2,000 member names)
BZ2_BLOCKS = (b"1AY&SY", b"\x17rE8P\x90")  # after BZh and the block size: a block, or the end of an empty stream


def is_tar(head: bytes) -> bool:
    """A POSIX (ustar) or GNU tar header starts `head`."""
    return len(head) >= 263 and head[257:262] == b"ustar"


def codec_of(head: bytes) -> str | None:
    """gz, bz2 or xz when `head` starts a stream of that compression (bzip2 by its block magic too)."""
    codec = next((codec for magic, codec in COMPRESSED if head.startswith(magic)), None)
    if codec == "bz2" and not (head[3:4] in b"123456789" and head[4:10] in BZ2_BLOCKS and len(head) >= 10):
        return None
    return codec


def _inflated(head: bytes, codec: str) -> bytes:
    """The first bytes `head` (the start of a compressed stream) inflates to; b"" when it is damaged."""
    try:
        if codec == "gz":
            return zlib.decompressobj(wbits=31).decompress(head, PEEK)
        if codec == "bz2":
            return bz2.BZ2Decompressor().decompress(head, max_length=PEEK)
        return lzma.LZMADecompressor().decompress(head, max_length=PEEK)
    except (zlib.error, OSError, EOFError, ValueError, lzma.LZMAError):
        return b""


def kind_of(head: bytes) -> str | None:
    """zip, 7z, tar, and each of them compressed (tar.gz, zip.bz2, 7z.xz ...) when `head` starts an
    archive of that kind, else None."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if is_tar(head):
        return "tar"
    codec = codec_of(head)
    if codec is None:
        return None
    inner = kind_of(_inflated(head, codec))
    return f"{inner}.{codec}" if inner in ("zip", "7z", "tar") else None


def content_of(head: bytes) -> bytes:
    """What `head` inflates to when it starts a compressed stream, else `head`."""
    codec = codec_of(head)
    return head if codec is None else _inflated(head, codec)


def expandable(head: bytes, name: str) -> str | None:
    """The kind of archive (kind_of) the connectors list as its members: an archive that no other
    format (a document zip's DOCX, XLSX) takes, judged by what a compressed head inflates to."""
    kind = kind_of(head)
    if kind is None or not isinstance(best(content_of(head), name)[0], Archive):
        return None
    return kind


def with_directory(head: bytes, source) -> bytes:
    """`head` of a zip bigger than it, followed by (up to DIRECTORY bytes of) its central directory,
    read from the end of `source` (a path or a seekable file): the sniffers then see every member's
    name, not only those of the first bytes (a DOCX whose parts come after a large image). `head`
    itself for anything else, or when the directory cannot be read (the reader will say why)."""
    if not head.startswith(ZIP_MAGIC) or source is None:
        return head
    try:
        with zipfile.ZipFile(source) as zf:  # reads the end record and the directory, no member
            fh, start = zf.fp, zf.start_dir
            if start < len(head):
                return head  # the directory is in the head already
            fh.seek(start)
            directory = fh.read(DIRECTORY)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, AttributeError):
        return head
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    return head + directory


def is_document_zip(head: bytes) -> bool:
    """An OOXML (DOCX, XLSX, PPTX) or ODF zip, by the name of its first member or its directory's."""
    return b"[Content_Types].xml" in head or head[30:38] == b"mimetype"


class Archive(Format):
    """ZIP, 7z and TAR archives, plain or compressed. Their members are items of their own: the connectors
    expand an archive when they list it, and `read` is reached only by one that was not listed as one."""

    name = "archive"

    def sniff(self, head: bytes, name: str) -> float:
        kind = kind_of(head)
        if kind is None:
            return 0.0
        return DOCUMENT_ZIP if kind.startswith("zip") and is_document_zip(content_of(head)) else CERTAIN

    def read(self, source, result, limits):
        # a file that became an archive after it was listed
        raise ItemError("unsupported_format", "an archive that was not listed as one")
