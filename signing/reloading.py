"""A verifier that follows its trust files: a revocation takes effect without a restart.

The trust anchors and CRLs are files the operator replaces (a CRL typically daily). At most
every ``interval`` seconds the verifier compares their modification stamps and, if one changed,
builds a new :class:`TrustStore` from them. A replacement that cannot be read (half-written,
broken) is reported and the previous trust store stays in force until a readable one arrives;
a CRL whose ``nextUpdate`` has passed still fails closed (:class:`TrustStore`'s own rule).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from cryptography import x509
from lxml import etree

from datenspiegel.signing.errors import SigningError
from datenspiegel.signing.trust import TrustStore
from datenspiegel.signing.verifier import MessageVerifier, VerificationPolicy, VerifiedMessage

__all__ = ["ReloadingVerifier"]

log = logging.getLogger(__name__)

_Stamp = tuple[tuple[str, int, int] | None, ...]
_DEFAULT_POLICY = VerificationPolicy()


class ReloadingVerifier:
    """Drop-in for :class:`MessageVerifier` that reloads changed trust files; thread-safe."""

    def __init__(
        self,
        anchors: Sequence[Path],
        *,
        crls: Sequence[Path] = (),
        interval: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        policy: VerificationPolicy = _DEFAULT_POLICY,
        require_crl: bool = False,
    ) -> None:
        """``require_crl`` holds for every reload too: an anchor file replaced by one whose CA
        has no CRL is refused (logged) and the previous trust stays in force."""
        self._require_crl = require_crl
        self._anchors = tuple(Path(p) for p in anchors)
        self._crls = tuple(Path(p) for p in crls)
        self._interval = interval
        self._policy = policy
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._stamp = self._stamps()
        self._verifier = self._build()  # unreadable trust files at start-up are an error
        self._checked = monotonic()

    def _stamps(self) -> _Stamp:
        stamps: list[tuple[str, int, int] | None] = []
        for path in (*self._anchors, *self._crls):
            try:
                stat = path.stat()
            except OSError:
                stamps.append(None)
            else:
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)

    def _build(self) -> MessageVerifier:
        trust = TrustStore.from_pem_files(
            self._anchors, crl_files=self._crls, require_crl=self._require_crl
        )
        return MessageVerifier(trust, policy=self._policy)

    @property
    def trust(self) -> TrustStore:
        return self._verifier.trust

    def _refresh(self) -> None:
        now = self._monotonic()
        if now - self._checked < self._interval:
            return
        with self._lock:
            if now - self._checked < self._interval:
                return
            self._checked = now
            stamp = self._stamps()
            if stamp == self._stamp:
                return
            try:
                verifier = self._build()
            except (SigningError, OSError, ValueError) as exc:
                log.error("trust files changed but cannot be loaded; keeping the previous: %s", exc)
                return
            self._verifier, self._stamp = verifier, stamp
            log.info("trust anchors or CRLs changed: reloaded")

    @property
    def policy(self) -> VerificationPolicy:
        return self._policy

    def verify(
        self,
        document: bytes | etree._Element,
        *,
        is_known_signer: Callable[[x509.Certificate], bool] | None = None,
    ) -> VerifiedMessage:
        """:meth:`MessageVerifier.verify` with the current trust files."""
        self._refresh()
        return self._verifier.verify(document, is_known_signer=is_known_signer)
