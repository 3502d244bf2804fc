"""Errors raised while reading a message: each carries its 0910 return-to-sender code."""

from __future__ import annotations

from dataclasses import dataclass

from datenspiegel.xsd.coded import Coded
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = [
    "MessageError",
    "MessageNotWellFormed",
    "MessageSchemaInvalid",
    "SchemaIssue",
    "UnsafeMessage",
]


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One schema violation, located so that a person can find and fix it."""

    line: int
    path: str
    message: str
    code: Ruecksendung = Ruecksendung.X001

    def __str__(self) -> str:
        return f"line {self.line}: {self.path}: {self.message}"


class MessageError(Coded):
    """Root of every message reading error. ``code`` is the 0910 code (Code.Ruecksendung)."""

    code: Ruecksendung = Ruecksendung.X000


class MessageNotWellFormed(MessageError, ValueError):
    code = Ruecksendung.X000


class UnsafeMessage(MessageNotWellFormed):
    """DOCTYPE, entity declarations, excessive size or depth: refused before any expansion."""


class MessageSchemaInvalid(MessageError, ValueError):
    code = Ruecksendung.X001

    def __init__(self, issues: tuple[SchemaIssue, ...]) -> None:
        self.issues = issues
        # A wrong code list is X010, a wrong code X011; otherwise plain X001.
        found = {issue.code for issue in issues}
        worst = next(
            (c for c in (Ruecksendung.X010, Ruecksendung.X011) if c in found), Ruecksendung.X001
        )
        first = "; ".join(str(i) for i in issues[:3])
        more = f" (+{len(issues) - 3} more)" if len(issues) > 3 else ""
        super().__init__(f"message does not conform to the schema: {first}{more}", code=worst)
