"""Small helpers shared by tests."""

from __future__ import annotations

import socket

from vigie.platform.identifiers import luhn_ok


def siret(n: int) -> str:
    """A valid (Luhn) SIRET built from ``n``: 13 digits plus the check digit."""
    base = f"{n:013d}"
    return next(base + d for d in "0123456789" if luhn_ok(base + d))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
