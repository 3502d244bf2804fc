"""The one error base whose instances know their answer: a 0910 code or rejection reasons.

Every package's errors that a *sender* can cause derive from :class:`Coded` and carry a code of
the official lists (the enums generated beside them in :mod:`datenspiegel.xsd.codelists`): a
:class:`~datenspiegel.xsd.codelists.Ruecksendung` code means a technical rejection (0910), one
or more :class:`~datenspiegel.xsd.codelists.Grund` codes a business rejection (``rueckweisung``).
The service translates any error into its answer in exactly one place.

The code catalogue is a leaf of the dependency graph: every package may import it, it imports
nothing of the broker.
"""

from __future__ import annotations

from datenspiegel.xsd.codelists import Ergebnisstatus, Grund, Ruecksendung

__all__ = ["AnyCode", "Code", "Coded", "as_code"]

#: The codes an error carries: a technical (0910) or a business rejection.
Code = Ruecksendung | Grund
#: Every code a transaction can end with, an answer's Ergebnisstatus included.
AnyCode = Ergebnisstatus | Grund | Ruecksendung


def as_code(value: str) -> Code:
    """The code enum member of a code text ("T070" → ``Ruecksendung.T070``, "18" → ``Grund``)."""
    if isinstance(value, (Ruecksendung, Grund)):
        return value
    for enum in (Ruecksendung, Grund):
        try:
            return enum(value)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is neither a Ruecksendung nor a Nichterstellung.Grund code")


class Coded(Exception):
    """An error with its code. ``str(error)`` is for the sender; ``detail`` only for the protocol.

    ``code`` is a class attribute on most leaves (e.g. ``T002`` for every invalid certificate)
    and may be given per instance; ``None`` marks errors that are never the sender's fault (the
    broker's own configuration), which the service answers with S999.
    """

    code: Code | None = None

    def __init__(
        self,
        message: str = "",
        *,
        code: Code | None = None,
        codes: tuple[Grund, ...] = (),
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        if codes:
            code = codes[0]
        if code is not None:
            self.code = code
        self._codes = codes
        #: Internal facts (ids, block reasons): written to the protocol, never sent.
        self.detail = detail

    @property
    def codes(self) -> tuple[Code, ...]:
        """All codes: several rejection reasons, or the one code."""
        if self._codes:
            return self._codes
        return () if self.code is None else (self.code,)

    @property
    def is_rejection(self) -> bool:
        """A business rejection (answer with ``rueckweisung``), not a 0910."""
        return isinstance(self.code, Grund)
