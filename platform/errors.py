"""The refusals of the platform's operations: an HTTP status, a stable code and a French
and English message; the API answers them as they are, the CLI prints them."""

from __future__ import annotations

from typing import Any

from vigie.platform import lifecycle
from vigie.platform.rules import Violation


class PlatformError(Exception):
    """A refused operation: HTTP status, stable code, French and English message."""

    def __init__(
        self,
        http_status: int,
        code: str,
        message_fr: str,
        message_en: str,
        detail: str | None = None,
        errors: list[Violation] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}" + (f" ({detail})" if detail else ""))
        self.http_status = http_status
        self.code = code
        self.message_fr = message_fr
        self.message_en = message_en
        self.detail = detail
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message": self.message_fr,
            "message_en": self.message_en,
            "detail": self.detail,
        }
        if self.errors:
            out["errors"] = [e.as_dict() for e in self.errors]
        return out


def not_found(what: str) -> PlatformError:
    return PlatformError(404, "NOT-FOUND", f"{what} introuvable.", f"{what} not found.")


def forbidden(detail: str | None = None) -> PlatformError:
    return PlatformError(
        403,
        "AUTH-02",
        "Opération non autorisée pour cette clé.",
        "Operation not allowed for this key.",
        detail,
    )


def refused_change(decision: lifecycle.Decision) -> PlatformError:
    """The refusal of a status change the lifecycle did not allow."""
    code = decision.code or "LC-01"
    fr, en = lifecycle.LIFECYCLE_RULES[code]
    return PlatformError(decision.http_status, code, fr, en, decision.detail)


def lifecycle_error(code: str, detail: str | None = None) -> PlatformError:
    """A status change refused (422) by lifecycle rule ``code``: data it lacks, or time."""
    return refused_change(lifecycle.Decision(False, code, 422, detail=detail))


def refused(errors: list[Violation]) -> PlatformError:
    """A refusal with every failed rule; the first one names it."""
    first = errors[0]
    return PlatformError(
        422, first.code, first.message_fr, first.message_en, first.detail, errors=errors
    )
