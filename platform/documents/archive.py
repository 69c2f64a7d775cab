"""ZIP batches, opened defensively.

Every entry is judged on its own. Entry names that are absolute or climb out with ``..``
are refused; an archive whose declared or actual sizes exceed the caps, or whose entries
inflate beyond a compression ratio, is stopped before (or while) inflating: nothing is
read past a cap.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from vigie.platform.documents.errors import DocumentError

MAX_ENTRIES = 1000
MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ZipEntry:
    name: str
    data: bytes | None
    error: DocumentError | None


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def unsafe_name(name: str) -> str | None:
    """Why an entry name is unsafe to honour, or None."""
    if "\x00" in name:
        return "NUL byte in the name"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "path climbs out of the archive with '..'"
    return None


def iter_zip(data: bytes) -> Iterator[ZipEntry]:
    """Each file entry of a ZIP, with its bytes or the reason it is refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as err:
        raise DocumentError("ZIP-04", str(err)) from None
    if len(infos) > MAX_ENTRIES:
        raise DocumentError("ZIP-03", f"{len(infos):,} entries, limit {MAX_ENTRIES:,}")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        raise DocumentError("ZIP-02", f"declares {declared:,} bytes once inflated")
    total = 0
    for info in infos:
        problem = unsafe_name(info.filename)
        if problem:
            yield ZipEntry(info.filename, None, DocumentError("ZIP-01", problem))
            continue
        if info.flag_bits & 0x1:
            yield ZipEntry(info.filename, None, DocumentError("ZIP-04", "encrypted entry"))
            continue
        try:
            content = _read_capped(archive, info, MAX_TOTAL_BYTES - total)
        except DocumentError as err:
            if err.code == "ZIP-02":
                raise  # a bomb stops the whole archive
            yield ZipEntry(info.filename, None, err)
            continue
        total += len(content)
        yield ZipEntry(info.filename, content, None)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    limit = min(MAX_ENTRY_BYTES, budget)
    ratio_cap = max(info.compress_size, 1) * MAX_RATIO
    if info.file_size > limit or info.file_size > ratio_cap:
        raise DocumentError("ZIP-02", f"{info.filename}: declares {info.file_size:,} bytes")
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > limit or len(out) > ratio_cap:
                    raise DocumentError(
                        "ZIP-02",
                        f"{info.filename}: inflates beyond {min(limit, ratio_cap):,} bytes",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as err:
        raise DocumentError("ZIP-04", f"{info.filename}: {err}") from None
    return bytes(out)
