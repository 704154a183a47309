"""Real archives built with zipfile and tarfile, for tests/connectors/test_archives.py and tests/hostile."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
from pathlib import Path

EMAIL = "carol.danvers@mailhost.com"
SSN = "536-90-4399"
CARD = "4929 4017 4543 2815"  # passes Luhn
NEAR_MISSES = "order 536-90-43990 ref 4929 4017 4543 2816 not-an@ email\n"  # too long, bad Luhn, no domain
CSV = f"name,email,ssn\nCarol Danvers,{EMAIL},{SSN}\nPeter Parker,peter.parker@dailybugle.net,219-09-9998\n"
TEXT = f"note: write to {EMAIL}\ncard on file {CARD}\n{NEAR_MISSES}"
PLANTED = (EMAIL, SSN, CARD)
MB = 1 << 20


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def tar_bytes(members: dict[str, bytes], codec: str = "") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=f"w:{codec}", format=tarfile.PAX_FORMAT) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


def nested_three_deep() -> bytes:
    """outer zip > inner.tar.gz > deeper.tar.bz2 > deepest.txt, with a CSV and text at each level."""
    deeper = tar_bytes({"deepest.txt": TEXT.encode()}, "bz2")
    inner = tar_bytes({"a.txt": TEXT.encode(), "deeper.tar.bz2": deeper}, "gz")
    return zip_bytes({"dir/member.csv": CSV.encode(), "inner.tar.gz": inner, "readme.txt": NEAR_MISSES.encode()})


def nested(depth: int, leaf: bytes) -> bytes:
    """`depth` zips, each holding the next (`level{n}.zip`), the innermost holding leaf.txt."""
    data = zip_bytes({"leaf.txt": leaf})
    for level in range(depth - 1, 0, -1):
        data = zip_bytes({f"level{level + 1}.zip": data})
    return data


def encrypted_zip(members: dict[str, bytes], secret: str) -> bytes:
    """A zip whose member `secret` is marked encrypted (flag bit 0 in its local and central headers),
    its bytes scrambled as an encryption would leave them; the others plain."""
    data = bytearray(zip_bytes(members, zipfile.ZIP_STORED))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(secret)
    local = info.header_offset
    struct.pack_into("<H", data, local + 6, info.flag_bits | 1)
    name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
    start = local + 30 + name_len + extra_len
    data[start : start + info.compress_size] = bytes(b ^ 0x5A for b in data[start : start + info.compress_size])
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == secret.encode():
            struct.pack_into("<H", data, central + 8, info.flag_bits | 1)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def damaged_member_zip(good: dict[str, bytes], bad: str, bad_data: bytes) -> bytes:
    """A zip whose member `bad` has its deflated bytes overwritten (a bad CRC or deflate stream)."""
    data = bytearray(zip_bytes({**good, bad: bad_data}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(bad)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start + 2 : start + info.compress_size - 2] = b"\xff" * (info.compress_size - 4)
    return bytes(data)


def zip_bomb(path: Path, unpacked: int = 1 << 30) -> None:
    """A zip of one member of `unpacked` zero bytes (honest sizes), deflated a MB at a time."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("zeros.txt", "w", force_zip64=True) as fh:
        block = b"\x00" * MB
        for _ in range(unpacked // MB):
            fh.write(block)


def tar_bomb(path: Path, codec: str, unpacked: int = 1 << 30) -> None:
    """A tar of one member of `unpacked` bytes of text lines, compressed with `codec` (gz, bz2, xz) as a stream."""
    opener = {"gz": lambda: gzip.GzipFile(path, "wb", 9), "bz2": lambda: bz2.BZ2File(path, "wb", compresslevel=1),
              "xz": lambda: lzma.LZMAFile(path, "wb", preset=0)}[codec]  # fmt: skip
    info = tarfile.TarInfo("zeros.txt")
    info.size = unpacked
    with opener() as fh:
        fh.write(info.tobuf(tarfile.USTAR_FORMAT))
        block = (b"x" * 1023 + b"\n") * 1024  # text, so that reading it is what the caps stop
        for _ in range(unpacked // MB):
            fh.write(block)
        fh.write(b"\x00" * 1024)


def seven_zip_bytes(members: dict[str, bytes], password: str | None = None, header_encryption=False) -> bytes:
    """A 7z written by py7zr (LZMA2, one solid block; AES-256 with `password`)."""
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password=password, header_encryption=header_encryption) as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return out.getvalue()


def seven_zip_two_blocks(path: Path, first: dict[str, bytes], second: dict[str, bytes]) -> tuple[int, int]:
    """A 7z at `path` whose `second` members were appended (a block of their own, as py7zr appends to a
    file); the (start, end) offsets of the first block's packed bytes."""
    import py7zr

    path.write_bytes(seven_zip_bytes(first))
    with py7zr.SevenZipFile(path, "a") as archive:
        for name, data in second.items():
            archive.writestr(data, name)
    with py7zr.SevenZipFile(path, "r") as archive:
        positions = archive.header.main_streams.packinfo.packpositions
        return archive.afterheader + positions[0], archive.afterheader + positions[1]


def seven_zip_bomb(path: Path, unpacked: int = 1 << 30) -> None:
    """A 7z of one member of `unpacked` zero bytes (honest sizes; LZMA2 packs it about 7000:1), from a sparse file."""
    import py7zr

    zeros = path.with_name(path.name + ".zeros")
    with open(zeros, "wb") as fh:
        fh.truncate(unpacked)
    try:
        with py7zr.SevenZipFile(path, "w") as archive:
            archive.write(zeros, "zeros.txt")
    finally:
        zeros.unlink()
