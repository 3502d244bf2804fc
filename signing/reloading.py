"""Keys and trust that follow their files: a replacement takes effect without a restart.

The operator replaces trust anchors and CRLs (a CRL typically daily), renews the broker's
signing key and certificate, and renews the TLS certificate. :class:`Reloading` holds what was
built from a set of files and, at most every ``interval`` seconds, compares their modification
stamps; if one changed it builds anew. A replacement that cannot be loaded (half-written,
broken, refused by policy) is reported and the previous object stays in force until a loadable
one arrives; a CRL whose ``nextUpdate`` has passed still fails closed (:class:`TrustStore`'s
own rule).

- :class:`ReloadingVerifier` — the trust anchors and CRLs for request signatures;
- :class:`ReloadingSigner` — the broker's signing key and certificate;
- the service's TLS context uses :class:`Reloading` too (``service/tls.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from cryptography import x509
from lxml import etree

from datenspiegel.signing.errors import SigningError
from datenspiegel.signing.keys import SigningIdentity
from datenspiegel.signing.signer import MessageSigner
from datenspiegel.signing.trust import TrustStore
from datenspiegel.signing.verifier import MessageVerifier, VerificationPolicy, VerifiedMessage

__all__ = ["Reloading", "ReloadingSigner", "ReloadingVerifier"]

log = logging.getLogger(__name__)

T = TypeVar("T")
_Stamp = tuple[tuple[str, int, int] | None, ...]
_DEFAULT_POLICY = VerificationPolicy()


def _stamps(paths: Sequence[Path]) -> _Stamp:
    stamps: list[tuple[str, int, int] | None] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class Reloading(Generic[T]):
    """What ``build`` made from ``paths``, rebuilt when they change; thread-safe.

    ``failures`` are the exceptions of a replacement that does not load (kept out, logged);
    at construction they propagate: unusable files at start-up are an error.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        build: Callable[[], T],
        *,
        what: str,
        failures: tuple[type[BaseException], ...],
        interval: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._paths = tuple(Path(p) for p in paths)
        self._build = build
        self._what = what
        self._failures = failures
        self._interval = interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._stamp = _stamps(self._paths)
        self._current = build()
        self._checked = monotonic()
        #: how many replacements were taken over (for tests and the operator)
        self.reloads = 0

    @property
    def current(self) -> T:
        """The object of the files as they are now (checked at most every interval)."""
        now = self._monotonic()
        if now - self._checked >= self._interval:
            with self._lock:
                if now - self._checked >= self._interval:
                    self._checked = now
                    self._reload_if_changed()
        return self._current

    def _reload_if_changed(self) -> None:
        stamp = _stamps(self._paths)
        if stamp == self._stamp:
            return
        try:
            built = self._build()
        except self._failures as exc:
            log.error("%s changed but cannot be loaded; keeping the previous: %s", self._what, exc)
            return
        self._current, self._stamp = built, stamp
        self.reloads += 1
        log.info("%s changed: reloaded", self._what)


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
        self._policy = policy

        def build() -> MessageVerifier:
            trust = TrustStore.from_pem_files(anchors, crl_files=crls, require_crl=require_crl)
            return MessageVerifier(trust, policy=policy)

        self._verifier = Reloading(
            (*anchors, *crls),
            build,
            what="trust anchors or CRLs",
            failures=(SigningError, OSError, ValueError),
            interval=interval,
            monotonic=monotonic,
        )

    @property
    def trust(self) -> TrustStore:
        return self._verifier.current.trust

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
        return self._verifier.current.verify(document, is_known_signer=is_known_signer)


class ReloadingSigner:
    """Drop-in for :class:`MessageSigner` with the broker's key and certificate files: a
    renewed key or certificate signs the next answers, without a restart; thread-safe."""

    def __init__(
        self,
        key: Path,
        certificate: Path,
        *,
        interval: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._signer = Reloading(
            (key, certificate),
            lambda: MessageSigner(SigningIdentity.from_pem_files(key, certificate)),
            what="the signing key or certificate",
            failures=(SigningError, OSError, ValueError),
            interval=interval,
            monotonic=monotonic,
        )

    @property
    def identity(self) -> SigningIdentity:
        return self._signer.current.identity

    @property
    def reloads(self) -> int:
        return self._signer.reloads

    def sign(self, root: etree._Element) -> etree._Element:
        return self._signer.current.sign(root)
