"""Errors of the transformations; each carries the code the SOAP layer maps 1:1."""

from __future__ import annotations

from datenspiegel.xsd.coded import Coded
from datenspiegel.xsd.codelists import Grund, Ruecksendung

__all__ = ["BusinessRejection", "TransformError", "UnsupportedMessage"]


class TransformError(Coded):
    """Root of every transformer error."""

    code: Ruecksendung | Grund | None = Ruecksendung.X001


class BusinessRejection(TransformError, ValueError):
    """The request is readable but cannot be answered: an answer with ``rueckweisung``.

    ``codes`` are Nichterstellung.Grund values (01–24); ``freitext`` says what to change.
    """

    def __init__(
        self, codes: tuple[Grund, ...] | Grund | str, freitext: str, *, detail: str | None = None
    ) -> None:
        given = (codes,) if isinstance(codes, str) else tuple(codes)
        reasons = tuple(Grund(c) for c in given)  # ValueError for anything but a Grund code
        if not reasons:
            raise ValueError("a rejection needs at least one reason")
        self.freitext = freitext
        super().__init__(
            f"rejected ({', '.join(reasons)}): {freitext}", codes=reasons, detail=detail
        )


class UnsupportedMessage(TransformError, ValueError):
    """Valid XML of our schema, but not a message this operation takes (0910 V000/S999)."""

    def __init__(self, code: Ruecksendung, message: str) -> None:
        super().__init__(message, code=code)
