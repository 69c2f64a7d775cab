"""The one exception a reader raises for a structural defect of a document."""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot be read at all; ``code`` names the rule (see ``rules.RULES``)."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
