"""Documents archived content-addressed by SHA-256 under ``VIGIE_HOME/documents``.

``documents/ab/abcd…`` holds the exact bytes deposited (256 fan-out folders, created once).
A file is written under a temporary name and renamed into place, so a reader never sees
half a document.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mismatch:
    path: Path
    expected: str
    actual: str | None  # None: the name is not a SHA-256


class DocumentStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._root = str(self.root)
        self._folders: set[str] = set()

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> tuple[str, bool]:
        """Archive ``data``; returns (sha256, True when this call created the file)."""
        digest = hashlib.sha256(data).hexdigest()
        folder = os.path.join(self._root, digest[:2])  # noqa: PTH118 (hot path: no pathlib)
        path = os.path.join(folder, digest)  # noqa: PTH118
        if os.path.exists(path):  # noqa: PTH110
            return digest, False
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103
            self._folders.add(folder)
        tmp = os.path.join(folder, f".{digest}.{os.getpid()}.tmp")  # noqa: PTH118
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)  # noqa: PTH105
        return digest, True

    def remove(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)

    def __iter__(self) -> Iterator[Path]:
        if not self.root.exists():
            return
        for path in sorted(self.root.glob("??/*")):
            if path.is_file() and not path.name.startswith("."):
                yield path

    def verify(self) -> tuple[int, list[Mismatch]]:
        """Recompute every hash: (files checked, the ones whose content ≠ their name)."""
        checked, bad = 0, []
        for path in self:
            checked += 1
            digest = hashlib.sha256()
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
            actual = digest.hexdigest()
            if actual != path.name:
                bad.append(Mismatch(path, path.name, actual))
        return checked, bad
