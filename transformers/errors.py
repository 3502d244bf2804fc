"""Errors of the transformations; each carries the code the SOAP layer maps 1:1."""

from __future__ import annotations

__all__ = ["BusinessRejection", "TransformError", "UnsupportedMessage"]


class TransformError(Exception):
    """Root of every transformer error."""

    code = "S999"


class BusinessRejection(TransformError, ValueError):
    """The request is readable but cannot be answered: an answer with ``rueckweisung``.

    ``codes`` are Nichterstellung.Grund values (01–24); ``freitext`` says what to change.
    """

    def __init__(self, codes: tuple[str, ...] | str, freitext: str) -> None:
        self.codes = (codes,) if isinstance(codes, str) else tuple(codes)
        self.code = self.codes[0]
        self.freitext = freitext
        super().__init__(f"rejected ({', '.join(self.codes)}): {freitext}")


class UnsupportedMessage(TransformError, ValueError):
    """Valid XML of our schema, but not a message this operation takes (0910 V000/S999)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)
