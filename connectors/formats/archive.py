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
import zlib

from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.core.errors import ItemError

__all__ = ["DOCUMENT_ZIP", "Archive", "codec_of", "is_tar", "kind_of"]

SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty zip's end of central directory
DOCUMENT_ZIP = 0.9  # an OOXML or ODF zip: any format registered for it (CERTAIN) wins
PEEK = 1024  # bytes a compressed head is inflated to, to look for a tar header
COMPRESSED = ((b"\x1f\x8b", "gz"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))


def is_tar(head: bytes) -> bool:
    """A POSIX (ustar) or GNU tar header starts `head`."""
    return len(head) >= 263 and head[257:262] == b"ustar"


def codec_of(head: bytes) -> str | None:
    """gz, bz2 or xz when `head` starts a stream of that compression."""
    return next((codec for magic, codec in COMPRESSED if head.startswith(magic)), None)


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
    """zip, 7z, tar, tar.gz, tar.bz2 or tar.xz when `head` starts an archive of that kind, else None."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if is_tar(head):
        return "tar"
    codec = codec_of(head)
    if codec is not None and is_tar(_inflated(head, codec)):
        return f"tar.{codec}"
    return None


def is_document_zip(head: bytes) -> bool:
    """An OOXML (DOCX, XLSX, PPTX) or ODF zip, by the name of its first member."""
    return b"[Content_Types].xml" in head[:4096] or head[30:38] == b"mimetype"


class Archive(Format):
    """ZIP, 7z and TAR archives, plain or compressed. Their members are items of their own: the connectors
    expand an archive when they list it, and `read` is reached only by one that was not listed as one."""

    name = "archive"

    def sniff(self, head: bytes, name: str) -> float:
        kind = kind_of(head)
        if kind is None:
            return 0.0
        return DOCUMENT_ZIP if kind == "zip" and is_document_zip(head) else CERTAIN

    def read(self, source, result, limits):
        # a zip in a gzip stream (x.zip.gz), or a file that became an archive after it was listed
        raise ItemError("unsupported_format", "an archive inside a compressed stream, or not listed as one")
