"""How a transaction ends, and the one place where any error becomes its answer.

An error that knows its answer (:class:`~datenspiegel.xsd.coded.Coded`) ends the transaction
with its code: a ``Ruecksendung`` code as a 0910, ``Grund`` codes as a ``rueckweisung``. Every
other error is the broker's own failure: S999, with the operator told — once per burst for a
database that is down, with a traceback for anything unexpected.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.protocol.record import Outcome
from datenspiegel.register.errors import RegisterUnavailableError
from datenspiegel.service.health import FailureBurst
from datenspiegel.service.stages import Handled
from datenspiegel.store.errors import StoreUnavailable
from datenspiegel.transformers import BusinessRejection
from datenspiegel.xsd.coded import AnyCode, Coded
from datenspiegel.xsd.codelists import Grund, Ruecksendung

__all__ = ["Ending", "Translator"]

log = logging.getLogger(__name__)

_MAX_FAULTSTRING = 400
INTERNAL_ERROR = "internal error; the operator has been notified"
REGISTER_DOWN = "the register is temporarily unavailable; retry later"


@dataclass(frozen=True, slots=True)
class Ending:
    """The end of one transaction: its outcome, codes, the sender's text, the protocol's."""

    outcome: Outcome
    codes: tuple[AnyCode, ...]
    public: str
    detail: str | None = None
    handled: Handled | None = None

    @classmethod
    def answered(cls, handled: Handled) -> Ending:
        return cls(Outcome.ANSWERED, (handled.status,), "", handled.detail, handled)

    @classmethod
    def returned(
        cls, code: Ruecksendung, public: str, detail: str | None = None, *, failed: bool = False
    ) -> Ending:
        outcome = Outcome.FAILED if failed else Outcome.RETURNED
        return cls(outcome, (code,), public, detail or public)

    @property
    def code(self) -> AnyCode:
        return self.codes[0]

    @property
    def fault_text(self) -> str:
        """The code and the sender's text, short enough for a SOAP faultstring (the full
        detail is in the protocol)."""
        text = f"{self.code}: {self.public or self.code.label}"
        return text if len(text) <= _MAX_FAULTSTRING else text[: _MAX_FAULTSTRING - 1] + "…"


class Translator:
    """Turns any exception of a transaction into its :class:`Ending` (thread-safe)."""

    def __init__(self) -> None:
        self._database = FailureBurst("broker database", logger=log)
        self._register = FailureBurst("register database (answers: rejection 16)", logger=log)

    def succeeded(self) -> None:
        self._database.succeeded()
        self._register.succeeded()

    def __call__(self, exc: BaseException, record_id: str) -> Ending:
        if isinstance(exc, RegisterUnavailableError):
            self._register.failed(_first_line(exc))
            return Ending(
                Outcome.REJECTED,
                (Grund.INTERNER_FEHLER,),
                REGISTER_DOWN,
                f"register unavailable: {exc}",
            )
        if isinstance(exc, Coded) and exc.code is not None:
            if isinstance(exc.code, Ruecksendung):
                return Ending.returned(exc.code, str(exc), exc.detail)
            public = exc.freitext if isinstance(exc, BusinessRejection) else str(exc)
            return Ending(Outcome.REJECTED, exc.codes, public, exc.detail or public)
        detail = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, (StoreUnavailable, SQLAlchemyError)):
            # One cause for many requests: one log line per burst, not a traceback each.
            self._database.failed(_first_line(exc))
        else:
            log.error("internal error in transaction %s", record_id, exc_info=exc)
        return Ending.returned(Ruecksendung.S999, INTERNAL_ERROR, detail, failed=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
