"""Errors of the register (the mirror store, its record model and its import format).

One root, :class:`RegisterError`; every leaf also inherits the fitting built-in so that callers
who only know Python's exceptions still catch it. Where an XÖV code applies (a rejection reason
of ``Code.Datenabruf.Nichterstellung.Grund``), the leaf carries it in ``code`` so the SOAP layer
can map it 1:1.
"""

from __future__ import annotations

from datenspiegel.store.errors import StoreUnavailable
from datenspiegel.xsd.coded import Coded
from datenspiegel.xsd.codelists import Grund

__all__ = [
    "DeliveryConflictError",
    "DeliveryRejectedError",
    "ErgebnislisteZuGrossError",
    "ImportFormatError",
    "InadmissibleSearchDataError",
    "InvalidDateError",
    "InvalidQueryError",
    "InvalidRecordError",
    "RegisterBusyError",
    "RegisterError",
    "RegisterUnavailableError",
]


class RegisterError(Coded):
    """Root of every register error."""

    code: Grund | None = None


class InvalidRecordError(RegisterError, ValueError):
    """A person record (or one of its parts) violates the model's rules."""


class InvalidDateError(InvalidRecordError):
    """A partially known date that cannot exist (month 13, 30 February, a day without month)."""


class InvalidQueryError(RegisterError, ValueError):
    """A search the register refuses to run.

    The broker checks the minimum search data (§ 38 Abs. 1 BMG) before it asks; this is the
    register's own guard so that no query can scan a municipality without an indexed name.
    """

    code = Grund.MINDESTANGABEN_FEHLEN


class InadmissibleSearchDataError(InvalidQueryError):
    """Search data a Personensuche does not admit — refused, never silently used or dropped.

    - a placeholder ``*`` / ``?`` (BMeldDAV § 4 Abs. 7): reason 15 when the search is phonetic
      (the code list's own case), otherwise 17;
    - a field that is no search criterion of § 38 Abs. 1 BMG / BMeldDAV § 4 Abs. 1 (the
      Doktorgrad): reason 17, the message names the field.

    ``fields`` names the offending query fields.
    """

    code = Grund.SONSTIGER_FACHLICHER_FEHLER

    def __init__(self, message: str, *, fields: tuple[str, ...], code: Grund | None = None) -> None:
        self.fields = fields
        super().__init__(message, code=code)


class ImportFormatError(RegisterError, ValueError):
    """A line of an import file is not a valid person record."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class RegisterUnavailableError(RegisterError, StoreUnavailable):
    """The register database cannot be read or written (missing schema, connection lost)."""

    code = Grund.INTERNER_FEHLER


class RegisterBusyError(RegisterError, RuntimeError):
    """Another operation that must run alone (a full reload) is running on this register."""


class DeliveryRejectedError(RegisterError, ValueError):
    """An operation of a municipality's delivery cannot be applied (unknown record, a record
    of another municipality, …): the whole delivery is refused; ``line`` names the operation."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class DeliveryConflictError(RegisterError, ValueError):
    """A delivery id that was applied before, now with different content."""


class ErgebnislisteZuGrossError(RegisterError, LookupError):
    """More persons match a freie Suche than a result list may hold (BMeldDAV § 7 Abs. 4:
    at most 1 000; rejection 13). Raised before any record is read."""

    code = Grund.ERGEBNISLISTE_ZU_GROSS

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"more than {limit} persons match; narrow the Suchbereich or add search data"
        )
        self.limit = limit
